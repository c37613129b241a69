import iconv from 'iconv-lite';

/** Encodings a CSV file may be in. Legacy ones are what Excel writes on Arabic and Western Windows. */
export type TextEncoding = 'utf-8' | 'windows-1256' | 'windows-1252';

/** How much of the start of a file decides the encoding in 'auto' mode. */
export const SNIFF_BYTES = 64 * 1024;

/**
 * One step of decoding. `text` is everything that decoded cleanly; when `invalid` is set the bytes
 * right after `text` cannot be text in this encoding and reading must stop there.
 */
export interface DecodeStep {
  text: string;
  invalid: boolean;
}

/** A streaming decoder that stops at the first byte that is not text. */
export interface ChunkDecoder {
  readonly encoding: TextEncoding;
  write(chunk: Uint8Array): DecodeStep;
  end(): DecodeStep;
}

/** NUL never occurs in a text table; it marks binary data or UTF-16, which we do not read. */
function cutAtNul(text: string, invalid: boolean): DecodeStep {
  const nul = text.indexOf('\0');
  return nul === -1 ? { text, invalid } : { text: text.slice(0, nul), invalid: true };
}

/** Length of the UTF-8 sequence a lead byte starts (1 for ASCII and for bytes that cannot lead). */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  if (lead >= 0xe0) return lead <= 0xef ? 3 : 1;
  if (lead >= 0xc2) return 2;
  return 1;
}

/** The bytes at the end of `bytes` that start a UTF-8 sequence not yet complete (0 to 3 bytes). */
function incompleteTail(bytes: Uint8Array): Uint8Array {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) !== 0x80) return sequenceLength(b) > back ? bytes.subarray(bytes.length - back) : new Uint8Array(0);
  }
  return new Uint8Array(0);
}

/**
 * UTF-8 through a fatal `TextDecoder` in streaming mode, so a multi-byte character split across
 * chunks is fine but an invalid sequence anywhere is caught. On failure the longest valid prefix of
 * the chunk is found by bisection (only on that error path) so the caller can name the row.
 */
class Utf8Decoder implements ChunkDecoder {
  readonly encoding = 'utf-8' as const;
  private decoder = new TextDecoder('utf-8', { fatal: true });
  /** Bytes of a character begun in the previous chunk, held inside `decoder`. */
  private carry: Uint8Array = new Uint8Array(0);
  /** Whether the decoder is past the start of the file (where it strips a BOM). */
  private started = false;

  write(chunk: Uint8Array): DecodeStep {
    const joined = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    try {
      const text = this.decoder.decode(chunk, { stream: true });
      this.carry = Uint8Array.from(incompleteTail(joined));
      this.started = true;
      return cutAtNul(text, false);
    } catch {
      return cutAtNul(this.validPrefix(joined), true);
    }
  }

  end(): DecodeStep {
    try {
      return cutAtNul(this.decoder.decode(), false);
    } catch {
      // The file ends in the middle of a character.
      return { text: '', invalid: true };
    }
  }

  private validPrefix(bytes: Uint8Array): string {
    // The BOM is stripped only at the very start of the file, as the main decoder would.
    const fresh = () => new TextDecoder('utf-8', { fatal: true, ignoreBOM: this.started });
    const decodes = (n: number): boolean => {
      try {
        fresh().decode(bytes.subarray(0, n), { stream: true });
        return true;
      } catch {
        return false;
      }
    };
    let lo = 0;
    let hi = bytes.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (decodes(mid)) lo = mid;
      else hi = mid - 1;
    }
    return fresh().decode(bytes.subarray(0, lo), { stream: true });
  }
}

/** A single-byte Windows code page through iconv-lite. Every byte maps to something except a few
 * holes in windows-1252, which iconv-lite turns into U+FFFD: those, and NUL, stop the reading. */
class CodePageDecoder implements ChunkDecoder {
  private readonly decoder: iconv.DecoderStream;

