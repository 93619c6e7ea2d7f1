import * as crypto from 'crypto';
import { findResource } from '../api/resources';
import type { ValueTransformer } from './value-transformer';

/**
 * Encryption at rest, as kube-apiserver does it with `--encryption-provider-config`: an
 * EncryptionConfiguration lists, per resource, an ordered chain of providers.
 *
 *   const enc = new EncryptionTransformer({
 *     resources: [{ resources: ['secrets'], providers: [
 *       { aesgcm: { keys: [{ name: 'key1', secret: 'c2VjcmV0IGlzIHNlY3VyZSwgaXMgaXQ/IDMyIGI=' }] } },
 *       { identity: {} },
 *     ] }],
 *   }, sim.rng('apiserver/encryption'));
 *   const store = new MvccStore({ transformer: enc });
 *
 *   store.put('/registry/secrets/default/db', '{"kind":"Secret",...}')
 *   store.rawRange('/registry/secrets/default/db').kvs[0].value
 *   // => 'k8s:enc:aesgcm:v1:key1:' + 12-byte nonce + ciphertext + 16-byte GCM tag
 *   store.get('/registry/secrets/default/db').value   // => '{"kind":"Secret",...}' again
 *   store.put('/registry/pods/default/web', '{...}')  // not a configured resource: stored as is
 *
 * The rules are the real ones (k8s.io/apiserver/pkg/storage/value):
 *
 * - Writes use the FIRST provider, and its first key. aescbc and aesgcm prefix what they
 *   store with `k8s:enc:<provider>:v1:<key name>:`; identity stores the plaintext.
 * - Reads try the providers in order and use the first whose prefix matches (every key of
 *   every provider has its own prefix), so a value written with an older key stays readable
 *   as long as that key is still listed anywhere. identity matches anything that does not
 *   start with `k8s:enc:`. Nothing matches: "no matching prefix found".
 * - A value read with anything but the first provider's first key is stale: rewriting it
 *   (read, then write back) encrypts it with the current key. That is how keys are rotated:
 *   add the new key second, then first, rewrite everything, then remove the old key.
 *
 * Formats, byte for byte as kube-apiserver writes them (aes/aes.go):
 *
 *   aescbc  prefix | IV (16 bytes) | AES-CBC(plaintext + PKCS#7 padding)
 *   aesgcm  prefix | nonce (12 bytes) | AES-GCM(plaintext) | tag (16 bytes)
 *           the etcd key is the authenticated data: a value copied to another key fails to open
 *
 * Keys are 16, 24 or 32 bytes (AES-128/192/256), base64 in the configuration.
 *
 * The store holds strings. An encrypted value is the prefix followed by the raw bytes, one
 * character per byte (a "binary" string, code points 0..255): exactly the bytes etcd would
 * hold. `hexdump(value)` shows them the way `etcdctl get ... | hexdump -C` does.
 *
 * A read that fails throws an EncryptionError worded like the API server's:
 *   unable to transform key "/registry/secrets/default/db": cipher: message authentication failed
 */
export interface EncryptionKey {
  name: string;
  /** The key itself, base64: 16, 24 or 32 bytes once decoded. */
  secret: string;
}

export type EncryptionProvider =
  | { identity: Record<string, never> }
  | { aescbc: { keys: EncryptionKey[] } }
  | { aesgcm: { keys: EncryptionKey[] } };

export interface EncryptionConfiguration {
  apiVersion?: string;
  kind?: string;
  resources: Array<{ resources: string[]; providers: EncryptionProvider[] }>;
}

/** Where nonces and IVs come from: a seeded stream (sim.rng(...)), so that runs replay. */
export interface RandomSource {
  nextUint32(): number;
}

/** What a stored value says about how it was written. */
export interface StoredBy {
  /** 'identity', 'aescbc' or 'aesgcm'. */
  provider: string;
  /** The key's name, for aescbc and aesgcm. */
  keyName?: string;
  /** Read with anything but the first provider's first key: a rewrite would re-encrypt it. */
  stale: boolean;
}

export class EncryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncryptionError';
  }
}

/** The prefix every encrypting provider's output starts with, and identity refuses to read. */
export const ENCRYPTED_PREFIX = 'k8s:enc:';
export const AES_KEY_SIZES = [16, 24, 32];
const GCM_NONCE_SIZE = 12;
const GCM_TAG_SIZE = 16;
const BLOCK_SIZE = 16;

