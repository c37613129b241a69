import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromFile } from 'file-type';
import { PassageError, notFound } from '@passage/domain';

/**
 * The attachment store: scans, letters and photos that caseworkers attach to case files.
 *
 * Files live under `root` (a folder in the data directory), content-addressed by SHA-256 at
 * `root/<sha[0..2]>/<sha>`: identical content is stored once. A save streams the body into
 * `root/tmp` (mode 0600) while hashing and counting, stops reading as soon as the size limit is
 * passed, sniffs the type from the content (never from the name or the client's media type),
 * checks that the type is allowed and agrees with the name's extension, asks the scanner, and only
 * then renames the fsynced temp file into place. The rename is atomic, so the content tree never
 * holds a half-written file; every refusal deletes the temp file.
 */

/** A virus scanner. `scan` may throw when the scanner is unreachable: the save is then refused (503). */
export interface AttachmentScanner {
  name: string;
  scan(filePath: string): Promise<{ verdict: 'clean' | 'infected' | 'not_scanned'; signature?: string }>;
}

/** The scanner used when none is configured: everything is stored as 'not_scanned'. */
export const noScanner: AttachmentScanner = {
  name: 'none',
  scan: () => Promise.resolve({ verdict: 'not_scanned' }),
};

/** What a save returns; the caller keeps it (with the original file name) in the database. */
export interface StoredAttachment {
  sha256: string;
  bytes: number;
  /** The sniffed media type, e.g. 'application/pdf' (text types: serve them with charset=utf-8). */
  mediaType: string;
  /** The canonical extension of the sniffed type, without a dot: 'pdf', 'jpg', 'txt'. */
  extension: string;
  /** `<sha[0..2]>/<sha>`, the file's path under the root; pass it to `open`. */
  storageKey: string;
  scan: 'clean' | 'not_scanned';
}

/** One accepted type. */
export interface AllowedType {
  /** The type as sniffed: file-type's `ext` ('pdf', 'jpg', 'heic', …), or 'text' for UTF-8 plain text. */
  sniffed: string;
  /** The extensions a file of this type may be named with (lowercase, no dot); the first is canonical. */
  extensions: readonly string[];
  /** Stored media type; when omitted, file-type's sniffed one is kept (e.g. image/heif vs image/heic). */
  mediaType?: string;
  /** For messages: "the file's content is <label>, not <label>". */
  label: string;
}

/** The default accepted types: documents, photos and scans. No programs, scripts, HTML or SVG. */
export const DEFAULT_ALLOWED_TYPES: readonly AllowedType[] = [
  { sniffed: 'pdf', extensions: ['pdf'], label: 'a PDF' },
  { sniffed: 'jpg', extensions: ['jpg', 'jpeg', 'jpe', 'jfif'], label: 'a JPEG image' },
  { sniffed: 'png', extensions: ['png'], label: 'a PNG image' },
  { sniffed: 'webp', extensions: ['webp'], label: 'a WebP image' },
  { sniffed: 'heic', extensions: ['heic', 'heif'], label: 'a HEIC photo' },
  { sniffed: 'tif', extensions: ['tif', 'tiff'], label: 'a TIFF image' },
  { sniffed: 'docx', extensions: ['docx'], label: 'a Word document (.docx)' },
  { sniffed: 'xlsx', extensions: ['xlsx'], label: 'an Excel workbook (.xlsx)' },
  { sniffed: 'odt', extensions: ['odt'], label: 'an OpenDocument text (.odt)' },
  { sniffed: 'text', extensions: ['txt'], mediaType: 'text/plain', label: 'a text file' },
  { sniffed: 'text', extensions: ['csv'], mediaType: 'text/csv', label: 'a CSV file' },
];

/** Labels for common refused kinds, so the message says what the file really is. */
const REFUSED_LABELS: Record<string, string> = {
  exe: 'a Windows program',
  elf: 'a Linux program',
  macho: 'a macOS program',
  html: 'a web page (HTML)',
  svg: 'an SVG image, which can carry scripts',
  script: 'a script',
  xml: 'an XML document',
  zip: 'a ZIP archive',
  rar: 'a RAR archive',
  '7z': 'a 7-Zip archive',
  docm: 'a Word document with macros',
  xlsm: 'an Excel workbook with macros',
  cfb: 'an old-style Office document (.doc/.xls)',
  unknown: 'of a type that is not recognised',
};

