/**
 * A first-in, first-out queue whose shift is O(1): an array used in a circle. The watch cache's
 * history drops its oldest event on every write once it is full; Array.prototype.shift would
 * move every other element each time.
 *
 *   const q = new RingBuffer<string>();
 *   q.push('a'); q.push('b'); q.push('c');
 *   q.shift()      // => 'a'
 *   q.first()      // => 'b'
 *   q.toArray()    // => ['b', 'c']
 *   q.toArray(1)   // => ['c']
 *   q.at(0)        // => 'b'
 *   q.length       // => 2
 */
export class RingBuffer<T> {
  private slots: (T | undefined)[] = new Array(16);
  /** Index of the oldest element. */
  private head = 0;
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(item: T): void {
    if (this.size === this.slots.length) this.grow();
    this.slots[(this.head + this.size) % this.slots.length] = item;
    this.size++;
  }

  /** Removes and returns the oldest element (undefined when empty). */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.slots.length;
    this.size--;
    return item;
  }

  /** The oldest element (undefined when empty). */
  first(): T | undefined {
    return this.size === 0 ? undefined : this.slots[this.head];
  }

  /** The element `index` places after the oldest (0 is the oldest); undefined past the end. */
  at(index: number): T | undefined {
    return index >= 0 && index < this.size ? this.slots[(this.head + index) % this.slots.length] : undefined;
  }

  /** The elements from `from` places after the oldest on (every element by default), oldest first. */
  toArray(from = 0): T[] {
    const start = Math.max(0, Math.min(from, this.size));
    const out: T[] = new Array(this.size - start);
    for (let i = start; i < this.size; i++) out[i - start] = this.slots[(this.head + i) % this.slots.length] as T;
    return out;
  }

  clear(): void {
    this.slots = new Array(16);
    this.head = 0;
    this.size = 0;
  }

  /** Twice the room, the elements laid out from index 0 again. */
  private grow(): void {
    const items = this.toArray();
    this.slots = new Array(this.slots.length * 2);
    for (let i = 0; i < items.length; i++) this.slots[i] = items[i];
    this.head = 0;
  }
}
