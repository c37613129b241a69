/**
 * The storage under MatchIndex (index-store.ts): a hash table from a numeric key to an int, a pool of growable
 * posting lists in one Int32Array, growable typed columns, and a bounded "nearest k" selection. No objects per
 * record, so a million records cost tens of megabytes here.
 */
// ---------------------------------------------------------------------------------------------
// Storage: a hash table from a numeric key to an int, and a pool of growable posting lists.

export const NONE = -1;
const scratchF = new Float64Array(1);
const scratchU = new Uint32Array(scratchF.buffer);

function hashKey(k: number): number {
  scratchF[0] = k;
  let h = Math.imul(scratchU[0]! ^ Math.imul(scratchU[1]!, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 13)) >>> 0;
}

/** Open addressing (linear probing) from a finite number to an Int32; absent keys read as NONE. */
export class NumMap {
  private keys: Float64Array;
  private values: Int32Array;
  private used: Uint8Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    this.keys = new Float64Array(capacity);
    this.values = new Int32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  get(k: number): number {
    let s = hashKey(k) & this.mask;
    while (this.used[s]) {
      if (this.keys[s] === k) return this.values[s]!;
      s = (s + 1) & this.mask;
    }
    return NONE;
  }

  set(k: number, v: number): void {
    let s = hashKey(k) & this.mask;
    while (this.used[s]) {
      if (this.keys[s] === k) {
        this.values[s] = v;
        return;
      }
      s = (s + 1) & this.mask;
    }
    this.used[s] = 1;
    this.keys[s] = k;
    this.values[s] = v;
    if (++this.size * 2 > this.mask) this.grow();
  }

  private grow(): void {
    const { keys, values, used } = this;
    const capacity = keys.length * 2;
    this.keys = new Float64Array(capacity);
    this.values = new Int32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
    for (let s = 0; s < keys.length; s++) {
      if (!used[s]) continue;
      let t = hashKey(keys[s]!) & this.mask;
      while (this.used[t]) t = (t + 1) & this.mask;
      this.used[t] = 1;
      this.keys[t] = keys[s]!;
      this.values[t] = values[s]!;
    }
  }

  get bytes(): number {
    return this.keys.byteLength + this.values.byteLength + this.used.byteLength;
  }
}

/**
 * Posting lists in one Int32Array. A key's value in its NumMap: NONE (no records), a record slot (≥ 0, one record),
 * or −(offset + 2) of a list: pool[offset] = capacity, pool[offset + 1] = length, then the slots.
 */
export class PostingPool {
  pool = new Int32Array(1 << 16);
  private top = 0;
  /** Freed lists by log2(capacity). */
  private readonly free: number[][] = [];

  private alloc(capacity: number): number {
    const cls = 31 - Math.clz32(capacity);
    const reuse = this.free[cls]?.pop();
    if (reuse !== undefined) return reuse;
    const need = this.top + capacity + 2;
    if (need > this.pool.length) {
      let size = this.pool.length * 2;
      while (size < need) size *= 2;
      const next = new Int32Array(size);
      next.set(this.pool.subarray(0, this.top));
      this.pool = next;
    }
    const at = this.top;
    this.top = need;
    this.pool[at] = capacity;
    return at;
  }

  private release(at: number): void {
    const cls = 31 - Math.clz32(this.pool[at]!);
    (this.free[cls] ??= []).push(at);
  }

  add(map: NumMap, key: number, slot: number): void {
    const v = map.get(key);
    if (v === NONE) {
      map.set(key, slot);
      return;
    }
    if (v >= 0) {
      const at = this.alloc(4);
      this.pool[at + 1] = 2;
      this.pool[at + 2] = v;
      this.pool[at + 3] = slot;
      map.set(key, -(at + 2));
      return;
    }
    let at = -v - 2;
    const cap = this.pool[at]!;
    const len = this.pool[at + 1]!;
    if (len === cap) {
      const next = this.alloc(cap * 2);
      this.pool.copyWithin(next + 1, at + 1, at + 2 + len);
      this.release(at);
      at = next;
      map.set(key, -(at + 2));
    }
    this.pool[at + 2 + len] = slot;
    this.pool[at + 1] = len + 1;
  }

  remove(map: NumMap, key: number, slot: number): void {
    const v = map.get(key);
    if (v === NONE) return;
    if (v >= 0) {
      if (v === slot) map.set(key, NONE);
      return;
    }
    const at = -v - 2;
    const len = this.pool[at + 1]!;
    for (let k = 0; k < len; k++) {
      if (this.pool[at + 2 + k] !== slot) continue;
      this.pool[at + 2 + k] = this.pool[at + 1 + len]!;
      this.pool[at + 1] = len - 1;
      if (len - 1 === 1) {
        map.set(key, this.pool[at + 2]!);
        this.release(at);
      }
      return;
    }
  }

  get bytes(): number {
    return this.pool.byteLength;
  }
}

// ---------------------------------------------------------------------------------------------
// Growable typed columns kept by the index itself.

export function grownInt32(a: Int32Array, n: number): Int32Array {
  if (n <= a.length) return a;
  const next = new Int32Array(Math.max(n, a.length * 2));
  next.set(a);
  return next;
}

export function grownFloat64(a: Float64Array, n: number): Float64Array {
  if (n <= a.length) return a;
  const next = new Float64Array(Math.max(n, a.length * 2));
  next.set(a);
  return next;
}

export function grownUint8(a: Uint8Array, n: number): Uint8Array {
  if (n <= a.length) return a;
  const next = new Uint8Array(Math.max(n, a.length * 2));
  next.set(a);
  return next;
}

/** Fixed-size selection of the k smallest (distance, slot) pairs: a max-heap. */
export class NearestK {
  readonly dist: Float64Array;
  readonly slot: Int32Array;
  size = 0;
  constructor(readonly k: number) {
    this.dist = new Float64Array(k);
    this.slot = new Int32Array(k);
  }
  private greater(a: number, b: number): boolean {
    return this.dist[a]! > this.dist[b]! || (this.dist[a] === this.dist[b] && this.slot[a]! > this.slot[b]!);
  }
  private swap(a: number, b: number): void {
    const d = this.dist[a]!;
    const s = this.slot[a]!;
    this.dist[a] = this.dist[b]!;
    this.slot[a] = this.slot[b]!;
    this.dist[b] = d;
    this.slot[b] = s;
  }
  offer(d: number, s: number): void {
    if (this.size < this.k) {
      let c = this.size++;
      this.dist[c] = d;
      this.slot[c] = s;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!this.greater(c, p)) break;
        this.swap(c, p);
        c = p;
      }
      return;
    }
    if (d > this.dist[0]! || (d === this.dist[0] && s > this.slot[0]!)) return;
    this.dist[0] = d;
    this.slot[0] = s;
    let p = 0;
    for (;;) {
      const l = 2 * p + 1;
      const r = l + 1;
      let m = p;
      if (l < this.size && this.greater(l, m)) m = l;
      if (r < this.size && this.greater(r, m)) m = r;
      if (m === p) break;
      this.swap(p, m);
      p = m;
    }
  }
}

