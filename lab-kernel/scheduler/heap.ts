/**
 * A binary heap keyed by name: the shape of kube-scheduler's internal/heap, which backs the
 * active queue (ordered by QueueSort) and the backoff queue (ordered by backoff expiry).
 *
 *   const h = new Heap<number>((a, b) => a < b);
 *   h.push('x', 3); h.push('y', 1); h.push('z', 2);
 *   h.pop()          // => 1 (the item for which `less` holds against all others)
 *   h.delete('z');   h.has('x') // => true
 *
 * Push, pop and delete by name cost O(log n); pushing a name already there replaces its item.
 */
export class Heap<T> {
  private readonly items: { key: string; value: T }[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get length(): number {
    return this.items.length;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  get(key: string): T | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.items[i].value;
  }

  /** The first item without removing it. */
  peek(): T | undefined {
    return this.items[0]?.value;
  }

  push(key: string, value: T): void {
    const at = this.index.get(key);
    if (at !== undefined) {
      this.items[at].value = value;
      this.fix(at);
      return;
    }
    this.items.push({ key, value });
    this.index.set(key, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    if (this.items.length === 0) return undefined;
    const top = this.items[0];
    this.removeAt(0);
    return top.value;
  }

  delete(key: string): T | undefined {
    const at = this.index.get(key);
    if (at === undefined) return undefined;
    const value = this.items[at].value;
    this.removeAt(at);
    return value;
  }

  /** Every item, in no particular order. */
  values(): T[] {
    return this.items.map((e) => e.value);
  }

  private removeAt(at: number): void {
    const last = this.items.pop()!;
    this.index.delete(this.items.length === at ? last.key : this.items[at].key);
    if (at === this.items.length) return;
    this.items[at] = last;
    this.index.set(last.key, at);
    this.fix(at);
  }

  private fix(at: number): void {
    if (!this.down(at)) this.up(at);
  }

  private up(at: number): void {
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.less(this.items[at].value, this.items[parent].value)) break;
      this.swap(at, parent);
      at = parent;
    }
  }

  /** Returns whether the item moved. */
  private down(start: number): boolean {
    let at = start;
    for (;;) {
      const l = 2 * at + 1;
      if (l >= this.items.length) break;
      const r = l + 1;
      const child = r < this.items.length && this.less(this.items[r].value, this.items[l].value) ? r : l;
      if (!this.less(this.items[child].value, this.items[at].value)) break;
      this.swap(at, child);
      at = child;
    }
    return at !== start;
  }

  private swap(i: number, j: number): void {
    const a = this.items[i];
    this.items[i] = this.items[j];
    this.items[j] = a;
    this.index.set(this.items[i].key, i);
    this.index.set(this.items[j].key, j);
  }
}
