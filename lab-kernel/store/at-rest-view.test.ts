import { describe, expect, it } from 'vitest';
import { Rng } from '../sim/rng';
import { atRestView } from './at-rest-view';
import { EncryptionTransformer, generateKey, type EncryptionProvider } from './encryption';
import { aescbcWith, aesgcmWith, encryptionConfig } from './encryption-config';
import { MvccStore } from './mvcc-store';

const KEY = '/registry/secrets/default/db-password';
const JSON_142 = JSON.stringify({
  kind: 'Secret', apiVersion: 'v1', type: 'Opaque',
  metadata: { name: 'db-password', namespace: 'default' },
  data: { password: Buffer.from('hunter2').toString('base64') },
});

function storeWith(...providers: EncryptionProvider[]): MvccStore {
  const store = new MvccStore({ transformer: new EncryptionTransformer(encryptionConfig(...providers), new Rng(7)) });
  store.put(KEY, JSON_142);
  return store;
}

describe('atRestView', () => {
  it('shows the password in the clear only under identity, and the same JSON read back from all three', () => {
    const key1 = generateKey(new Rng(1));
    expect(Buffer.byteLength(JSON_142)).toBe(142);
    const rows = [storeWith({ identity: {} }), storeWith(aescbcWith(['key1', key1])), storeWith(aesgcmWith(['key1', key1]))]
      .map((store) => atRestView(store, KEY, JSON_142, 'aHVudGVyMg=='));
    expect(rows).toEqual([
      { 'bytes in etcd': 142, 'first 23 bytes': '{"kind":"Secret","apiVe', 'etcd holds "aHVudGVyMg=="': true, 'the API server reads back the same JSON': true },
      // 23 bytes of prefix, a 16-byte IV, 142 bytes padded to 144
      { 'bytes in etcd': 183, 'first 23 bytes': 'k8s:enc:aescbc:v1:key1:', 'etcd holds "aHVudGVyMg=="': false, 'the API server reads back the same JSON': true },
      // 23 bytes of prefix, a 12-byte nonce, 142 bytes of ciphertext, a 16-byte tag
      { 'bytes in etcd': 193, 'first 23 bytes': 'k8s:enc:aesgcm:v1:key1:', 'etcd holds "aHVudGVyMg=="': false, 'the API server reads back the same JSON': true },
    ]);
  });
});
