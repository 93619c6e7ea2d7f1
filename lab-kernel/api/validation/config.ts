import { forbidden, invalidValue, required, type StatusCause } from '../status';
import type { ConfigMap, Secret } from '../types';
import { configMapKey, immutable, invalidAll, isObject, sameJson } from './rules';

/**
 * ConfigMap and Secret validation (pkg/apis/core/validation): every key a valid file name,
 * what some Secret types require, and objects marked `immutable: true` frozen.
 *
 *   validateConfigMap({ data: { 'a b': 'x' } })
 *   // => [ data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, ... ]
 *   validateConfigMap(changedData, oldWithImmutableTrue)
 *   // => [ data: Forbidden: field is immutable when `immutable` is set ]
 */
export const IMMUTABLE_WHEN_SET = 'field is immutable when `immutable` is set';

function validateKeys(bag: Record<string, string> | undefined, field: string, other?: Record<string, string>, otherName?: string): StatusCause[] {
  if (!isObject(bag)) return [];
  const causes: StatusCause[] = [];
  for (const key of Object.keys(bag)) {
    causes.push(...invalidAll(`${field}[${key}]`, key, configMapKey(key)));
    if (isObject(other) && key in other) causes.push(invalidValue(`${field}[${key}]`, key, `duplicate of key present in ${otherName}`));
  }
  return causes;
}

/** Once `immutable: true` is stored, neither the data nor the flag may change. */
function validateImmutableUpdate(next: Readonly<ConfigMap | Secret>, old: Readonly<ConfigMap | Secret>, bags: ('data' | 'binaryData')[]): StatusCause[] {
  if (old.immutable !== true) return [];
  const causes: StatusCause[] = next.immutable === true ? [] : [forbidden('immutable', IMMUTABLE_WHEN_SET)];
  for (const bag of bags) if (!sameJson(next[bag], old[bag])) causes.push(forbidden(bag, IMMUTABLE_WHEN_SET));
  return causes;
}

export function validateConfigMap(cm: Readonly<ConfigMap>, old?: Readonly<ConfigMap>): StatusCause[] {
  const causes = [...validateKeys(cm.data, 'data', cm.binaryData, 'binaryData'), ...validateKeys(cm.binaryData, 'binaryData', cm.data, 'data')];
  if (old !== undefined) causes.push(...validateImmutableUpdate(cm, old, ['data', 'binaryData']));
  return causes;
}

/** Keys a Secret of a given type must carry. */
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
};

export function validateSecret(secret: Readonly<Secret>, old?: Readonly<Secret>): StatusCause[] {
  const causes = validateKeys(secret.data, 'data');
  const data = isObject(secret.data) ? secret.data : {};
  const type = secret.type ?? 'Opaque';
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    // Either may be empty, but one of them must be there.
    causes.push(required('data[username]'), required('data[password]'));
  }
  for (const key of REQUIRED_KEYS[type] ?? []) if (!(key in data)) causes.push(required(`data[${key}]`));
  if (type === 'kubernetes.io/service-account-token' && !secret.metadata.annotations?.['kubernetes.io/service-account.name']) {
    causes.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
  }
  if (old !== undefined) {
    causes.push(...immutable('type', secret.type, old.type));
    causes.push(...validateImmutableUpdate(secret, old, ['data']));
  }
  return causes;
}
