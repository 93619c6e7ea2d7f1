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
    const heap = this.heap;
    // Sift up by moving parents into the hole, then put the event where the hole stops.
    let i = heap.length;
    heap.push(event);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(event, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = event;
    return event;
  }

  peek(): QueuedEvent<T> | undefined {
    return this.heap[0];
  }

  pop(): QueuedEvent<T> | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top !== undefined && last !== undefined && heap.length > 0) this.siftDown(0, last);
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
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i, this.heap[i]);
  }

  /** Puts `event` at the hole `i`, moving the earlier of its children up while they come before it. */
  private siftDown(i: number, event: QueuedEvent<T>): void {
    const heap = this.heap;
    const n = heap.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && earlier(heap[right], heap[left]) ? right : left;
      if (!earlier(heap[child], event)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = event;
  }
}

/** Whether `a` is due before `b`: earlier time, or the same time and scheduled first. */
function earlier<T>(a: QueuedEvent<T>, b: QueuedEvent<T>): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