/** One entry of the read chain: a prefix and how to undo what was stored behind it. */
interface Transform {
  provider: string;
  keyName?: string;
  prefix: string;
  encrypt(plaintext: Buffer, etcdKey: string): Buffer;
  decrypt(data: Buffer, etcdKey: string): Buffer;
}

export class EncryptionTransformer implements ValueTransformer {
  /** etcd key prefix (e.g. '/registry/secrets/') => its chain, first entry writes. */
  private chains = new Map<string, Transform[]>();

  constructor(
    config: EncryptionConfiguration,
    private readonly random: RandomSource,
  ) {
    this.reload(config);
  }

  /**
   * Takes a new configuration, as kube-apiserver does on a restart (or by itself, with
   * --encryption-provider-config-automatic-reload). What is already stored is not touched.
   */
  reload(config: EncryptionConfiguration): void {
    const chains = new Map<string, Transform[]>();
    if (config === null || typeof config !== 'object' || !Array.isArray(config.resources) || config.resources.length === 0) {
      throw new EncryptionError('resources: Required value: at least one resources is required');
    }
    config.resources.forEach((entry, i) => {
      const providers = entry.providers ?? [];
      if (providers.length === 0) throw new EncryptionError(`resources[${i}].providers: Required value: at least one resources[${i}].providers is required`);
      const chain = providers.flatMap((p, j) => transformsOf(p, `resources[${i}].providers[${j}]`, this.random));
      for (const resource of entry.resources ?? []) {
        const prefix = registryPrefix(resource);
        if (chains.has(prefix)) throw new EncryptionError(`resources[${i}].resources: Invalid value: the same resource cannot be specified multiple times (${resource})`);
        chains.set(prefix, chain);
      }
    });
    this.chains = chains;
  }

  /** The etcd key prefixes this transformer encrypts: ['/registry/secrets/']. */
  encryptedPrefixes(): string[] {
    return [...this.chains.keys()];
  }

  toStorage(key: string, plaintext: string): string {
    const chain = this.chainFor(key);
    if (chain === undefined) return plaintext;
    const first = chain[0];
    if (first.provider === 'identity') return plaintext;
    return first.prefix + first.encrypt(Buffer.from(plaintext, 'utf8'), key).toString('latin1');
  }

  fromStorage(key: string, stored: string): string {
    return this.read(key, stored).plaintext;
  }

  /** The plaintext, and which provider and key it was stored with. */
  read(key: string, stored: string): { plaintext: string } & StoredBy {
    const chain = this.chainFor(key);
    if (chain === undefined) return { plaintext: stored, provider: 'identity', stale: false };
    const errors: string[] = [];
    for (let i = 0; i < chain.length; i++) {
      const t = chain[i];
      if (!stored.startsWith(t.prefix)) continue;
      if (t.provider === 'identity') {
        // identity matches everything, but must not hand out ciphertext as if it were data;
        // it steps aside (without an error of its own) so that a later provider can try.
        if (stored.startsWith(ENCRYPTED_PREFIX)) continue;
        return { plaintext: stored, provider: 'identity', stale: i !== 0 };
      }
      try {
        const plain = t.decrypt(Buffer.from(stored.slice(t.prefix.length), 'latin1'), key);
        return { plaintext: plain.toString('utf8'), provider: t.provider, keyName: t.keyName, stale: i !== 0 };
      } catch (err) {
        // Two providers may share a prefix (the same key name in two places): keep trying.
        errors.push((err as Error).message);
      }
    }
    const reason = errors.length === 0 ? 'no matching prefix found' : errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
    throw new EncryptionError(`unable to transform key ${JSON.stringify(key)}: ${reason}`);
  }

  /**
   * The names of the keys that read `key`'s values, in the order they are tried ('identity' for
   * that provider): the first one writes. [] for a resource that is not encrypted.
   *
   *   keyNames('/registry/secrets/default/db')   // => ['key2', 'key1', 'identity']
   */
  keyNames(key: string): string[] {
    return (this.chainFor(key) ?? []).map((t) => t.keyName ?? t.provider);
  }

  /** How a stored value was written, without decrypting it (undefined: no provider would read it). */
  storedBy(key: string, stored: string): StoredBy | undefined {
    try {
      const { provider, keyName, stale } = this.read(key, stored);
      return keyName === undefined ? { provider, stale } : { provider, keyName, stale };
    } catch {
      return undefined;
    }
  }

