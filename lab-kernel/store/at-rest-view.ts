import { storedBytes } from './encryption';
import type { MvccStore } from './mvcc-store';

/**
 * One value at rest, as a table row: how many bytes etcd holds for `key`, what they start
 * with, whether `needle` (a password, in base64 say) can be found in them by anyone who copies
 * etcd's disk, and whether a read through the store (the API server's transformer) still gives
 * back `plaintext`.
 *
 *   atRestView(aesgcmStore, '/registry/secrets/default/db-password', secretJson, 'aHVudGVyMg==')
 *   // => { 'bytes in etcd': 193, 'first 23 bytes': 'k8s:enc:aesgcm:v1:key1:', 'etcd holds "aHVudGVyMg=="': false,
 *   //      'the API server reads back the same JSON': true }
 */
export function atRestView(store: MvccStore, key: string, plaintext: string, needle: string, firstBytes = 23): Record<string, string | number | boolean> {
  const raw = store.rawRange(key).kvs[0]?.value ?? '';
  return {
    'bytes in etcd': storedBytes(raw).length,
    [`first ${firstBytes} bytes`]: raw.slice(0, firstBytes),
    [`etcd holds "${needle}"`]: raw.includes(needle),
    'the API server reads back the same JSON': store.get(key)?.value === plaintext,
  };
}
