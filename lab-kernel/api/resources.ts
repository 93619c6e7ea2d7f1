import type { KubeObject } from './types';

/**
 * What the API server knows about each kind: its REST name, group, whether it lives in a
 * namespace, and where etcd keeps it.
 *
 *   resourceFor('ReplicaSet')  // => { resource: 'replicasets', group: 'apps', namespaced: true, ... }
 *   storageKey(resourceFor('Pod'), 'default', 'web')  // => '/registry/pods/default/web'
 *   storageKey(resourceFor('Node'), undefined, 'node-1') // => '/registry/minions/node-1'
 *
 * Nodes really are stored under /registry/minions: "minion" was the old name for a worker node,
 * and etcd keys were never renamed. Likewise ReplicationControllers live under
 * /registry/controllers, Services under /registry/services/specs (next to their Endpoints
 * under /registry/services/endpoints) and Ingresses under /registry/ingress. The prefixes
 * below are kube-apiserver's own.
 */
export interface ResourceInfo {
  kind: string;
  /** The plural, lower-case REST name. */
  resource: string;
  /** The API group ('' is the core group, served under /api/v1). */
  group: string;
  version: string;
  namespaced: boolean;
  /** The folder under /registry in etcd. */
  storagePrefix: string;
  /** Names kubectl accepts for it (`po`, `rs`, ...). */
  shortNames: string[];
  /** Has a status subresource: the main endpoint ignores status, /status ignores the rest. */
  hasStatus: boolean;
}

