/**
 * Hashing an object so that the same content always gives the same number: FNV-1a over its
 * JSON with sorted keys. Deployments name ReplicaSets by the hash of their pod template; the
 * kubelet labels each container with the hash of its spec, to notice when the spec changed.
 *
 *   fnv32a(new TextEncoder().encode('a'))   // => 0xe40c292c
 *   canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })   // => '{"a":[{"c":3,"d":2}],"b":1}'
 */
const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** FNV-1a, 32 bits (Go's hash/fnv New32a): fnv32a(bytes of '') => 0x811c9dc5, of 'a' => 0xe40c292c. */
export function fnv32a(bytes: Uint8Array, seed: number = FNV32_OFFSET): number {
  let hash = seed >>> 0;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, FNV32_PRIME) >>> 0;
  return hash;
}

/** JSON with object keys sorted at every level: the same object always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
