/**
 * Binary search, as Go's sort.Search: the first index in [0, n) at which `reached(i)` holds,
 * for a `reached` that is false up to some index and true from there on; n if it never holds.
 * The trace, the watch cache's history, etcd's log and key histories, and sorted key lists
 * all search with it.
 *
 *   search(5, (i) => [1, 3, 5, 7, 9][i] >= 6)   // => 3
 *   search(5, (i) => [1, 3, 5, 7, 9][i] > 9)    // => 5
 */
export function search(n: number, reached: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (reached(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
