/**
 * The simulation's agenda: events ordered by (time, sequence number).
 *
 * Two events due at the same virtual millisecond run in the order they were scheduled,
 * which is what makes a run repeatable:
 *
 *   q.push(5, 'b'); q.push(1, 'a'); q.push(5, 'c');
 *   q.pop() => 'a' (t=1), then 'b' (t=5, seq 0), then 'c' (t=5, seq 2)
 *
 * A binary min-heap: push and pop are O(log n).
 */
export interface QueuedEvent<T> {
  readonly time: number;
  readonly seq: number;
  readonly item: T;
}

export class EventQueue<T> {
  private heap: QueuedEvent<T>[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(time: number, item: T): QueuedEvent<T> {
    const event = { time, seq: this.nextSeq++, item };
    this.heap.push(event);
    this.siftUp(this.heap.length - 1);
    return event;
  }

  peek(): QueuedEvent<T> | undefined {
    return this.heap[0];
  }

  pop(): QueuedEvent<T> | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (top !== undefined && last !== undefined && this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
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
    this.heap = this.heap.filter((e) => !drop(e.item));
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private before(i: number, j: number): boolean {
    const a = this.heap[i];
    const b = this.heap[j];
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.heap.length && this.before(left, smallest)) smallest = left;
      if (right < this.heap.length && this.before(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private swap(i: number, j: number): void {
    const t = this.heap[i];
    this.heap[i] = this.heap[j];
    this.heap[j] = t;
  }
}
