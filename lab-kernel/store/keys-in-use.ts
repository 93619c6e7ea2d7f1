import type { EncryptionTransformer } from './encryption';
import type { MvccStore } from './mvcc-store';

/**
 * Where a key rotation stands, as a table row: the keys of the configuration, in the order
 * they are tried (the first writes), and for each value stored under `prefix` (named by the
 * last segment of its key) the key it is encrypted with: 'key1', 'key1 (stale)' when that is
 * no longer the first key (a rewrite would re-encrypt it), 'identity' for plaintext, or
 * 'UNREADABLE' when no key of the configuration can open it.
 *
 *   keysInUse(store, transformer, '/registry/secrets/')
 *   // => { 'keys, in order': 'key2, key1', 'db-password': 'key1 (stale)', 'bootstrap-token': 'key1 (stale)' }
 */
export function keysInUse(store: MvccStore, transformer: EncryptionTransformer, prefix: string): Record<string, string> {
  const row: Record<string, string> = { 'keys, in order': transformer.keyNames(prefix).join(', ') };
  for (const kv of store.rawRange(prefix, { prefix: true }).kvs) {
    const by = transformer.storedBy(kv.key, kv.value);
    row[kv.key.split('/').pop()!] = by === undefined ? 'UNREADABLE' : `${by.keyName ?? by.provider}${by.stale ? ' (stale)' : ''}`;
  }
  return row;
}
