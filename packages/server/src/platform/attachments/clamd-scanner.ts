import fs from 'node:fs';
import net from 'node:net';
import { noScanner, type AttachmentScanner } from './attachment-store.ts';

/**
 * A scanner that streams the file to clamd with the INSTREAM command over TCP:
 * `zINSTREAM\0`, then chunks each prefixed by its 4-byte big-endian length, then a zero length.
 * clamd answers `stream: OK` or `stream: <signature> FOUND` (NUL-terminated); anything else
 * (e.g. `INSTREAM size limit exceeded. ERROR`) is thrown, so the store refuses the file.
 * clamd's StreamMaxLength must be at least the store's maxBytes.
 */
export function clamdScanner(host: string, port: number, opts: { timeoutMs?: number } = {}): AttachmentScanner {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return {
    name: `clamd ${host}:${port}`,
    async scan(filePath) {
      const reply = await instream(host, port, filePath, timeoutMs);
      if (reply === 'stream: OK') return { verdict: 'clean' };
      const found = /^stream: (.+) FOUND$/.exec(reply);
      if (found) return { verdict: 'infected', signature: found[1]! };
      throw new Error(`clamd at ${host}:${port} answered: ${reply.slice(0, 200)}`);
    },
  };
}

/** Sends the file with INSTREAM and returns clamd's reply without its terminating NUL. */
async function instream(host: string, port: number, filePath: string, timeoutMs: number): Promise<string> {
  const socket = net.connect({ host, port });
  socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`clamd at ${host}:${port} timed out`)));
  // The reply ends with a NUL or when clamd closes the connection.
  const reply = new Promise<string>((resolve, reject) => {
    let text = '';
    socket.on('data', (data: Buffer) => {
      text += data.toString('utf8');
      if (text.includes('\0')) resolve(text.slice(0, text.indexOf('\0')).trim());
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(text.trim()));
  });
  reply.catch(() => undefined); // awaited below; this only keeps an early error from being "unhandled"
  const write = (data: Buffer): Promise<void> => new Promise((resolve, reject) => socket.write(data, (e) => (e ? reject(e) : resolve())));
  try {
    try {
      await write(Buffer.from('zINSTREAM\0'));
      for await (const chunk of fs.createReadStream(filePath, { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
        const length = Buffer.alloc(4);
        length.writeUInt32BE(chunk.length);
        await write(Buffer.concat([length, chunk]));
      }
      await write(Buffer.alloc(4)); // zero length: end of stream
    } catch (e) {
      // clamd may answer (e.g. size limit exceeded) and close while we are still writing;
      // otherwise the socket's own error (ECONNREFUSED, timeout) says more than the failed write.
      const outcome = await reply.then((text) => ({ text, error: e }), (error: unknown) => ({ text: '', error }));
      if (outcome.text) return outcome.text;
      throw outcome.error;
    }
    return await reply;
  } finally {
    socket.destroy();
  }
}

/** The scanner the platform should use: clamd when PASSAGE_CLAMD=host:port (or [v6]:port) is set, else none. */
export function scannerFromEnv(env: Record<string, string | undefined>): AttachmentScanner {
  const value = env.PASSAGE_CLAMD?.trim();
  if (!value) return noScanner;
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : 0;
  if (!m || port < 1 || port > 65535) throw new Error('PASSAGE_CLAMD must be host:port, e.g. 127.0.0.1:3310');
  return clamdScanner((m[1] ?? m[2])!, port);
}
