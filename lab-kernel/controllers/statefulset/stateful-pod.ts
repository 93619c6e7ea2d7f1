import type { PersistentVolumeClaim, Pod, PodTemplateSpec, StatefulSet, Volume } from '../../api/types';
import { CONTROLLER_REVISION_HASH_LABEL } from '../history/controller-revisions';

/**
 * A StatefulSet's pods and claims as its controller makes them
 * (pkg/controller/statefulset/stateful_set_utils.go: newStatefulSetPod, initIdentity,
 * updateIdentity, updateStorage, getPersistentVolumeClaims, setPodRevision):
 *
 *   newStatefulSetPod(web, web's template, 0, 'web-6c8d7b9f5')
 *   // => name web-0, labels { app: nginx, statefulset.kubernetes.io/pod-name: web-0,
 *   //    apps.kubernetes.io/pod-index: '0', controller-revision-hash: web-6c8d7b9f5 },
 *   //    owned by the StatefulSet, spec.hostname web-0, spec.subdomain nginx (spec.serviceName),
 *   //    volume www -> persistentVolumeClaim www-web-0
 *   newClaim(web, 'www', 0)
 *   // => PersistentVolumeClaim www-web-0 labelled { app: nginx }, the template's spec, no owner
 *   //    (persistentVolumeClaimRetentionPolicy Retain/Retain, the default)
 *
 * The hostname and subdomain are what give the pod its DNS name web-0.nginx.<ns>.svc through the
 * headless Service; the lab has no cluster DNS yet, so they are set and not served.
 */
export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** PodIndexLabel (beta and on by default since 1.28). */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

/**
 * getParentNameAndOrdinal: the ordinal of a pod of this set, from its name <set>-<ordinal>;
 * undefined for a name of another shape or another set.
 *
 *   ordinalOf('web', 'web-12')     // => 12
 *   ordinalOf('web', 'web-x')      // => undefined
 *   ordinalOf('web', 'web-db-0')   // => undefined (the pod of set web-db)
 */
export function ordinalOf(setName: string, podName: string): number | undefined {
  const m = /^(.*)-([0-9]+)$/.exec(podName);
  return m !== null && m[1] === setName ? Number(m[2]) : undefined;
}

/** getPersistentVolumeClaimName: <template>-<set>-<ordinal>. */
export function claimName(setName: string, template: string, ordinal: number): string {
  return `${template}-${setName}-${ordinal}`;
}

/** The pod of `ordinal`, from `template` (the update revision's, or the current one's below the partition), labelled with its revision. */
export function newStatefulSetPod(set: Readonly<StatefulSet>, template: Readonly<PodTemplateSpec>, ordinal: number, revision: string): Pod {
  const t = structuredClone(template) as PodTemplateSpec;
  const setName = set.metadata.name!;
  const name = `${setName}-${ordinal}`;
  const claimVolumes: Volume[] = (set.spec.volumeClaimTemplates ?? []).map((c) => ({ name: c.metadata.name!, persistentVolumeClaim: { claimName: claimName(setName, c.metadata.name!, ordinal) } }));
  const own = new Set(claimVolumes.map((v) => v.name));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace,
      labels: Object.assign({}, t.metadata?.labels, { [STATEFULSET_POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [CONTROLLER_REVISION_HASH_LABEL]: revision }),
      ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: setName, uid: set.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: Object.assign({}, t.spec!, {
      hostname: name,
      ...(set.spec.serviceName ? { subdomain: set.spec.serviceName } : {}),
      volumes: [...claimVolumes, ...(t.spec?.volumes ?? []).filter((v) => !own.has(v.name))],
    }),
  };
}

/**
 * The claim of one volumeClaimTemplate for `ordinal`: the template, renamed, in the set's
 * namespace, labelled with the template's labels and the selector's matchLabels. With
 * whenDeleted: Delete it names the set as its controller, so the garbage collector deletes it
 * with the set; with Retain (the default) nothing owns it, and it outlives pod and set.
 */
export function newClaim(set: Readonly<StatefulSet>, template: string, ordinal: number): PersistentVolumeClaim {
  const t = structuredClone(set.spec.volumeClaimTemplates!.find((c) => c.metadata.name === template)!);
  const deleteWithSet = set.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete';
  const { status: _status, ...claim } = t;
  return Object.assign({}, claim, {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: Object.assign({}, claim.metadata, {
      name: claimName(set.metadata.name!, template, ordinal),
      namespace: set.metadata.namespace,
      labels: Object.assign({}, claim.metadata.labels, set.spec.selector.matchLabels),
      ...(deleteWithSet ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name!, uid: set.metadata.uid!, controller: true, blockOwnerDeletion: true }] } : {}),
    }),
  });
}
