/**
 * A typed array twice as long, holding the same elements at the front: how the agenda and the
 * trace grow their columns.
 *
 *   doubled(Float64Array.of(1, 2))   // => Float64Array [1, 2, 0, 0]
 */
export function doubled<T extends Float64Array | Int32Array | Uint8Array>(array: T): T {
  const bigger = new (array.constructor as new (length: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}
