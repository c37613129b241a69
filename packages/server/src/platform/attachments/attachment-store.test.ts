import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { PassageError } from '@passage/domain';
import { AttachmentStore, sniffText, type AttachmentScanner } from './index.ts';

// ---------- fixtures ----------

const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function newRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'passage-attachments-'));
  roots.push(root);
  return root;
}

/** Every file under `dir`, relative, sorted (directories themselves are not listed). */
function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => fs.statSync(path.join(dir, p)).isFile())
    .sort();
}

/** A real (tiny, valid) one-page PDF with a correct cross-reference table. */
function smallPdf(text = 'Passage test'): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null, // the content stream, below
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = `BT /F1 12 Tf 20 50 Td (${text}) Tj ET`;
  objects[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A JPEG's opening (SOI + JFIF APP0), padding and EOI: enough for sniffing. */
const jpeg = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0', 'latin1'),
  Buffer.from([0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]), Buffer.alloc(200, 0x11), Buffer.from([0xff, 0xd9]),
]);
/** A DOS/Windows executable header ('MZ'). */
const windowsExe = Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]), Buffer.alloc(59), Buffer.from('This program cannot be run in DOS mode.\r\n', 'latin1'), Buffer.alloc(300)]);
/** A Linux executable header. */
const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01]), Buffer.alloc(300)]);

const sha256 = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');

/** A lazy stream of `total` bytes in 64 KB chunks that records how much was pulled from it. */
function lazyBytes(total: number): { body: AsyncGenerator<Uint8Array>; pulled: () => number; finished: () => boolean } {
  let pulled = 0;
  let finished = false;
  const chunk = new Uint8Array(64 * 1024).fill(0x61); // 'a': plain text, so only the size can refuse it
  async function* gen(): AsyncGenerator<Uint8Array> {
    try {
      while (pulled < total) {
        const n = Math.min(chunk.length, total - pulled);
        pulled += n;
        yield n === chunk.length ? chunk : chunk.subarray(0, n);
      }
    } finally {
      finished = true; // runs when the store stops iterating (return()) as well as at the end
    }
  }
  return { body: gen(), pulled: () => pulled, finished: () => finished };
}