  private chainFor(key: string): Transform[] | undefined {
    for (const [prefix, chain] of this.chains) if (key.startsWith(prefix)) return chain;
    return undefined;
  }
}

/**
 * A fresh base64 key of `bytes` bytes, drawn from `random`: for demos and tests only. A real
 * key comes from a CSPRNG (`head -c 32 /dev/urandom | base64`).
 */
export function generateKey(random: RandomSource, bytes = 32): string {
  return randomBytes(random, bytes).toString('base64');
}

/**
 * A stored value as `etcdctl get <key> | hexdump -C` prints it: offset, 16 bytes in hex,
 * then the same bytes as text ('.' where not printable). At most `maxBytes` bytes.
 *
 *   hexdump('k8s:enc:aescbc:v1:key1:...')
 *   // 00000000  6b 38 73 3a 65 6e 63 3a  61 65 73 63 62 63 3a 76  |k8s:enc:aescbc:v|
 */
export function hexdump(stored: string, maxBytes = 256): string {
  const bytes = storedBytes(stored);
  const shown = bytes.subarray(0, maxBytes);
  const lines: string[] = [];
  for (let off = 0; off < shown.length; off += 16) {
    const row = shown.subarray(off, off + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const text = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${text}|`);
  }
  if (bytes.length > shown.length) lines.push(`... ${bytes.length - shown.length} more bytes`);
  return lines.join('\n');
}

/**
 * The bytes of a stored value: an encrypted one is a binary string (one character per byte);
 * anything else is text, stored as UTF-8.
 */
export function storedBytes(stored: string): Buffer {
  return stored.startsWith(ENCRYPTED_PREFIX) ? Buffer.from(stored, 'latin1') : Buffer.from(stored, 'utf8');
}

function transformsOf(provider: EncryptionProvider, path: string, random: RandomSource): Transform[] {
  const p = provider as Record<string, unknown>;
  const names = Object.keys(p ?? {}).filter((k) => p[k] !== undefined);
  if (names.length === 0) throw new EncryptionError(`${path}: Invalid value: provider does not contain any of the expected providers: AESGCM, AESCBC, Identity`);
  if (names.length > 1) throw new EncryptionError(`${path}: Invalid value: more than one provider specified in a single element, should split into different list elements`);
  const name = names[0];
  if (name === 'identity') {
    return [{ provider: 'identity', prefix: '', encrypt: (b) => b, decrypt: (b) => b }];
  }
  if (name !== 'aescbc' && name !== 'aesgcm') {
    throw new EncryptionError(`${path}: Invalid value: provider ${JSON.stringify(name)} is not one of aescbc, aesgcm, identity in this lab`);
  }
  const keys = ((p[name] as { keys?: EncryptionKey[] })?.keys ?? []) as EncryptionKey[];
  if (keys.length === 0) throw new EncryptionError(`${path}.${name}.keys: Required value: at least one keys is required`);
  return keys.map((k, i) => {
    const where = `${path}.${name}.keys[${i}]`;
    if (!k.name) throw new EncryptionError(`${where}.name: Required value: name is a mandatory field for a key`);
    const key = decodeKey(k.secret, `${where}.secret`);
    const prefix = `${ENCRYPTED_PREFIX}${name}:v1:${k.name}:`;
    return name === 'aescbc' ? cbc(k.name, prefix, key, random) : gcm(k.name, prefix, key, random);
  });
}

function decodeKey(secret: string, path: string): Buffer {
  if (!secret) throw new EncryptionError(`${path}: Required value: secret is a mandatory field for a key`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(secret) || secret.length % 4 !== 0) throw new EncryptionError(`${path}: Invalid value: "REDACTED": secrets must be base64 encoded`);
  const key = Buffer.from(secret, 'base64');
  if (!AES_KEY_SIZES.includes(key.length)) {
    throw new EncryptionError(`${path}: Invalid value: "REDACTED": secret is not of the expected length, got ${key.length}, expected one of [${AES_KEY_SIZES.join(' ')}]`);
  }
  return key;
}

/** AES-CBC: a fresh IV per value, PKCS#7 padding (done by hand, to check it as Kubernetes does). */
function cbc(keyName: string, prefix: string, key: Buffer, random: RandomSource): Transform {
  const algorithm = `aes-${key.length * 8}-cbc`;
  return {
    provider: 'aescbc',
    keyName,
    prefix,
    encrypt(plaintext) {
      const iv = randomBytes(random, BLOCK_SIZE);
      const padding = BLOCK_SIZE - (plaintext.length % BLOCK_SIZE); // 1..16: always at least one byte
      const padded = Buffer.concat([plaintext, Buffer.alloc(padding, padding)]);
      const cipher = crypto.createCipheriv(algorithm, key, iv).setAutoPadding(false);
      return Buffer.concat([iv, cipher.update(padded), cipher.final()]);
    },
    decrypt(data) {
      if (data.length < BLOCK_SIZE) throw new Error('the stored data was shorter than the required size');
      const iv = data.subarray(0, BLOCK_SIZE);
      const body = data.subarray(BLOCK_SIZE);
      if (body.length % BLOCK_SIZE !== 0) throw new Error('the stored data is not a multiple of the block size');
      const decipher = crypto.createDecipheriv(algorithm, key, iv).setAutoPadding(false);
      const padded = Buffer.concat([decipher.update(body), decipher.final()]);
      const padding = padded.length === 0 ? 0 : padded[padded.length - 1];
      if (padding === 0 || padding > padded.length) throw new Error('invalid PKCS7 data (empty or not padded)');
      for (let i = padded.length - padding; i < padded.length; i++) {
        if (padded[i] !== padding) throw new Error('invalid padding on input');
      }
      return padded.subarray(0, padded.length - padding);
    },
  };
}

/** AES-GCM: a fresh 12-byte nonce per value; the tag authenticates the ciphertext and the etcd key. */
function gcm(keyName: string, prefix: string, key: Buffer, random: RandomSource): Transform {
  const algorithm = `aes-${key.length * 8}-gcm` as crypto.CipherGCMTypes;
  return {
    provider: 'aesgcm',
    keyName,
    prefix,
    encrypt(plaintext, etcdKey) {
      const nonce = randomBytes(random, GCM_NONCE_SIZE);
      const cipher = crypto.createCipheriv(algorithm, key, nonce, { authTagLength: GCM_TAG_SIZE });
      cipher.setAAD(Buffer.from(etcdKey, 'utf8'));
      const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return Buffer.concat([nonce, sealed, cipher.getAuthTag()]);
    },
    decrypt(data, etcdKey) {
      if (data.length < GCM_NONCE_SIZE + GCM_TAG_SIZE) throw new Error('the stored data was shorter than the required size');
      const nonce = data.subarray(0, GCM_NONCE_SIZE);
      const sealed = data.subarray(GCM_NONCE_SIZE, data.length - GCM_TAG_SIZE);
      const tag = data.subarray(data.length - GCM_TAG_SIZE);
      const decipher = crypto.createDecipheriv(algorithm, key, nonce, { authTagLength: GCM_TAG_SIZE });
      decipher.setAAD(Buffer.from(etcdKey, 'utf8'));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(sealed), decipher.final()]);
      } catch {
        // Go's crypto/cipher says it this way; Node's "Unsupported state or unable to authenticate data" means the same.
        throw new Error('cipher: message authentication failed');
      }
    },
  };
}

/**
 * `n` bytes from the seeded stream.
 *
 * DETERMINISM, NOT SECRECY. The lab draws nonces and IVs from the simulation's seeded stream so
 * that the same seed gives the same bytes, run after run. A real system must take them from a
 * cryptographically secure generator (crypto.randomBytes; kube-apiserver uses Go's crypto/rand):
 * anyone who knows the seed here can predict every IV, and a predictable CBC IV or a repeated
 * GCM nonce under the same key breaks the encryption (a repeated GCM nonce leaks the XOR of two
 * plaintexts and lets an attacker forge tags).
 */
function randomBytes(random: RandomSource, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i += 4) {
    const word = random.nextUint32();
    for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
  }
  return out;
}

/** 'secrets' => '/registry/secrets/'; 'nodes' => '/registry/minions/'; 'deployments.apps' => '/registry/deployments/'. */
function registryPrefix(resource: string): string {
  const name = resource.split('.')[0];
  if (!name || name === '*') throw new EncryptionError(`resources: Invalid value: ${JSON.stringify(resource)}: name the resources one by one in this lab`);
  return `/registry/${findResource(name)?.storagePrefix ?? name}/`;
}
