import { MAX_IMPORT_BYTES, tabularError } from './errors.ts';

/** What `openTable` accepts: a Node stream (an upload, a file) or any async iterable of bytes. */
export type ByteInput = NodeJS.ReadableStream | AsyncIterable<Uint8Array>;

const tooLarge = () =>
  tabularError('too_large', `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024 / 1024} GiB; split it into smaller files.`);

/**
 * Pulls byte chunks from the input one at a time, keeps the first few for sniffing (`peek`), and
 * counts what went through so a file whose size was not known in advance is still refused past
 * `MAX_IMPORT_BYTES`. Holds at most the peeked bytes, never the file.
 */
export class ByteSource {
  private readonly iterator: AsyncIterator<unknown>;
  private readonly peeked: Uint8Array[] = [];
  private peekedBytes = 0;
  private total = 0;
  private done = false;
  private closed = false;

  constructor(private readonly input: ByteInput) {
    this.iterator = (input as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  }

  /** Reads until at least `bytes` bytes are buffered (or the input ends) and returns them. */
  async peek(bytes: number): Promise<Uint8Array> {
    while (this.peekedBytes < bytes) {
      const chunk = await this.pull();
      if (chunk === null) break;
      this.peeked.push(chunk);
      this.peekedBytes += chunk.length;
    }
    return Buffer.concat(this.peeked);
  }

  /** True when the whole input fitted in what was peeked. */
  get ended(): boolean {
    return this.done;
  }

  /** The chunks from the start of the input (peeked ones first); each one can be taken once. */
  async *chunks(): AsyncGenerator<Uint8Array> {
    try {
      while (this.peeked.length > 0) {
        const chunk = this.peeked.shift()!;
        this.peekedBytes -= chunk.length;
        yield chunk;
      }
      for (;;) {
        const chunk = await this.pull();
        if (chunk === null) return;
        yield chunk;
      }
    } finally {
      await this.close();
    }
  }

  /** Stops reading: ends the input's iterator, which destroys a Node stream and releases its file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.peeked.length = 0;
    if (!this.done) {
      this.done = true;
      await this.iterator.return?.();
    }
    const stream = this.input as { destroy?: () => void; destroyed?: boolean };
    if (typeof stream.destroy === 'function' && stream.destroyed !== true) stream.destroy();
  }

  private async pull(): Promise<Uint8Array | null> {
    if (this.done) return null;
    const next = await this.iterator.next();
    if (next.done) {
      this.done = true;
      return null;
    }
    const value = next.value;
    // A stream with setEncoding() yields strings; they can only have been UTF-8.
    const chunk = typeof value === 'string' ? Buffer.from(value, 'utf8') : (value as Uint8Array);
    this.total += chunk.length;
    if (this.total > MAX_IMPORT_BYTES) {
      await this.close();
      throw tooLarge();
    }
    return chunk;
  }
}

/** Refuses a size known in advance (Content-Length, file stat) before any byte is read. */
export function assertSize(sizeBytes: number | undefined): void {
  if (sizeBytes !== undefined && sizeBytes > MAX_IMPORT_BYTES) throw tooLarge();
}
