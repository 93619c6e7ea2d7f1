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
 * and etcd keys were never renamed.
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
  { kind: 'ReplicaSet', resource: 'replicasets', group: 'apps', version: 'v1', namespaced: true, storagePrefix: 'replicasets', shortNames: ['rs'], hasStatus: true },
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
  const n = name.toLowerCase();
  return RESOURCES.find((r) => r.resource === n || r.kind.toLowerCase() === n || r.shortNames.includes(n));
}

export function storageKey(info: ResourceInfo, namespace: string | undefined, name: string): string {
  return info.namespaced ? `/registry/${info.storagePrefix}/${namespace}/${name}` : `/registry/${info.storagePrefix}/${name}`;
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
