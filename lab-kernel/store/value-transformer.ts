/**
 * A value transformer: what the storage layer does to every value on its way to disk and back.
 *
 * Kubernetes encrypts Secrets at rest this way: the API server's storage layer runs each value
 * through a transformer before it reaches etcd, so etcd (and its backups, and anyone reading
 * its disk) only ever holds ciphertext with a prefix naming how to decrypt it:
 *
 *   toStorage('/registry/secrets/default/db', '{"kind":"Secret",...}')
 *   // => 'k8s:enc:aesgcm:v1:key1:<nonce and ciphertext>'
 *   fromStorage('/registry/secrets/default/db', 'k8s:enc:aesgcm:v1:key1:...')
 *   // => '{"kind":"Secret",...}'
 *
 * The store applies `toStorage` to every value it writes and `fromStorage` to every value it
 * hands out (reads, transaction results, watch events). `rawRange` skips `fromStorage`, to
 * show what is really stored. The default changes nothing.
 */
export interface ValueTransformer {
  /** The bytes to store for `plaintext` under `key`. */
  toStorage(key: string, plaintext: string): string;
  /** The plaintext back from what `toStorage` stored under `key`. */
  fromStorage(key: string, stored: string): string;
}

export const IDENTITY_TRANSFORMER: ValueTransformer = {
  toStorage: (_key, plaintext) => plaintext,
  fromStorage: (_key, stored) => stored,
};
