import type { Rng } from '../../sim/rng';

/**
 * The set of taken items of one range (a Service's cluster IPs, its node ports), each item
 * known by its offset from the start of the range, as kube-apiserver's AllocationBitmap
 * (pkg/registry/core/service/allocator/bitmap.go, 1.32) keeps them.
 *
 * The range is split in two bands at `offset`: a client that asks for a particular item gets
 * it wherever it lies, but the API server picking one for a client (allocateNext) looks in the
 * upper band first, from a random place, and falls back to the lower band only when the upper
 * one is full (randomScanStrategyWithOffset). The lower band is left for items people choose,
 * such as the DNS Service's 10.96.0.10, so that they rarely find them taken.
 *
 *   const bits = new AllocationBitmap(10, 4, rng);   // offsets 0..9, lower band 0..3
 *   bits.allocate(2)        // => true (and false a second time)
 *   bits.allocateNext()     // => 4..9, from a random start in the upper band, scanning forward
 *   // once 4..9 are all taken: => 0, 1 or 3, from a random start in the lower band
 *   bits.release(2); bits.has(2)  // => false
 *
 * Simplified: the bitmap lives in the API server's memory. kube-apiserver keeps it in etcd as
 * a RangeAllocation (/registry/ranges/serviceips, /registry/ranges/servicenodeports) and
 * repairs it from the stored Services every 3 minutes; the lab has one API server, which never
 * restarts, so the memory is the truth.
 */
export class AllocationBitmap {
  private readonly taken = new Set<number>();

  constructor(
    /** How many items the range holds: offsets 0 .. max-1. */
    readonly max: number,
    /** Where the upper band starts; 0: no lower band. */
    readonly offset: number,
    private readonly rng: Rng,
  ) {}

  /** Takes the item at `at`: true, or false if it was already taken. */
  allocate(at: number): boolean {
    if (this.taken.has(at)) return false;
    this.taken.add(at);
    return true;
  }

  /** Takes a free item chosen as kube-apiserver chooses; undefined when the range is full. */
  allocateNext(): number | undefined {
    if (this.taken.size >= this.max) return undefined;
    const upper = this.max - this.offset;
    const fromUpper = this.scan(this.offset, upper);
    const at = fromUpper ?? (this.offset > 0 ? this.scan(0, this.offset) : undefined);
    if (at !== undefined) this.taken.add(at);
    return at;
  }

  /** Gives the item back; releasing a free item does nothing. */
  release(at: number): void {
    this.taken.delete(at);
  }

  has(at: number): boolean {
    return this.taken.has(at);
  }

  /** How many items are still free. */
  free(): number {
    return this.max - this.taken.size;
  }

  /** The first free offset in [base, base+size), scanning forward from a random start and wrapping. */
  private scan(base: number, size: number): number | undefined {
    if (size <= 0) return undefined;
    const start = this.rng.int(size);
    for (let i = 0; i < size; i++) {
      const at = base + ((start + i) % size);
      if (!this.taken.has(at)) return at;
    }
    return undefined;
  }
}
