import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { PassageError } from '@passage/domain';
import { AttachmentStore, clamdScanner, noScanner, scannerFromEnv } from './index.ts';

/**
 * A tiny fake clamd: reads `zINSTREAM\0` and length-prefixed chunks up to the zero length, then
 * answers FOUND when the content holds the EICAR marker, else OK. It records what it received.
 */
function fakeClamd(): { server: net.Server; received: Buffer[] } {
  const received: Buffer[] = [];
  const server = net.createServer((socket) => {
    let buf = Buffer.alloc(0);
    const body: Buffer[] = [];
    let started = false;
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!started) {
        if (buf.length < 10) return;
        assert.equal(buf.subarray(0, 10).toString('latin1'), 'zINSTREAM\0');
        buf = buf.subarray(10);
        started = true;
      }
      while (buf.length >= 4) {
        const n = buf.readUInt32BE(0);
        if (n === 0) {
          const content = Buffer.concat(body);
          received.push(content);
          socket.end(content.includes('EICAR-STANDARD-ANTIVIRUS-TEST-FILE') ? 'stream: Eicar-Test-Signature FOUND\0' : 'stream: OK\0');
          return;
        }
        if (buf.length < 4 + n) return;
        body.push(buf.subarray(4, 4 + n));
        buf = buf.subarray(4 + n);
      }
    });
  });
  return { server, received };
}

describe('clamdScanner (INSTREAM)', () => {
  const fake = fakeClamd();
  let port = 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'passage-clamd-'));
  before(async () => {
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    port = (fake.server.address() as net.AddressInfo).port;
  });
  after(() => {
    fake.server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('streams the whole file in chunks and reads OK', async () => {
    const file = path.join(dir, 'clean.bin');
    const content = Buffer.alloc(200 * 1024, 7); // several 64 KB chunks
    fs.writeFileSync(file, content);
    assert.deepEqual(await clamdScanner('127.0.0.1', port).scan(file), { verdict: 'clean' });
    assert.deepEqual(fake.received.at(-1), content);
  });

  it('reports the signature of an infected file, and the store refuses it', async () => {
    const eicar = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
    const file = path.join(dir, 'eicar.txt');
    fs.writeFileSync(file, eicar);
    assert.deepEqual(await clamdScanner('127.0.0.1', port).scan(file), { verdict: 'infected', signature: 'Eicar-Test-Signature' });

    const root = path.join(dir, 'store');
    const store = new AttachmentStore({ root, maxBytes: 1024 * 1024, scanner: scannerFromEnv({ PASSAGE_CLAMD: `127.0.0.1:${port}` }) });
    await assert.rejects(store.save(Readable.from([eicar]), { fileName: 'note.txt' }), (e: unknown) => e instanceof PassageError && e.code === 'validation_failed');
    assert.deepEqual(fs.readdirSync(path.join(root, 'tmp')), []);
    assert.equal((await store.save(Readable.from(['harmless']), { fileName: 'note.txt' })).scan, 'clean');
  });

  it('throws when clamd is unreachable (the store turns that into 503)', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const file = path.join(dir, 'x.txt');
    fs.writeFileSync(file, 'x');
    await assert.rejects(clamdScanner('127.0.0.1', deadPort).scan(file), /ECONNREFUSED/);
  });

  it('scannerFromEnv: none without PASSAGE_CLAMD, clamd with host:port, an error otherwise', () => {
    assert.equal(scannerFromEnv({}), noScanner);
    assert.equal(scannerFromEnv({ PASSAGE_CLAMD: ' ' }), noScanner);
    assert.equal(scannerFromEnv({ PASSAGE_CLAMD: 'clamav:3310' }).name, 'clamd clamav:3310');
    assert.equal(scannerFromEnv({ PASSAGE_CLAMD: '[::1]:3310' }).name, 'clamd ::1:3310');
    for (const bad of ['clamav', 'clamav:', 'clamav:99999', '::1:3310', 'a:b']) assert.throws(() => scannerFromEnv({ PASSAGE_CLAMD: bad }), /PASSAGE_CLAMD/, bad);
  });
});