  constructor(readonly encoding: 'windows-1256' | 'windows-1252') {
    this.decoder = iconv.getDecoder(encoding);
  }

  write(chunk: Uint8Array): DecodeStep {
    return this.check(this.decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
  }

  end(): DecodeStep {
    return this.check(this.decoder.end() ?? '');
  }

  private check(text: string): DecodeStep {
    const hole = text.indexOf('\uFFFD');
    return cutAtNul(hole === -1 ? text : text.slice(0, hole), hole !== -1);
  }
}

/** A decoder for one encoding. */
export function createDecoder(encoding: TextEncoding): ChunkDecoder {
  return encoding === 'utf-8' ? new Utf8Decoder() : new CodePageDecoder(encoding);
}

/** True when `sample` is valid UTF-8; `complete` says whether it is the whole file (else a
 * character cut at the end of the sample is allowed). */
export function isUtf8(sample: Uint8Array, complete: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/** C0 control characters that plain text does not contain (tab, line breaks, form feed and the old
 * DOS end-of-file mark 0x1A are allowed). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0e-\x19\x1b-\x1f]/gu;
const ARABIC = /\p{Script=Arabic}/gu;
/** Non-ASCII Latin letters, and the typographic marks Western Windows text is full of (’ “ ” – … € « » °). */
// eslint-disable-next-line no-control-regex -- the look-ahead skips ASCII
const WESTERN = /(?![\x00-\x7f])[\p{Script=Latin}\p{M}\u00a0\u00ab\u00b0\u00b4\u00b7\u00bb\u00bf\u00a1\u00a3\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026\u20ac]/gu;
// eslint-disable-next-line no-control-regex -- everything outside ASCII
const NON_ASCII = /[^\x00-\x7f]/gu;

const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0;

/** Whether text decoded with a code page reads like prose in that page's script. */
function plausible(text: string, letters: RegExp, share: number): boolean {
  const nonAscii = count(text, NON_ASCII);
  if (nonAscii === 0) return false;
  if (count(text, CONTROL) > text.length / 100) return false;
  if (text.includes('\uFFFD')) return false;
  return count(text, letters) >= nonAscii * share;
}

/**
 * Arabic words are runs of Arabic letters. Upper-case accented Latin letters of windows-1252
 * (Ü, É, Ç…) fall on Arabic letters of windows-1256, but there they sit inside Latin words:
 * "MÜLLER" would read "MـLLER". Arabic characters touching an ASCII letter count against.
 */
function arabicInLatinWords(text: string): number {
  return count(text, /[A-Za-z]\p{Script=Arabic}|\p{Script=Arabic}(?=[A-Za-z])/gu);
}

/**
 * Chooses the encoding of a CSV file from its first bytes. Valid UTF-8 is UTF-8 (that includes
 * pure ASCII). Otherwise, if the bytes read as windows-1256 give mostly Arabic letters, it is
 * windows-1256; if read as windows-1252 they give Latin letters, windows-1252. Anything else (an
 * image, random bytes, UTF-16 with its NUL bytes) is left as UTF-8, whose decoder then refuses it
 * at the first bad byte, so the error names the row.
 */
export function detectEncoding(sample: Uint8Array, complete: boolean): TextEncoding {
  if (isUtf8(sample, complete)) return 'utf-8';
  if (sample.includes(0)) return 'utf-8';
  const buffer = Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength);
  // windows-1256 keeps the French accented lower-case letters of windows-1252 at the same bytes,
  // so Arabic is tested first and asked to be the clear majority of what is not ASCII.
  const arabic = iconv.decode(buffer, 'windows-1256');
  if (plausible(arabic, ARABIC, 0.7) && arabicInLatinWords(arabic) <= count(arabic, ARABIC) / 20) return 'windows-1256';
  if (plausible(iconv.decode(buffer, 'windows-1252'), WESTERN, 0.8)) return 'windows-1252';
  return 'utf-8';
}
