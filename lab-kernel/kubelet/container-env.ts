import type { Container, Pod } from '../api/types';
import type { KeyValue } from '../runtime/cri';
import { cacheNotSynced, objectData, objectNotFound, type ConfigObjectCache, type ConfigResource } from './volumes/config-object-cache';

/**
 * makeEnvironmentVariables (kubelet_pods.go): a container's environment, worked out once when
 * the container is created, from envFrom (every key of a ConfigMap or Secret, with its prefix),
 * then env (a value, a key of a ConfigMap or Secret, a field of the pod), a later name
 * replacing an earlier one. A later change of the ConfigMap reaches a running container's
 * environment never; its next instance (a restart) reads it again.
 *
 *   env [{ name: COLOR, valueFrom: { configMapKeyRef: { name: app, key: color } } }], app.data.color = blue
 *   // => { envs: [{ key: 'COLOR', value: 'blue' }] }
 *   the key missing  // => { error: "couldn't find key color in ConfigMap default/app" }: CreateContainerConfigError
 *   the ConfigMap missing  // => { error: 'configmap "app" not found' }; with optional: true the variable is left out
 *
 * Fields: metadata.name, metadata.namespace, metadata.uid, spec.nodeName, spec.serviceAccountName;
 * `$(VAR)` references are not expanded, and status.podIP and the other status fields are not modelled.
 */
export function containerEnv(pod: Readonly<Pod>, c: Readonly<Container>, cache: ConfigObjectCache): { envs: KeyValue[] } | { error: string } {
  const namespace = pod.metadata.namespace!;
  const env = new Map<string, string>();
  /** The object's data; undefined for a missing optional one. */
  const lookup = (resource: ConfigResource, name: string, optional: boolean): { data: Record<string, string> } | { error: string } | undefined => {
    const obj = cache.get(resource, namespace, name);
    if (obj === 'not-synced') return { error: cacheNotSynced(resource) };
    if (obj === 'not-found') return optional ? undefined : { error: objectNotFound(resource, name) };
    return { data: objectData(resource, obj) };
  };
  for (const from of c.envFrom ?? []) {
    const [resource, ref] = from.configMapRef !== undefined ? (['configmaps', from.configMapRef] as const) : (['secrets', from.secretRef!] as const);
    const found = lookup(resource, ref.name, ref.optional === true);
    if (found === undefined) continue;
    if ('error' in found) return found;
    for (const [k, v] of Object.entries(found.data)) env.set(`${from.prefix ?? ''}${k}`, v);
  }
  for (const e of c.env ?? []) {
    if (e.valueFrom === undefined) {
      env.set(e.name, e.value ?? '');
      continue;
    }
    const keyRef = e.valueFrom.configMapKeyRef ?? e.valueFrom.secretKeyRef;
    if (keyRef !== undefined) {
      const resource: ConfigResource = e.valueFrom.configMapKeyRef !== undefined ? 'configmaps' : 'secrets';
      const optional = keyRef.optional === true;
      const found = lookup(resource, keyRef.name, optional);
      if (found === undefined) continue;
      if ('error' in found) return found;
      if (!(keyRef.key in found.data)) {
        if (optional) continue;
        return { error: `couldn't find key ${keyRef.key} in ${resource === 'configmaps' ? 'ConfigMap' : 'Secret'} ${namespace}/${keyRef.name}` };
      }
      env.set(e.name, found.data[keyRef.key]);
      continue;
    }
    const field = podField(pod, e.valueFrom.fieldRef?.fieldPath ?? '');
    if (field !== undefined) env.set(e.name, field);
  }
  return { envs: [...env].map(([key, value]) => ({ key, value })) };
}

function podField(pod: Readonly<Pod>, path: string): string | undefined {
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace;
    case 'metadata.uid':
      return pod.metadata.uid;
    case 'spec.nodeName':
      return pod.spec.nodeName;
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName;
    default:
      return undefined;
  }
}
