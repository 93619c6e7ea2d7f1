import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Rng } from '../sim/rng';
import { EncryptionTransformer, generateKey } from './encryption';
import { aescbcWith, aesgcmWith, encryptionConfig, encryptionConfigYaml } from './encryption-config';
import { MvccStore } from './mvcc-store';

const KEY1 = generateKey(new Rng(1));
const KEY2 = generateKey(new Rng(2));

describe('encryptionConfig', () => {
  it('builds a configuration the transformer takes: the first provider’s first key writes', () => {
    const config = encryptionConfig(aescbcWith(['key2', KEY2], ['key1', KEY1]), { identity: {} });
    const store = new MvccStore({ transformer: new EncryptionTransformer(config, new Rng(3)) });
    store.put('/registry/secrets/default/db', '{"kind":"Secret"}');
    expect(store.rawRange('/registry/secrets/default/db').kvs[0].value.startsWith('k8s:enc:aescbc:v1:key2:')).toBe(true);
    expect(store.get('/registry/secrets/default/db')?.value).toBe('{"kind":"Secret"}');
  });

  it('writes the file as kube-apiserver reads it', () => {
    const config = encryptionConfig(aesgcmWith(['key1', KEY1]), { identity: {} });
    const yaml = encryptionConfigYaml(config);
    expect(yaml).toBe(
      [
        'apiVersion: apiserver.config.k8s.io/v1',
        'kind: EncryptionConfiguration',
        'resources:',
        '  - resources:',
        '      - secrets',
        '    providers:',
        '      - aesgcm:',
        '          keys:',
        '            - name: key1',
        `              secret: ${KEY1}`,
        '      - identity: {}',
        '',
      ].join('\n'),
    );
    expect(parse(yaml)).toEqual(config);
  });
});
