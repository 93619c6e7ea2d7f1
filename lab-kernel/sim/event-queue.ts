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
    // Sift up by moving parents into the hole, then put the event where the hole stops.
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.dueBefore(parent, time, seq)) break;
      this.move(parent, i);
      i = parent;
    }
    this.put(i, time, seq, item);
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
    let kept = 0;
    for (let i = 0; i < this.count; i++) if (!drop(this.items[i] as T)) this.move(i, kept++);
    for (let i = kept; i < this.count; i++) this.items[i] = undefined;
    this.count = kept;
    for (let i = (kept >> 1) - 1; i >= 0; i--) this.siftDown(i, this.times[i], this.seqs[i], this.items[i] as T);
  }

  /** Puts the event (time, seq, item) at the hole `i`, moving the earlier of its children up while they come before it. */
  private siftDown(i: number, time: number, seq: number, item: T): void {
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.count) break;
      const right = left + 1;
      const child = right < this.count && this.dueBefore(right, this.times[left], this.seqs[left]) ? right : left;
      if (!this.dueBefore(child, time, seq)) break;
      this.move(child, i);
      i = child;
    }
    this.put(i, time, seq, item);
  }

  /** Whether the entry at `i` is due before an event at (time, seq). */
  private dueBefore(i: number, time: number, seq: number): boolean {
    const t = this.times[i];
    return t < time || (t === time && this.seqs[i] < seq);
  }

  /** Copies the entry at `from` into the slot `to`. */
  private move(from: number, to: number): void {
    this.times[to] = this.times[from];
    this.seqs[to] = this.seqs[from];
    this.items[to] = this.items[from];
  }

  private put(i: number, time: number, seq: number, item: T): void {
    this.times[i] = time;
    this.seqs[i] = seq;
    this.items[i] = item;
  }

  /** Twice the room. */
  private grow(): void {
    this.times = doubled(this.times);
    this.seqs = doubled(this.seqs);
    this.items.length = this.times.length;
  }
}
