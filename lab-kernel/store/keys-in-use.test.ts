import { describe, expect, it } from 'vitest';
import { Rng } from '../sim/rng';
import { EncryptionTransformer, generateKey } from './encryption';
import { aescbcWith, encryptionConfig } from './encryption-config';
import { keysInUse } from './keys-in-use';
import { MvccStore } from './mvcc-store';

const KEY1 = generateKey(new Rng(1));
const KEY2 = generateKey(new Rng(2));
const SECRETS = '/registry/secrets/';

describe('keysInUse', () => {
  it('follows a rotation: add key2 second, move it first, rewrite, remove key1', () => {
    const transformer = new EncryptionTransformer(encryptionConfig(aescbcWith(['key1', KEY1])), new Rng(3));
    const store = new MvccStore({ transformer });
    store.put(`${SECRETS}default/db-password`, '{"kind":"Secret"}');
    store.put(`${SECRETS}kube-system/bootstrap-token`, '{"kind":"Secret"}');
    const rows = [keysInUse(store, transformer, SECRETS)];
    transformer.reload(encryptionConfig(aescbcWith(['key1', KEY1], ['key2', KEY2])));
    rows.push(keysInUse(store, transformer, SECRETS));
    transformer.reload(encryptionConfig(aescbcWith(['key2', KEY2], ['key1', KEY1])));
    rows.push(keysInUse(store, transformer, SECRETS));
    for (const kv of store.range(SECRETS, { prefix: true }).kvs) store.put(kv.key, kv.value);
    rows.push(keysInUse(store, transformer, SECRETS));
    transformer.reload(encryptionConfig(aescbcWith(['key2', KEY2])));
    rows.push(keysInUse(store, transformer, SECRETS));
    expect(rows).toEqual([
      { 'keys, in order': 'key1', 'db-password': 'key1', 'bootstrap-token': 'key1' },
      { 'keys, in order': 'key1, key2', 'db-password': 'key1', 'bootstrap-token': 'key1' },
      { 'keys, in order': 'key2, key1', 'db-password': 'key1 (stale)', 'bootstrap-token': 'key1 (stale)' },
      { 'keys, in order': 'key2, key1', 'db-password': 'key2', 'bootstrap-token': 'key2' },
      { 'keys, in order': 'key2', 'db-password': 'key2', 'bootstrap-token': 'key2' },
    ]);
  });

  it('says UNREADABLE for a value no listed key opens, and identity for plaintext', () => {
    const transformer = new EncryptionTransformer(encryptionConfig({ identity: {} }), new Rng(3));
    const store = new MvccStore({ transformer });
    store.put(`${SECRETS}default/plain`, '{"kind":"Secret"}');
    transformer.reload(encryptionConfig(aescbcWith(['key1', KEY1]), { identity: {} }));
    store.put(`${SECRETS}default/sealed`, '{"kind":"Secret"}');
    transformer.reload(encryptionConfig(aescbcWith(['key2', KEY2])));
    expect(keysInUse(store, transformer, SECRETS)).toEqual({ 'keys, in order': 'key2', plain: 'UNREADABLE', sealed: 'UNREADABLE' });
    transformer.reload(encryptionConfig(aescbcWith(['key2', KEY2]), { identity: {} }));
    expect(keysInUse(store, transformer, SECRETS)).toEqual({ 'keys, in order': 'key2, identity', plain: 'identity (stale)', sealed: 'UNREADABLE' });
  });
});
