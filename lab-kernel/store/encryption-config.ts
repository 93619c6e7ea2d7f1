import { stringify } from 'yaml';
import type { EncryptionConfiguration, EncryptionProvider } from './encryption';

/**
 * kube-apiserver's --encryption-provider-config for Secrets, built in one line, and written out
 * as the file would read.
 *
 *   encryptionConfig(aesgcmWith(['key1', 'TXEk...=']), { identity: {} })
 *   // => { apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration',
 *   //      resources: [{ resources: ['secrets'], providers: [{ aesgcm: { keys: [{ name: 'key1', secret: 'TXEk...=' }] } }, { identity: {} }] }] }
 *   encryptionConfigYaml(config)
 *   // => 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources:\n      - secrets\n ...'
 */

/** A configuration that encrypts Secrets with `providers`, in order: the first writes, any of them reads. */
export function encryptionConfig(...providers: EncryptionProvider[]): EncryptionConfiguration {
  return { apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources: [{ resources: ['secrets'], providers }] };
}

/** The aescbc provider with these keys, [name, base64 secret], in order: the first encrypts. */
export function aescbcWith(...keys: Array<[string, string]>): EncryptionProvider {
  return { aescbc: { keys: keys.map(([name, secret]) => ({ name, secret })) } };
}

/** The aesgcm provider with these keys, [name, base64 secret], in order: the first encrypts. */
export function aesgcmWith(...keys: Array<[string, string]>): EncryptionProvider {
  return { aesgcm: { keys: keys.map(([name, secret]) => ({ name, secret })) } };
}

/** The configuration as its YAML file (/etc/kubernetes/enc/config.yaml, say) would read. */
export function encryptionConfigYaml(config: EncryptionConfiguration): string {
  return stringify(config);
}
