import { search } from './search';

/**
 * Keys in sorted order, sorted when asked: keys are added and removed on every write, while
 * they are read in order more rarely (an etcd prefix range, an informer's sorted list), so the
 * new keys wait in a set and are merged in, in one pass, at the next read. A key must not be
 * added while it is in, nor removed while it is out (the owner's own map tells).
 *
 *   keys.add('/b'); keys.add('/a'); keys.remove('/b')
 *   keys.withPrefix('/')   // => ['/a']
 *   keys.all()             // => ['/a'] (the same array until the keys change)
 */
export class SortedKeys {
  /** Sorted, in code-unit order (as etcd orders keys by their bytes, for ASCII keys). */
  private sorted: string[] = [];
  /** Added since the last range, not in `sorted`. */
  private readonly added = new Set<string>();
  /** In `sorted`, removed since the last range. */
  private readonly removed = new Set<string>();

  add(key: string): void {
    if (!this.removed.delete(key)) this.added.add(key);
  }

  remove(key: string): void {
    if (!this.added.delete(key)) this.removed.add(key);
  }

  /**
   * Every key, in order. The array is never changed afterwards (a change makes a new one at the
   * next read), so a caller may keep it as a snapshot, but must not change it.
   */
  all(): readonly string[] {
    this.settle();
    return this.sorted;
  }

  /** `withPrefix('/registry/pods/')` => every key starting with it, in order. */
  withPrefix(prefix: string): string[] {
    this.settle();
    const out: string[] = [];
    for (let i = this.lowerBound(prefix); i < this.sorted.length && this.sorted[i].startsWith(prefix); i++) out.push(this.sorted[i]);
    return out;
  }

  /**
   * Drops the removed keys and puts the added ones in, into a new array (so that a list handed
   * out stays as it was). Each edit is found by binary search and the keys between edits are
   * copied over: a read after one pod came or went costs a copy, not a pass of Set lookups.
   */
  private settle(): void {
    if (this.added.size === 0 && this.removed.size === 0) return;
    const added = [...this.added].sort();
    const removed = [...this.removed].sort();
    this.added.clear();
    this.removed.clear();
    const old = this.sorted;
    const out = new Array<string>(old.length + added.length - removed.length);
    let n = 0;
    let from = 0;
    const copyTo = (end: number) => {
      while (from < end) out[n++] = old[from++];
    };
    // The edits in key order; an added key is never a removed one (add and remove cancel out).
    for (let a = 0, r = 0; a < added.length || r < removed.length; ) {
      if (r === removed.length || (a < added.length && added[a] < removed[r])) {
        copyTo(this.lowerBound(added[a]));
        out[n++] = added[a++];
      } else {
        copyTo(this.lowerBound(removed[r++]));
        from++;
      }
    }
    copyTo(old.length);
    this.sorted = out;
  }

  /** The first position whose key is >= `key`. */
  private lowerBound(key: string): number {
    return search(this.sorted.length, (i) => this.sorted[i] >= key);
  }
}