export const RESOURCES: readonly ResourceInfo[] = [
  { kind: 'Namespace', resource: 'namespaces', group: '', version: 'v1', namespaced: false, storagePrefix: 'namespaces', shortNames: ['ns'], hasStatus: true },
  { kind: 'Node', resource: 'nodes', group: '', version: 'v1', namespaced: false, storagePrefix: 'minions', shortNames: ['no'], hasStatus: true },
  { kind: 'Pod', resource: 'pods', group: '', version: 'v1', namespaced: true, storagePrefix: 'pods', shortNames: ['po'], hasStatus: true },
  { kind: 'Service', resource: 'services', group: '', version: 'v1', namespaced: true, storagePrefix: 'services/specs', shortNames: ['svc'], hasStatus: true },
  { kind: 'Endpoints', resource: 'endpoints', group: '', version: 'v1', namespaced: true, storagePrefix: 'services/endpoints', shortNames: ['ep'], hasStatus: false },
  { kind: 'ConfigMap', resource: 'configmaps', group: '', version: 'v1', namespaced: true, storagePrefix: 'configmaps', shortNames: ['cm'], hasStatus: false },
  { kind: 'Secret', resource: 'secrets', group: '', version: 'v1', namespaced: true, storagePrefix: 'secrets', shortNames: [], hasStatus: false },
  { kind: 'ServiceAccount', resource: 'serviceaccounts', group: '', version: 'v1', namespaced: true, storagePrefix: 'serviceaccounts', shortNames: ['sa'], hasStatus: false },
  { kind: 'PersistentVolume', resource: 'persistentvolumes', group: '', version: 'v1', namespaced: false, storagePrefix: 'persistentvolumes', shortNames: ['pv'], hasStatus: true },
  { kind: 'PersistentVolumeClaim', resource: 'persistentvolumeclaims', group: '', version: 'v1', namespaced: true, storagePrefix: 'persistentvolumeclaims', shortNames: ['pvc'], hasStatus: true },
  { kind: 'ReplicationController', resource: 'replicationcontrollers', group: '', version: 'v1', namespaced: true, storagePrefix: 'controllers', shortNames: ['rc'], hasStatus: true },
  { kind: 'ResourceQuota', resource: 'resourcequotas', group: '', version: 'v1', namespaced: true, storagePrefix: 'resourcequotas', shortNames: ['quota'], hasStatus: true },
  { kind: 'LimitRange', resource: 'limitranges', group: '', version: 'v1', namespaced: true, storagePrefix: 'limitranges', shortNames: ['limits'], hasStatus: false },
  { kind: 'Event', resource: 'events', group: '', version: 'v1', namespaced: true, storagePrefix: 'events', shortNames: ['ev'], hasStatus: false },
  { kind: 'ReplicaSet', resource: 'replicasets', group: 'apps', version: 'v1', namespaced: true, storagePrefix: 'replicasets', shortNames: ['rs'], hasStatus: true },
  { kind: 'Deployment', resource: 'deployments', group: 'apps', version: 'v1', namespaced: true, storagePrefix: 'deployments', shortNames: ['deploy'], hasStatus: true },
  { kind: 'StatefulSet', resource: 'statefulsets', group: 'apps', version: 'v1', namespaced: true, storagePrefix: 'statefulsets', shortNames: ['sts'], hasStatus: true },
  { kind: 'DaemonSet', resource: 'daemonsets', group: 'apps', version: 'v1', namespaced: true, storagePrefix: 'daemonsets', shortNames: ['ds'], hasStatus: true },
  { kind: 'ControllerRevision', resource: 'controllerrevisions', group: 'apps', version: 'v1', namespaced: true, storagePrefix: 'controllerrevisions', shortNames: [], hasStatus: false },
  { kind: 'Job', resource: 'jobs', group: 'batch', version: 'v1', namespaced: true, storagePrefix: 'jobs', shortNames: [], hasStatus: true },
  { kind: 'CronJob', resource: 'cronjobs', group: 'batch', version: 'v1', namespaced: true, storagePrefix: 'cronjobs', shortNames: ['cj'], hasStatus: true },
  { kind: 'EndpointSlice', resource: 'endpointslices', group: 'discovery.k8s.io', version: 'v1', namespaced: true, storagePrefix: 'endpointslices', shortNames: [], hasStatus: false },
  { kind: 'Ingress', resource: 'ingresses', group: 'networking.k8s.io', version: 'v1', namespaced: true, storagePrefix: 'ingress', shortNames: ['ing'], hasStatus: true },
  { kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers', group: 'autoscaling', version: 'v2', namespaced: true, storagePrefix: 'horizontalpodautoscalers', shortNames: ['hpa'], hasStatus: true },
  { kind: 'StorageClass', resource: 'storageclasses', group: 'storage.k8s.io', version: 'v1', namespaced: false, storagePrefix: 'storageclasses', shortNames: ['sc'], hasStatus: false },
  { kind: 'PriorityClass', resource: 'priorityclasses', group: 'scheduling.k8s.io', version: 'v1', namespaced: false, storagePrefix: 'priorityclasses', shortNames: ['pc'], hasStatus: false },
  { kind: 'Lease', resource: 'leases', group: 'coordination.k8s.io', version: 'v1', namespaced: true, storagePrefix: 'leases', shortNames: [], hasStatus: false },
  { kind: 'Role', resource: 'roles', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: true, storagePrefix: 'roles', shortNames: [], hasStatus: false },
  { kind: 'ClusterRole', resource: 'clusterroles', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: false, storagePrefix: 'clusterroles', shortNames: [], hasStatus: false },
  { kind: 'RoleBinding', resource: 'rolebindings', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: true, storagePrefix: 'rolebindings', shortNames: [], hasStatus: false },
  { kind: 'ClusterRoleBinding', resource: 'clusterrolebindings', group: 'rbac.authorization.k8s.io', version: 'v1', namespaced: false, storagePrefix: 'clusterrolebindings', shortNames: [], hasStatus: false },
];

export function apiVersionOf(info: ResourceInfo): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

export function resourceFor(kind: string): ResourceInfo {
  const info = RESOURCES.find((r) => r.kind === kind);
  if (info === undefined) throw new Error(`the lab does not serve kind ${JSON.stringify(kind)} yet`);
  return info;
}

/** Looks a resource up the way kubectl does: by plural, singular, kind or short name. */
export function findResource(name: string): ResourceInfo | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Every name a resource answers to (its plural, its kind in lower case, its short names); the resource listed first wins. */
const BY_NAME: ReadonlyMap<string, ResourceInfo> = (() => {
  const names = new Map<string, ResourceInfo>();
  for (const r of RESOURCES) {
    for (const k of [r.resource, r.kind.toLowerCase(), ...r.shortNames]) if (!names.has(k)) names.set(k, r);
  }
  return names;
})();

export function storageKey(info: ResourceInfo, namespace: string | undefined, name: string): string {
  return info.namespaced ? `/registry/${info.storagePrefix}/${namespace}/${name}` : `/registry/${info.storagePrefix}/${name}`;
}

/**
 * The inverse of storageKey: what a key under /registry says. `resource` is spelled as in the
 * key, which is not always the API's name: nodes are under `minions`, services under
 * `services/specs`. A prefix the lab does not serve is read from the segments alone
 * (`/registry/<resource>/<namespace>/<name>` or `/registry/<resource>/<name>`).
 *
 *   parseStorageKey('/registry/pods/kube-system/etcd-0')  // => { resource: 'pods', namespace: 'kube-system', name: 'etcd-0' }
 *   parseStorageKey('/registry/minions/node-1')           // => { resource: 'minions', namespace: undefined, name: 'node-1' }
 */
export function parseStorageKey(key: string): { resource: string; namespace: string | undefined; name: string } {
  const known = RESOURCES.filter((r) => key.startsWith(`/registry/${r.storagePrefix}/`)).sort((a, b) => b.storagePrefix.length - a.storagePrefix.length)[0];
  const resource = known?.storagePrefix ?? key.split('/')[2];
  const rest = key.slice(`/registry/${resource}/`.length).split('/');
  const namespaced = known === undefined ? rest.length === 2 : known.namespaced;
  return { resource, namespace: namespaced ? rest[0] : undefined, name: rest[rest.length - 1] };
}

/** The etcd prefix that holds every object of a resource (in one namespace, or all). */
export function storagePrefix(info: ResourceInfo, namespace?: string): string {
  return info.namespaced && namespace !== undefined ? `/registry/${info.storagePrefix}/${namespace}/` : `/registry/${info.storagePrefix}/`;
}

/** `namespace/name` for namespaced objects, `name` otherwise: the key informers and queues use. */
export function objectKey(obj: Readonly<KubeObject>): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name}` : `${obj.metadata.name}`;
}

/** String.prototype.localeCompare's order, without making a collator per comparison. */
const KEY_ORDER = new Intl.Collator();

/**
 * The objects ordered by their keys, by default as `a.localeCompare(b)` orders the keys (equal
 * keys keep their order), each key made once: what a controller's sync does with a thousand pods.
 *
 *   sortedByKey([pod 'default/web-b', pod 'default/web-a'])   // => [web-a, web-b]
 */
export function sortedByKey<T extends Readonly<KubeObject>>(objects: readonly T[], compare: (a: string, b: string) => number = KEY_ORDER.compare): T[] {
  const keyed = objects.map((o) => ({ key: objectKey(o), o }));
  keyed.sort((a, b) => compare(a.key, b.key));
  return keyed.map((k) => k.o);
}
