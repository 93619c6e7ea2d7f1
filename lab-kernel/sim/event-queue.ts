import { doubled } from './doubled';

/**
 * The simulation's agenda: events ordered by (time, sequence number).
 *
 * Two events due at the same virtual millisecond run in the order they were scheduled,
 * which is what makes a run repeatable:
 *
 *   q.push(5, 'b'); q.push(1, 'a'); q.push(5, 'c');
 *   q.peekTime() => 1
 *   q.pop() => 'a' (t=1), then 'b' (t=5, seq 0), then 'c' (t=5, seq 2)
 *
 * A binary min-heap: push and pop are O(log n). Times and sequence numbers sit in typed arrays
 * beside the items, so that comparing two entries reads two numbers next to each other instead
 * of two objects somewhere on the heap, and an event costs no wrapper object: an idle 100-node
 * cluster runs about 1.9 million events a virtual hour.
 */
export class EventQueue<T> {
  private times = new Float64Array(64);
  private seqs = new Float64Array(64);
  private items: (T | undefined)[] = new Array(64);
  private count = 0;
  private nextSeq = 0;

  get size(): number {
    return this.count;
  }

  push(time: number, item: T): void {
    if (this.count === this.times.length) this.grow();
    const seq = this.nextSeq++;
    const { times, seqs, items } = this;
    // Sift up by moving parents into the hole, then put the event where the hole stops.
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const t = times[parent];
      if (t < time || (t === time && seqs[parent] < seq)) break;
      times[i] = t;
      seqs[i] = seqs[parent];
      items[i] = items[parent];
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    items[i] = item;
  }

  /** When the earliest event is due (undefined when empty). */
  peekTime(): number | undefined {
    return this.count === 0 ? undefined : this.times[0];
  }

  /** The earliest event, left in place (undefined when empty). */
  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[0];
  }

  /** Removes and returns the earliest event (undefined when empty). */
  pop(): T | undefined {
    if (this.count === 0) return undefined;
    const items = this.items;
    const top = items[0];
    const last = --this.count;
    if (last > 0) this.siftDown(0, this.times[last], this.seqs[last], items[last] as T);
    items[last] = undefined;
    return top;
  }

  /**
   * Removes every event whose item `drop` picks, then restores the heap (bottom-up, O(n)).
   * The rest pop in the order they would have: it depends only on (time, sequence number).
   *
   *   q.push(1, 'a'); q.push(2, 'b'); q.push(3, 'c');
   *   q.removeWhere((x) => x === 'b');   // q.pop() => 'a', then 'c'
   */
  removeWhere(drop: (item: T) => boolean): void {
    const { times, seqs, items } = this;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      if (drop(items[i] as T)) continue;
      times[kept] = times[i];
      seqs[kept] = seqs[i];
      items[kept] = items[i];
      kept++;
    }
    for (let i = kept; i < this.count; i++) items[i] = undefined;
    this.count = kept;
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.siftDown(i, times[i], seqs[i], items[i] as T);
  }

  /** Puts the event (time, seq, item) at the hole `i`, moving the earlier of its children up while they come before it. */
  private siftDown(i: number, time: number, seq: number, item: T): void {
    const { times, seqs, items, count } = this;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= count) break;
      const right = left + 1;
      let child = left;
      if (right < count) {
        const tr = times[right];
        const tl = times[left];
        if (tr < tl || (tr === tl && seqs[right] < seqs[left])) child = right;
      }
      const t = times[child];
      if (t > time || (t === time && seqs[child] > seq)) break;
      times[i] = t;
      seqs[i] = seqs[child];
      items[i] = items[child];
      i = child;
    }
    times[i] = time;
    seqs[i] = seq;
    items[i] = item;
  }

  /** Twice the room. */
  private grow(): void {
    this.times = doubled(this.times);
    this.seqs = doubled(this.seqs);
    this.items.length = this.times.length;
  }
}
