/**
 * A seeded pseudo-random number generator (sfc32), so that every "random" choice in the
 * simulation — network jitter, generated pod names, scheduling tie-breaks — is replayable.
 *
 *   const rng = new Rng(42);
 *   rng.int(6)            // => the same number in 0..5 on every run with seed 42
 *   rng.fork('scheduler') // => an independent stream: adding draws elsewhere does not shift it
 *
 * Kernel code never calls Math.random(); it asks the simulation for a named stream.
 */
/**
 * The generator's state as plain data: sfc32's four 32-bit words. A pure decision that draws
 * random numbers (netfilter's `-m statistic`) takes it as an input and hands it back advanced.
 */
export interface RandomState {
  a: number;
  b: number;
  c: number;
  d: number;
}

/** One sfc32 step: a uniformly distributed 32-bit unsigned integer; advances `s` in place. */
export function nextUint32(s: RandomState): number {
  const t = (((s.a + s.b) | 0) + s.d) | 0;
  s.d = (s.d + 1) | 0;
  s.a = s.b ^ (s.b >>> 9);
  s.b = (s.c + (s.c << 3)) | 0;
  s.c = (s.c << 21) | (s.c >>> 11);
  s.c = (s.c + t) | 0;
  return t >>> 0;
}

export class Rng {
  /** The stream's state, advanced by every draw (by this generator's methods or by nextUint32 on it). */
  readonly state: RandomState;

  constructor(readonly seed: number) {
    // Spread the seed over the four words of state, then discard the first outputs,
    // which are still close to the seed.
    this.state = { a: 0x9e3779b9, b: 0x243f6a88, c: 0xb7e15162, d: seed >>> 0 };
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    return nextUint32(this.state);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Rng.int needs a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi] (both ends included). */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick needs a non-empty array');
    return items[this.int(items.length)];
  }

  /** An independent generator whose seed is derived from this seed and a name. */
  fork(name: string): Rng {
    return new Rng(hashString(`${this.seed}/${name}`));
  }
}

/** FNV-1a: a small, stable string hash (used to derive seeds, not for security). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
