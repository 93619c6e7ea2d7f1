/**
 * Whether two values are the same JSON document, as JSON.stringify would write them, without
 * writing them: key order does not matter, a field whose value is undefined is the same as a
 * missing one, and an undefined array element is null.
 *
 *   jsonEqual({ a: 1, b: undefined }, { a: 1 })    // => true
 *   jsonEqual({ a: 1, b: 2 }, { b: 2, a: 1 })      // => true
 *   jsonEqual([1, undefined], [1, null])           // => true
 *   jsonEqual({ a: [1, 2] }, { a: [2, 1] })        // => false
 *   jsonEqual(undefined, null)                     // => false (JSON.stringify writes nothing for one, 'null' for the other)
 *
 * The API server asks it on every write (is this update a no-op?), so it walks the two values
 * once instead of serializing, parsing and comparing them.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return samePrimitive(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i] ?? null, other[i] ?? null)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let defined = 0;
  for (const key in x) {
    if (x[key] === undefined) continue;
    defined++;
    if (y[key] === undefined || !jsonEqual(x[key], y[key])) return false;
  }
  for (const key in y) if (y[key] !== undefined) defined--;
  return defined === 0;
}

/** Numbers JSON cannot hold (NaN, Infinity) are written as null. */
function samePrimitive(a: unknown, b: unknown): boolean {
  const json = (v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v);
  return json(a) === json(b);
}
