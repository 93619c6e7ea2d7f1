import type { KubeObject, OwnerReference } from './types';

/**
 * The owner reference that says `controller: true`, if any (metav1.GetControllerOf): the one
 * owner that manages the object. Controllers ask it of every pod at every sync, so it loops
 * instead of making a closure or an iterator.
 *
 *   controllerRef(pod with ownerReferences [{ kind: 'ReplicaSet', name: 'web-7d4', uid: 'u1', controller: true }])
 *   // => { kind: 'ReplicaSet', name: 'web-7d4', uid: 'u1', controller: true }
 *   controllerRef(pod with no ownerReferences)   // => undefined
 */
export function controllerRef(obj: Readonly<KubeObject>): Readonly<OwnerReference> | undefined {
  const refs = obj.metadata.ownerReferences;
  if (refs === undefined) return undefined;
  for (let i = 0; i < refs.length; i++) if (refs[i].controller === true) return refs[i];
  return undefined;
}
