import * as crypto from 'crypto';
import { describe, expect, it } from 'vitest';
import { Rng } from '../sim/rng';
import { EncryptionError, EncryptionTransformer, generateKey, hexdump, storedBytes, type EncryptionConfiguration, type EncryptionProvider } from './encryption';
import { MvccStore } from './mvcc-store';

const KEY1 = Buffer.alloc(32, 1).toString('base64');
const KEY2 = Buffer.alloc(32, 2).toString('base64');
const KEY16 = Buffer.alloc(16, 3).toString('base64');
const KEY = '/registry/secrets/default/db';
const PASSWORD = 'hunter2-correct-horse';
const SECRET = JSON.stringify({ kind: 'Secret', apiVersion: 'v1', metadata: { name: 'db', namespace: 'default' }, stringData: { password: PASSWORD } });

function secretsWith(...providers: EncryptionProvider[]): EncryptionConfiguration {
  return { apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources: [{ resources: ['secrets'], providers }] };
}

function setup(config: EncryptionConfiguration, seed = 1) {
  const enc = new EncryptionTransformer(config, new Rng(seed));
  return { enc, store: new MvccStore({ transformer: enc }) };
}

const raw = (store: MvccStore, key = KEY) => store.rawRange(key).kvs[0].value;

describe('EncryptionTransformer: Secrets encrypted at rest, as kube-apiserver does it', () => {
  it.each<[string, EncryptionProvider]>([
    ['identity', { identity: {} }],
    ['aescbc', { aescbc: { keys: [{ name: 'key1', secret: KEY1 }] } }],
    ['aesgcm', { aesgcm: { keys: [{ name: 'key1', secret: KEY1 }] } }],
    ['aescbc, 16-byte key', { aescbc: { keys: [{ name: 'key1', secret: KEY16 }] } }],
    ['aesgcm, 16-byte key', { aesgcm: { keys: [{ name: 'key1', secret: KEY16 }] } }],
  ])('round-trips through the store with %s', (_name, provider) => {
    const { store } = setup(secretsWith(provider));
    store.put(KEY, SECRET);
    expect(store.get(KEY)?.value).toBe(SECRET);
    store.put(KEY, SECRET + ' ');
    expect(store.get(KEY, { revision: 2 })?.value).toBe(SECRET);
    expect(store.range('/registry/secrets/', { prefix: true }).kvs[0].value).toBe(SECRET + ' ');
  });

  it('round-trips every length around the block size, and non-ASCII text', () => {
    const { enc } = setup(secretsWith({ aescbc: { keys: [{ name: 'k', secret: KEY1 }] } }));
    for (let n = 0; n <= 48; n++) {
      const text = 'é'.repeat(n % 3) + 'x'.repeat(n);
      expect(enc.fromStorage(KEY, enc.toStorage(KEY, text))).toBe(text);
    }
  });

  it('stores exactly k8s:enc:<provider>:v1:<key name>: then the IV or nonce and the ciphertext', () => {
    const plain = Buffer.from(SECRET, 'utf8');
    const cbcStore = setup(secretsWith({ aescbc: { keys: [{ name: 'key1', secret: KEY1 }] } })).store;
    cbcStore.put(KEY, SECRET);
    const cbc = raw(cbcStore);
    expect(cbc.startsWith('k8s:enc:aescbc:v1:key1:')).toBe(true);
    const cbcBody = storedBytes(cbc).subarray('k8s:enc:aescbc:v1:key1:'.length);
    // 16-byte IV, then the plaintext padded up to the next multiple of 16 (always at least one byte).
    expect(cbcBody.length).toBe(16 + (Math.floor(plain.length / 16) + 1) * 16);
    // Decrypt by hand with plain AES-256-CBC (PKCS#7 is Node's default padding): the same plaintext.
    const d = crypto.createDecipheriv('aes-256-cbc', Buffer.from(KEY1, 'base64'), cbcBody.subarray(0, 16));
    expect(Buffer.concat([d.update(cbcBody.subarray(16)), d.final()]).toString('utf8')).toBe(SECRET);

    const gcmStore = setup(secretsWith({ aesgcm: { keys: [{ name: 'key1', secret: KEY1 }] } })).store;
    gcmStore.put(KEY, SECRET);
    const gcm = raw(gcmStore);
    expect(gcm.startsWith('k8s:enc:aesgcm:v1:key1:')).toBe(true);
    const gcmBody = storedBytes(gcm).subarray('k8s:enc:aesgcm:v1:key1:'.length);
    // 12-byte nonce, ciphertext as long as the plaintext, 16-byte tag; the etcd key is the authenticated data.
    expect(gcmBody.length).toBe(12 + plain.length + 16);
    const g = crypto.createDecipheriv('aes-256-gcm', Buffer.from(KEY1, 'base64'), gcmBody.subarray(0, 12));
    g.setAAD(Buffer.from(KEY));
    g.setAuthTag(gcmBody.subarray(gcmBody.length - 16));
    expect(Buffer.concat([g.update(gcmBody.subarray(12, gcmBody.length - 16)), g.final()]).toString('utf8')).toBe(SECRET);

    const identity = setup(secretsWith({ identity: {} })).store;
    identity.put(KEY, SECRET);
    expect(raw(identity)).toBe(SECRET);
  });

  it('never stores the plaintext: a raw dump of every key holds no part of it', () => {
    for (const provider of [{ aescbc: { keys: [{ name: 'key1', secret: KEY1 }] } }, { aesgcm: { keys: [{ name: 'key1', secret: KEY1 }] } }]) {
      const { store } = setup(secretsWith(provider));
      store.put(KEY, SECRET);
      store.put('/registry/secrets/kube-system/token', JSON.stringify({ data: { token: Buffer.from(PASSWORD).toString('base64') } }));
      const dump = store.rawRange('/registry/', { prefix: true }).kvs.map((kv) => `${kv.key}=${kv.value}`).join('\n');
      expect(dump).not.toContain(PASSWORD);
      expect(dump).not.toContain(Buffer.from(PASSWORD).toString('base64'));
      expect(dump).not.toContain('"kind":"Secret"');
      expect(storedBytes(dump).includes(Buffer.from(PASSWORD))).toBe(false);
    }
  });

  it('encrypts only the configured resources; everything else passes through', () => {
    const { store } = setup(secretsWith({ aesgcm: { keys: [{ name: 'key1', secret: KEY1 }] } }));
    store.put('/registry/pods/default/web', '{"kind":"Pod"}');
    store.put('/registry/configmaps/default/app', '{"kind":"ConfigMap"}');
    expect(raw(store, '/registry/pods/default/web')).toBe('{"kind":"Pod"}');
    expect(raw(store, '/registry/configmaps/default/app')).toBe('{"kind":"ConfigMap"}');
  });

  it('draws nonces and IVs from the seeded stream: same seed, same bytes; a new nonce for every write', () => {
    const config = secretsWith({ aesgcm: { keys: [{ name: 'key1', secret: KEY1 }] } });
    const a = setup(config, 7).store;
    const b = setup(config, 7).store;
    a.put(KEY, SECRET);
    b.put(KEY, SECRET);
    expect(raw(a)).toBe(raw(b));
    a.put(KEY, SECRET);
    expect(a.rawRange(KEY, { revision: 2 }).kvs[0].value).not.toBe(raw(a));
  });

  it('rotates keys: old values stay readable, new writes use the first key, a rewrite moves everything over', () => {
    const old = { aescbc: { keys: [{ name: 'key1', secret: KEY1 }] } };
    const { enc, store } = setup(secretsWith(old));
    store.put(KEY, SECRET);
    store.put('/registry/secrets/default/other', '{"x":1}');

    // Step 1: the new key is added second (every API server can now read it); writes still use key1.
    enc.reload(secretsWith({ aescbc: { keys: [{ name: 'key1', secret: KEY1 }, { name: 'key2', secret: KEY2 }] } }));
    // Step 2: the new key moves first: new writes use key2; key1 values are still readable, and stale.
    enc.reload(secretsWith({ aescbc: { keys: [{ name: 'key2', secret: KEY2 }, { name: 'key1', secret: KEY1 }] } }));
    expect(store.get(KEY)?.value).toBe(SECRET);
    expect(enc.storedBy(KEY, raw(store))).toEqual({ provider: 'aescbc', keyName: 'key1', stale: true });
    store.put('/registry/secrets/default/new', '{"y":2}');
    expect(raw(store, '/registry/secrets/default/new').startsWith('k8s:enc:aescbc:v1:key2:')).toBe(true);

    // Step 3: rewrite every Secret (kubectl get secrets -A -o json | kubectl replace -f -).
    for (const kv of store.range('/registry/secrets/', { prefix: true }).kvs) {
      store.txn([{ key: kv.key, target: 'modRevision', op: '=', value: kv.modRevision }], [{ type: 'put', key: kv.key, value: kv.value }]);
    }
    for (const kv of store.rawRange('/registry/secrets/', { prefix: true }).kvs) {
      expect(enc.storedBy(kv.key, kv.value)).toEqual({ provider: 'aescbc', keyName: 'key2', stale: false });
    }

    // Step 4: key1 can go. Its old revisions (until compacted) can no longer be read.
    enc.reload(secretsWith({ aescbc: { keys: [{ name: 'key2', secret: KEY2 }] } }));
    expect(store.get(KEY)?.value).toBe(SECRET);
    expect(() => store.get(KEY, { revision: 2 })).toThrow(`unable to transform key "${KEY}": no matching prefix found`);
  });

  it('moves between providers: identity first reads encrypted values through the later provider', () => {
    const { enc, store } = setup(secretsWith({ aesgcm: { keys: [{ name: 'key1', secret: KEY1 }] } }));
    store.put(KEY, SECRET);
    enc.reload(secretsWith({ identity: {} }, { aesgcm: { keys: [{ name: 'key1', secret: KEY1 }] } }));
    expect(store.get(KEY)?.value).toBe(SECRET);
    expect(enc.storedBy(KEY, raw(store))).toEqual({ provider: 'aesgcm', keyName: 'key1', stale: true });
    store.put(KEY, SECRET);
    expect(raw(store)).toBe(SECRET);
    // identity alone never hands out ciphertext as data.
    enc.reload(secretsWith({ identity: {} }));
    expect(() => store.get(KEY, { revision: 2 })).toThrow('no matching prefix found');
  });

  it('refuses a tampered aesgcm value, and one copied to another key, with a clear error', () => {
    const { store } = setup(secretsWith({ aesgcm: { keys: [{ name: 'key1', secret: KEY1 }] } }));
    store.put(KEY, SECRET);
    const bytes = storedBytes(raw(store));
    bytes[bytes.length - 20] ^= 0x01; // flip one bit of the ciphertext
    const tampered = bytes.toString('latin1');
    const enc = new EncryptionTransformer(secretsWith({ aesgcm: { keys: [{ name: 'key1', secret: KEY1 }] } }), new Rng(1));
    expect(() => enc.fromStorage(KEY, tampered)).toThrow(EncryptionError);
    expect(() => enc.fromStorage(KEY, tampered)).toThrow(`unable to transform key "${KEY}": cipher: message authentication failed`);
    // The untouched value, moved to another Secret's key, fails too: the key is authenticated.
    expect(() => enc.fromStorage('/registry/secrets/default/stolen', raw(store))).toThrow('cipher: message authentication failed');
    expect(() => enc.fromStorage(KEY, raw(store).slice(0, 30))).toThrow('the stored data was shorter than the required size');
  });

  it('reports a wrong aescbc key or broken padding the way Kubernetes does', () => {
    const { store } = setup(secretsWith({ aescbc: { keys: [{ name: 'key1', secret: KEY1 }] } }));
    store.put(KEY, SECRET);
    const wrongKey = new EncryptionTransformer(secretsWith({ aescbc: { keys: [{ name: 'key1', secret: KEY2 }] } }), new Rng(1));
    expect(() => wrongKey.fromStorage(KEY, raw(store))).toThrow(/unable to transform key ".*": (invalid padding on input|invalid PKCS7 data \(empty or not padded\))/);
    const enc = new EncryptionTransformer(secretsWith({ aescbc: { keys: [{ name: 'key1', secret: KEY1 }] } }), new Rng(1));
    expect(() => enc.fromStorage(KEY, raw(store) + 'x')).toThrow('the stored data is not a multiple of the block size');
  });

  it('validates the configuration as kube-apiserver does', () => {
    const rng = new Rng(1);
    expect(() => new EncryptionTransformer(secretsWith({ aescbc: { keys: [{ name: 'k', secret: Buffer.alloc(20).toString('base64') }] } }), rng)).toThrow(
      'secret is not of the expected length, got 20, expected one of [16 24 32]',
    );
    expect(() => new EncryptionTransformer(secretsWith({ aesgcm: { keys: [{ name: 'k', secret: 'not base64!' }] } }), rng)).toThrow('secrets must be base64 encoded');
    expect(() => new EncryptionTransformer(secretsWith({ aesgcm: { keys: [] } }), rng)).toThrow('at least one keys is required');
    expect(() => new EncryptionTransformer(secretsWith({ identity: {}, aescbc: { keys: [] } } as unknown as EncryptionProvider), rng)).toThrow('more than one provider');
    expect(() => new EncryptionTransformer({ resources: [] }, rng)).toThrow('at least one resources is required');
  });

  it('generates keys from the seeded stream and dumps values like hexdump -C', () => {
    const key = generateKey(new Rng(3));
    expect(Buffer.from(key, 'base64').length).toBe(32);
    expect(generateKey(new Rng(3))).toBe(key);
    expect(hexdump('k8s:enc:aescbc:v1:key1:\u0000\u00ff')).toBe(
      '00000000  6b 38 73 3a 65 6e 63 3a  61 65 73 63 62 63 3a 76  |k8s:enc:aescbc:v|\n' +
        '00000010  31 3a 6b 65 79 31 3a 00  ff                       |1:key1:..|',
    );
  });
});