/** Runs `fn`, expecting a PassageError with `code` naming the field `file`; returns it. */
async function refused(fn: () => Promise<unknown>, code: string, messagePattern?: RegExp): Promise<PassageError> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof PassageError, `expected a PassageError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.equal(e.errors[0]?.field, 'file');
    if (messagePattern) assert.match(e.message, messagePattern);
    return e;
  }
  assert.fail('expected the save to be refused');
}

const MB = 1024 * 1024;

// ---------- tests ----------

describe('AttachmentStore.save', () => {
  it('stores a real PDF content-addressed (0600) and reads it back equal', async () => {
    const root = newRoot();
    const store = new AttachmentStore({ root, maxBytes: MB });
    const pdf = smallPdf();
    assert.equal(pdf.subarray(0, 8).toString('latin1'), '%PDF-1.4');

    const saved = await store.save(Readable.from([pdf.subarray(0, 100), pdf.subarray(100)]), { fileName: 'Passport scan.PDF', mediaType: 'application/octet-stream' });
    const hash = sha256(pdf);
    assert.deepEqual(saved, { sha256: hash, bytes: pdf.length, mediaType: 'application/pdf', extension: 'pdf', storageKey: `${hash.slice(0, 2)}/${hash}`, scan: 'not_scanned' });
    assert.deepEqual(walk(root), [path.join(hash.slice(0, 2), hash)]);
    if (process.platform !== 'win32') assert.equal(fs.statSync(path.join(root, saved.storageKey)).mode & 0o777, 0o600);

    const back: Buffer[] = [];
    for await (const c of store.open(saved.storageKey)) back.push(c as Buffer);
    assert.deepEqual(Buffer.concat(back), pdf);
  });

  it('stores identical content once: same key, one file', async () => {
    const root = newRoot();
    const store = new AttachmentStore({ root, maxBytes: MB });
    const pdf = smallPdf('same');
    const a = await store.save(Readable.from([pdf]), { fileName: 'a.pdf' });
    const b = await store.save((async function* () { yield pdf.subarray(0, 7); yield pdf.subarray(7); })(), { fileName: 'copy of a.pdf' });
    assert.equal(a.storageKey, b.storageKey);
    assert.deepEqual(walk(root), [a.storageKey.split('/').join(path.sep)]);
  });

  it('keeps a file encrypted when asked (its own name, no plaintext on disk), reads it back, and fails on tampering', async () => {
    const root = newRoot();
    const store = new AttachmentStore({ root, maxBytes: MB });
    const pdf = smallPdf('secret');
    const key = crypto.randomBytes(32);
    const a = await store.save(Readable.from([pdf]), { fileName: 'statement.pdf' }, { encryptWith: key });
    const b = await store.save(Readable.from([pdf]), { fileName: 'statement.pdf' }, { encryptWith: key });
    assert.match(a.storageKey, /^enc\/[0-9a-f-]{36}$/);
    assert.notEqual(a.storageKey, b.storageKey, 'equal plaintexts are not equal files');
    assert.equal(a.mediaType, 'application/pdf');
    assert.deepEqual(walk(root).sort(), [a.storageKey, b.storageKey].map((k) => k.split('/').join(path.sep)).sort(), 'no plaintext left behind');
    const onDisk = fs.readFileSync(path.join(root, a.storageKey));
    assert.ok(!onDisk.includes(Buffer.from('%PDF')));
    const read = async (k: Buffer) => {
      const parts: Buffer[] = [];
      for await (const c of await store.openDecrypted(a.storageKey, k)) parts.push(c as Buffer);
      return Buffer.concat(parts);
    };
    assert.deepEqual(await read(key), pdf);
    await assert.rejects(read(crypto.randomBytes(32)));
    onDisk[20] = onDisk[20]! ^ 1;
    fs.writeFileSync(path.join(root, a.storageKey), onDisk);
    await assert.rejects(read(key));
    await assert.rejects(store.openDecrypted('enc/../../etc/passwd', key), { code: 'bad_request' });
  });

  it('refuses a Windows program named report.pdf and leaves no file anywhere under the root', async () => {
    const root = newRoot();
    const store = new AttachmentStore({ root, maxBytes: MB });
    const e = await refused(() => store.save(Readable.from([windowsExe]), { fileName: 'report.pdf', mediaType: 'application/pdf' }), 'unsupported_media_type', /content is a Windows program, not a PDF/);
    assert.equal(e.status, 415);
    assert.deepEqual(walk(root), []);
  });

  it('refuses a JPEG named .pdf (content and name disagree), and accepts it named .JPEG', async () => {
    const root = newRoot();
    const store = new AttachmentStore({ root, maxBytes: MB });
    await refused(() => store.save(Readable.from([jpeg]), { fileName: 'letter.pdf' }), 'unsupported_media_type', /a JPEG image, not a PDF/);
    assert.deepEqual(walk(root), []);
    const ok = await store.save(Readable.from([jpeg]), { fileName: 'C:\\fakepath\\photo.JPEG' });
    assert.equal(ok.mediaType, 'image/jpeg');
    assert.equal(ok.extension, 'jpg');
  });

  it('accepts the image formats of scanners and phones (PNG, WebP, TIFF, HEIC) by their magic bytes', async () => {
    const store = new AttachmentStore({ root: newRoot(), maxBytes: MB });
    const cases: Array<[Buffer, string, string, string]> = [
      [Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(17), Buffer.from([0, 0, 0, 0]), Buffer.from('IEND'), Buffer.alloc(4)]), 'a.png', 'image/png', 'png'],
      [Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(40)]), 'a.webp', 'image/webp', 'webp'],
      [Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0, 0, 0, 0, 0]), Buffer.alloc(40)]), 'scan.TIFF', 'image/tiff', 'tif'],
      [Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(4), Buffer.from('mif1heic'), Buffer.alloc(40)]), 'IMG_0001.HEIC', 'image/heic', 'heic'],
    ];
    for (const [bytes, fileName, mediaType, extension] of cases) {
      const saved = await store.save(Readable.from([bytes]), { fileName });
      assert.deepEqual([saved.mediaType, saved.extension], [mediaType, extension], fileName);
    }
  });

  it('refuses programs, scripts, markup and unnamed files whatever they are called', async () => {
    const store = new AttachmentStore({ root: newRoot(), maxBytes: MB });
    const save = (content: Buffer | string, fileName: string) => store.save(Readable.from([Buffer.from(content)]), { fileName });
    await refused(() => save(windowsExe, 'setup.exe'), 'unsupported_media_type', /Windows program; accepted are \.pdf, \.jpg/);
    await refused(() => save(elf, 'notes.txt'), 'unsupported_media_type', /a Linux program, not a text file/);
    await refused(() => save('#!/bin/sh\nrm -rf /\n', 'notes.txt'), 'unsupported_media_type', /a script/);
    await refused(() => save('<!DOCTYPE html><html><script>alert(1)</script></html>', 'notes.txt'), 'unsupported_media_type', /HTML/);
    await refused(() => save('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 'logo.png'), 'unsupported_media_type', /SVG image.*not a PNG image/);
    await refused(() => save('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', 'logo.txt'), 'unsupported_media_type', /SVG/);
    await refused(() => save(Buffer.from([0xc3, 0x28, 0x41, 0x42]), 'latin.txt'), 'unsupported_media_type', /not recognised/);
    await refused(() => save('hello', 'notes.pdf'), 'unsupported_media_type', /a text file, not a PDF/);
    await refused(() => save(jpeg, 'scan'), 'unsupported_media_type', /name does not end \.jpg or \.jpeg/);
  });

  it('accepts UTF-8 text and CSV by extension (no magic bytes), and a real XLSX', async () => {
    const store = new AttachmentStore({ root: newRoot(), maxBytes: MB });
    const csv = await store.save(Readable.from([Buffer.from('\uFEFFname,city\nمحمد,Calais\n')]), { fileName: 'list.csv', mediaType: 'application/vnd.ms-excel' });
    assert.equal(csv.mediaType, 'text/csv');
    assert.equal(csv.extension, 'csv');
    const txt = await store.save(Readable.from(['Note: interview moved to Tuesday.\n']), { fileName: 'note.txt' });
    assert.equal(txt.mediaType, 'text/plain');

    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1').addRow(['a', 1]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const saved = await store.save(Readable.from([xlsx]), { fileName: 'budget.xlsx' });
    assert.equal(saved.extension, 'xlsx');
    await refused(() => store.save(Readable.from([xlsx]), { fileName: 'budget.docx' }), 'unsupported_media_type', /Excel workbook.*not a Word document/);
  });

  it('refuses an empty file', async () => {
    const root = newRoot();
    const store = new AttachmentStore({ root, maxBytes: MB });
    const e = await refused(() => store.save(Readable.from([]), { fileName: 'empty.pdf' }), 'validation_failed', /empty/);
    assert.deepEqual(e.errors, [{ field: 'file', message: 'empty' }]);
    assert.deepEqual(walk(root), []);
  });

  it('accepts exactly maxBytes and refuses one byte more', async () => {
    const root = newRoot();
    const store = new AttachmentStore({ root, maxBytes: 1000 });
    await store.save(Readable.from([Buffer.alloc(1000, 0x61)]), { fileName: 'a.txt' });
    const e = await refused(() => store.save(Readable.from([Buffer.alloc(1001, 0x61)]), { fileName: 'b.txt' }), 'payload_too_large', /larger than the 1000 bytes limit/);
    assert.equal(e.status, 413);
    assert.equal(walk(root).length, 1);
  });

  it('refuses a 3 MB stream at a 1 MB limit, stops reading and destroys a Node stream', async () => {
    const root = newRoot();
    const store = new AttachmentStore({ root, maxBytes: MB });
    const lazy = lazyBytes(3 * MB);
    const stream = Readable.from(lazy.body, { objectMode: false, highWaterMark: 64 * 1024 });
    await refused(() => store.save(stream, { fileName: 'big.txt' }), 'payload_too_large', /1 MB limit/);
    assert.ok(stream.destroyed, 'the request stream is destroyed');
    // Readable.from may read ahead by its buffer; it still stops far short of 3 MB.
    assert.ok(lazy.pulled() <= MB + 4 * 64 * 1024, `pulled ${lazy.pulled()}`);
    assert.deepEqual(walk(root), []);
  });

  it('refuses a 200 MB stream quickly without writing it: reading stops right after the limit', async () => {
    const root = newRoot();
    const store = new AttachmentStore({ root, maxBytes: MB });
    const lazy = lazyBytes(200 * MB);
    const started = performance.now();
    await refused(() => store.save(lazy.body, { fileName: 'huge.pdf' }), 'payload_too_large');
    const ms = performance.now() - started;
    assert.ok(lazy.pulled() <= MB + 64 * 1024, `pulled ${lazy.pulled()} bytes`);
    assert.ok(lazy.finished(), 'the generator was closed');
    assert.ok(ms < 5000, `took ${ms} ms`);
    assert.deepEqual(fs.readdirSync(path.join(root, 'tmp')), []);
    assert.deepEqual(walk(root), []);
  });

  it('deletes the temp file when the body fails mid-way and rethrows its error', async () => {
    const root = newRoot();
    const store = new AttachmentStore({ root, maxBytes: MB });
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield smallPdf().subarray(0, 50);
      throw new Error('client went away');
    }
    await assert.rejects(store.save(broken(), { fileName: 'x.pdf' }), /client went away/);
    assert.deepEqual(walk(root), []);
  });
});

describe('AttachmentStore scanning', () => {
  const scanner = (verdict: 'clean' | 'infected' | 'not_scanned', seen: string[] = []): AttachmentScanner => ({
    name: 'fake',
    scan: (filePath) => {
      seen.push(filePath);
      assert.ok(fs.existsSync(filePath), 'the scanner sees the complete temp file');
      return Promise.resolve(verdict === 'infected' ? { verdict, signature: 'Eicar-Test-Signature' } : { verdict });
    },
  });

  it('refuses an infected file and keeps nothing', async () => {
    const root = newRoot();
    const seen: string[] = [];
    const store = new AttachmentStore({ root, maxBytes: MB, scanner: scanner('infected', seen) });
    const e = await refused(() => store.save(Readable.from([smallPdf()]), { fileName: 'a.pdf' }), 'validation_failed', /virus scanner \(Eicar-Test-Signature\)/);
    assert.deepEqual(e.errors, [{ field: 'file', message: 'infected' }]);
    assert.equal(path.dirname(seen[0]!), path.join(root, 'tmp'));
    assert.deepEqual(walk(root), []);
  });

  it('records a clean verdict', async () => {
    const store = new AttachmentStore({ root: newRoot(), maxBytes: MB, scanner: scanner('clean') });
    assert.equal((await store.save(Readable.from([smallPdf()]), { fileName: 'a.pdf' })).scan, 'clean');
  });

  it('refuses with 503 when the scanner fails, and keeps nothing', async () => {
    const root = newRoot();
    const failing: AttachmentScanner = { name: 'down', scan: () => Promise.reject(new Error('ECONNREFUSED')) };
    const store = new AttachmentStore({ root, maxBytes: MB, scanner: failing });
    await assert.rejects(store.save(Readable.from([smallPdf()]), { fileName: 'a.pdf' }), (e: unknown) => e instanceof PassageError && e.code === 'unavailable' && e.cause instanceof Error);
    assert.deepEqual(walk(root), []);
  });
});

describe('AttachmentStore.open and sweepTemp', () => {
  it('refuses keys that are not <aa>/<sha256>, and 404s a well-formed missing one', () => {
    const store = new AttachmentStore({ root: newRoot(), maxBytes: MB });
    const h = 'ab'.padEnd(64, '0');
    for (const key of ['../x', '..', '/etc/passwd', `ab/../../${h}`, `ab/${h}/..`, `cd/${h}`, `AB/${h.toUpperCase()}`, `ab\\${h}`, h, 'tmp/x.part', `ab/${h}\0`]) {
      assert.throws(() => store.open(key), (e: unknown) => e instanceof PassageError && e.code === 'bad_request', key);
    }
    assert.throws(() => store.open(`ab/${h}`), (e: unknown) => e instanceof PassageError && e.code === 'not_found');
  });

  it('sweeps temp files left by a crash', async () => {
    const root = newRoot();
    const store = new AttachmentStore({ root, maxBytes: MB });
    await store.save(Readable.from(['x']), { fileName: 'x.txt' }); // creates root/tmp
    const stale = path.join(root, 'tmp', 'stale.part');
    fs.writeFileSync(stale, 'half');
    fs.utimesSync(stale, new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
    fs.writeFileSync(path.join(root, 'tmp', 'fresh.part'), 'in progress');
    assert.equal(await store.sweepTemp(), 1);
    assert.deepEqual(fs.readdirSync(path.join(root, 'tmp')), ['fresh.part']);
  });
});

describe('sniffText', () => {
  it('tells text from binary and from markup', () => {
    assert.equal(sniffText(Buffer.from('plain, text\n'), true), 'text');
    assert.equal(sniffText(Buffer.from('a\0b'), true), undefined);
    assert.equal(sniffText(Buffer.from('  <p>hi</p>'), true), 'html');
    assert.equal(sniffText(Buffer.from('<pre-formatted note'), true), 'text');
    // A multi-byte character cut by the sample's end is fine, unless the file really ends there.
    const cut = Buffer.from('é').subarray(0, 1);
    assert.equal(sniffText(Buffer.concat([Buffer.from('caf'), cut]), false), 'text');
    assert.equal(sniffText(Buffer.concat([Buffer.from('caf'), cut]), true), undefined);
  });
});