/** How many leading bytes are kept for the text and markup checks (file-type's own sample size). */
const HEAD_BYTES = 4100;
/** Keys are `<sha[0..2]>/<sha>`, lowercase hex: nothing else can reach the file system. */
const KEY_PATTERN = /^([0-9a-f]{2})\/(\1[0-9a-f]{62})$/;
/** Keys of encrypted files: `enc/<uuid>` (each stored on its own: equal plaintexts must not show as equal files). */
const ENC_KEY_PATTERN = /^enc\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class AttachmentStore {
  private readonly root: string;
  private readonly tmpDir: string;
  private readonly maxBytes: number;
  private readonly scanner: AttachmentScanner;
  private readonly allowed: readonly AllowedType[];

  constructor(opts: { root: string; maxBytes: number; scanner?: AttachmentScanner; allowed?: readonly AllowedType[] }) {
    if (!(opts.maxBytes > 0)) throw new Error('AttachmentStore: maxBytes must be positive');
    this.root = path.resolve(opts.root);
    this.tmpDir = path.join(this.root, 'tmp');
    this.maxBytes = opts.maxBytes;
    this.scanner = opts.scanner ?? noScanner;
    this.allowed = opts.allowed ?? DEFAULT_ALLOWED_TYPES;
  }

  /** Stores one attachment, or throws a PassageError naming the field `file` and leaves nothing behind. */
  async save(body: NodeJS.ReadableStream | AsyncIterable<Uint8Array>, declared: { fileName: string; mediaType?: string }, options: { encryptWith?: Buffer } = {}): Promise<StoredAttachment> {
    // declared.mediaType is the client's guess (browsers derive it from the name): never trusted.
    await fsp.mkdir(this.tmpDir, { recursive: true, mode: 0o700 });
    const tmpPath = path.join(this.tmpDir, `${crypto.randomUUID()}.part`);
    let placed = false;
    try {
      const { sha256, bytes, head } = await this.receive(body, tmpPath);
      if (bytes === 0) throw fileError('validation_failed', 'the file is empty', 'empty');
      const type = await this.checkType(tmpPath, head, bytes, declared.fileName);

      let verdict: Awaited<ReturnType<AttachmentScanner['scan']>>;
      try {
        verdict = await this.scanner.scan(tmpPath);
      } catch (cause) {
        const err = new PassageError('unavailable', 'The virus scanner is not answering; try again later');
        err.cause = cause; // logged by the error mapper, never sent
        throw err;
      }
      if (verdict.verdict === 'infected') {
        throw fileError('validation_failed', `the file was refused by the virus scanner (${verdict.signature ?? 'malware'})`, 'infected');
      }

      let storageKey: string;
      if (options.encryptWith) {
        // Checked and scanned in the clear (the type and the scanner need the content); kept encrypted.
        storageKey = `enc/${crypto.randomUUID()}`;
        await this.placeEncrypted(tmpPath, storageKey, options.encryptWith);
      } else {
        storageKey = `${sha256.slice(0, 2)}/${sha256}`;
        await this.place(tmpPath, storageKey);
        placed = true;
      }
      return { sha256, bytes, mediaType: type.mediaType, extension: type.extension, storageKey, scan: verdict.verdict };
    } finally {
      if (!placed) await fsp.rm(tmpPath, { force: true });
    }
  }

  /** A read stream of a stored attachment. Throws 400 for a malformed key, 404 when absent. */
  open(storageKey: string): fs.ReadStream {
    if (!KEY_PATTERN.test(storageKey)) throw new PassageError('bad_request', 'Invalid attachment key', { errors: [{ field: 'storageKey', message: 'invalid' }] });
    const filePath = path.join(this.root, storageKey);
    if (!fs.existsSync(filePath)) throw notFound('Attachment');
    return fs.createReadStream(filePath);
  }

  /**
   * A read stream of the plaintext of an encrypted attachment (AES-256-GCM: iv | ciphertext | tag). The tag is
   * checked at the end: a file altered on disk makes the stream fail instead of ending.
   */
  async openDecrypted(storageKey: string, key: Buffer): Promise<NodeJS.ReadableStream> {
    if (!ENC_KEY_PATTERN.test(storageKey)) throw new PassageError('bad_request', 'Invalid attachment key', { errors: [{ field: 'storageKey', message: 'invalid' }] });
    const filePath = path.join(this.root, storageKey);
    const st = await fsp.stat(filePath).catch(() => null);
    if (!st || st.size < IV_BYTES + TAG_BYTES) throw notFound('Attachment');
    const fh = await fsp.open(filePath, 'r');
    const iv = Buffer.alloc(IV_BYTES);
    const tag = Buffer.alloc(TAG_BYTES);
    try {
      await fh.read(iv, 0, IV_BYTES, 0);
      await fh.read(tag, 0, TAG_BYTES, st.size - TAG_BYTES);
    } finally {
      await fh.close();
    }
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    const source = fs.createReadStream(filePath, { start: IV_BYTES, end: st.size - TAG_BYTES - 1 });
    source.on('error', (e) => decipher.destroy(e));
    return source.pipe(decipher);
  }

  /** Plaintext size of an encrypted attachment's file. */
  static plaintextBytes(fileBytes: number): number {
    return fileBytes - IV_BYTES - TAG_BYTES;
  }

  /** Encrypts the checked temp file into `storageKey` (a new temp file, fsynced, renamed), removing the plaintext. */
  private async placeEncrypted(tmpPath: string, storageKey: string, key: Buffer): Promise<void> {
    if (key.length !== 32) throw new Error('AttachmentStore: the file key must be 32 bytes');
    const encTmp = `${tmpPath}.enc`;
    try {
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const out = await fsp.open(encTmp, 'wx', 0o600);
      try {
        await out.write(iv);
        for await (const chunk of fs.createReadStream(tmpPath)) await out.write(cipher.update(chunk as Buffer));
        await out.write(cipher.final());
        await out.write(cipher.getAuthTag());
        await out.sync();
      } finally {
        await out.close();
      }
      const finalPath = path.join(this.root, storageKey);
      await fsp.mkdir(path.dirname(finalPath), { recursive: true, mode: 0o700 });
      await fsp.rename(encTmp, finalPath);
      await fsyncDir(path.dirname(finalPath));
    } finally {
      await fsp.rm(encTmp, { force: true });
    }
  }

  /** Deletes temp files older than `olderThanMs` (left by a crash); call at startup. Returns how many. */
  async sweepTemp(olderThanMs = 60 * 60 * 1000): Promise<number> {
    const names = await fsp.readdir(this.tmpDir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const p = path.join(this.tmpDir, name);
      const st = await fsp.stat(p).catch(() => null);
      if (st?.isFile() && Date.now() - st.mtimeMs > olderThanMs) {
        await fsp.rm(p, { force: true });
        removed++;
      }
    }
    return removed;
  }

  /** Streams the body into a new 0600 temp file, hashing and counting; stops reading past the limit. */
  private async receive(body: NodeJS.ReadableStream | AsyncIterable<Uint8Array>, tmpPath: string): Promise<{ sha256: string; bytes: number; head: Buffer }> {
    const hash = crypto.createHash('sha256');
    const headParts: Buffer[] = [];
    let headBytes = 0;
    let bytes = 0;
    const fh = await fsp.open(tmpPath, 'wx', 0o600);
    try {
      for await (const piece of body as AsyncIterable<Uint8Array | string>) {
        const chunk = typeof piece === 'string' ? Buffer.from(piece) : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
        bytes += chunk.length;
        // Leaving the loop calls the iterator's return(): a Node stream is destroyed, a generator stops.
        if (bytes > this.maxBytes) {
          throw fileError('payload_too_large', `the file is larger than the ${formatBytes(this.maxBytes)} limit`, 'too large', { maxBytes: this.maxBytes });
        }
        hash.update(chunk);
        if (headBytes < HEAD_BYTES) {
          headParts.push(Buffer.from(chunk.subarray(0, HEAD_BYTES - headBytes)));
          headBytes += Math.min(chunk.length, HEAD_BYTES - headBytes);
        }
        await fh.write(chunk);
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    return { sha256: hash.digest('hex'), bytes, head: Buffer.concat(headParts) };
  }

  /** Sniffs the content and checks it against the allowed types and the declared name. */
  private async checkType(tmpPath: string, head: Buffer, bytes: number, fileName: string): Promise<{ mediaType: string; extension: string }> {
    const ext = declaredExtension(fileName);
    const magic = await fileTypeFromFile(tmpPath);
    // No magic bytes: plain text if it is UTF-8 without NULs, unless it is markup or a script.
    const text = sniffText(head, head.length === bytes);
    const sniffed = magic?.ext === 'xml' && text === 'svg' ? 'svg' : magic?.ext ?? text ?? 'unknown';

    const candidates = this.allowed.filter((t) => t.sniffed === sniffed);
    const match = candidates.find((t) => ext !== null && t.extensions.includes(ext));
    if (match) return { mediaType: match.mediaType ?? magic?.mime ?? 'application/octet-stream', extension: match.extensions[0]! };

    const claimed = ext === null ? undefined : this.allowed.find((t) => t.extensions.includes(ext));
    const actual = candidates[0]?.label ?? REFUSED_LABELS[sniffed] ?? (magic ? `a ${magic.ext.toUpperCase()} file (${magic.mime}), which is not accepted` : REFUSED_LABELS.unknown!);
    let message: string;
    if (claimed) message = `the file's content is ${actual}, not ${claimed.label}`;
    else if (candidates[0]) message = `the file's content is ${actual}, but its name does not end .${candidates[0].extensions.join(' or .')}`;
    else message = `the file's content is ${actual}; accepted are ${this.acceptedList()}`;
    throw fileError('unsupported_media_type', message, 'type not accepted');
  }

  /** Moves the checked temp file to its content address (atomic rename), fsyncing the directories. */
  private async place(tmpPath: string, storageKey: string): Promise<void> {
    const finalPath = path.join(this.root, storageKey);
    const shardDir = path.dirname(finalPath);
    const shardExisted = fs.existsSync(shardDir);
    await fsp.mkdir(shardDir, { recursive: true, mode: 0o700 });
    if (!shardExisted) await fsyncDir(this.root);
    if (fs.existsSync(finalPath)) {
      // Same hash, same content: already stored once; drop the new copy.
      await fsp.rm(tmpPath, { force: true });
      return;
    }
    await fsp.rename(tmpPath, finalPath);
    await fsyncDir(shardDir);
  }

  private acceptedList(): string {
    return [...new Set(this.allowed.flatMap((t) => t.extensions.slice(0, 1)))].map((e) => `.${e}`).join(', ');
  }
}

/** A PassageError about the uploaded file. */
function fileError(code: 'validation_failed' | 'payload_too_large' | 'unsupported_media_type', message: string, short: string, extra?: Record<string, unknown>): PassageError {
  return new PassageError(code, message, { errors: [{ field: 'file', message: short }], ...(extra ? { extra } : {}) });
}

/** The lowercase extension of the declared name (Windows paths tolerated), or null when it has none. */
function declaredExtension(fileName: string): string | null {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 && dot < base.length - 1 ? base.slice(dot + 1).toLowerCase() : null;
}

/**
 * 'text' when the head is valid UTF-8 with no NUL bytes; 'html', 'svg' or 'script' for text that a
 * browser or shell would run; undefined when it is not text. `complete` says the head is the whole file
 * (otherwise a multi-byte character cut at the end of the sample is fine).
 */
export function sniffText(head: Buffer, complete: boolean): 'text' | 'html' | 'svg' | 'script' | undefined {
  if (head.includes(0)) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
  } catch {
    return undefined;
  }
  const start = text.trimStart().slice(0, 1024).toLowerCase();
  if (start.startsWith('#!')) return 'script';
  if (/^<svg[\s>]/.test(start) || (start.startsWith('<?xml') && start.includes('<svg'))) return 'svg';
  // The HTML openings of the WHATWG sniffing algorithm.
  if (/^<(!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--)[\s>]/.test(start)) return 'html';
  return 'text';
}

async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
