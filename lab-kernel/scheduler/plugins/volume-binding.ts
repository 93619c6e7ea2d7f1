import { ANN_SELECTED_NODE, isDelayBinding } from '../../api/storage-class';
import type { Status as ApiStatus } from '../../api/status';
import type { PersistentVolumeClaim, Pod, StorageClass } from '../../api/types';
import type { Client } from '../../client/client';
import { objectsAs, UPDATE_ACTIONS } from '../cluster-events';
import { error, success, unresolvable, type Handle, type PreBindPlugin, type PreFilterPlugin, type QueueingHint, type Status } from '../framework-types';

/**
 * VolumeBinding, simplified: a pod whose PersistentVolumeClaims are missing, being deleted or
 * not yet bound to a volume waits (its PreFilter fails for every node) until the PV
 * controller binds them.
 *
 *   pod using claim "data", claim bound (spec.volumeName set)   // => Success
 *   pod using claim "data", claim Pending                       // => "pod has unbound immediate PersistentVolumeClaims"
 *   pod using claim "gone", no such claim                        // => 'persistentvolumeclaim "gone" not found'
 *
 * QueueingHints (1.32): a pod it rejected is retried when one of its claims is created or
 * changes (bound by the PV controller, say), when a node is added or relabelled (no hint), and,
 * through buildQueueingHintMap's quirk, on every taint change.
 *
 * A claim whose StorageClass binds WaitForFirstConsumer does not hold the pod back: once a
 * node is chosen, PreBind writes it into the claim's volume.kubernetes.io/selected-node
 * annotation (the provisioner makes the volume there) and waits, checking every second for up
 * to 600 s (bindTimeout), until every claim of the pod is bound; then the pod is bound.
 *
 *   pod using claim "www" of class standard (WaitForFirstConsumer), unbound   // => PreFilter Success
 *   PreBind on node-1  // => update claim www: volume.kubernetes.io/selected-node: node-1; wait until bound
 *
 * Lab simplification: a WaitForFirstConsumer claim is always provisioned, never matched by the
 * scheduler to an existing unbound volume, and a bound volume's nodeAffinity is not checked
 * against the node (a claim is used where it was provisioned only because it is provisioned
 * where its first pod goes). Of its registrations only the claim and node ones are kept: the
 * lab's scheduler watches StorageClasses but no PersistentVolumes, CSINodes, CSIDrivers or
 * CSIStorageCapacities.
 */
export const VOLUME_BINDING = 'VolumeBinding';
export const ERR_REASON_BIND_CONFLICT = 'pod has unbound immediate PersistentVolumeClaims';

/** Looks a claim up in the scheduler's informer cache. */
export type ClaimLister = (namespace: string, name: string) => Readonly<PersistentVolumeClaim> | undefined;
/** Looks a StorageClass up in the scheduler's informer cache. */
export type ClassLister = (name: string) => Readonly<StorageClass> | undefined;
/** How often PreBind looks at the claims again, and for how long (the plugin's bindTimeout, 600 s). */
export const BIND_POLL_MS = 1_000;
export const BIND_TIMEOUT_MS = 600_000;

/** The names of the claims a pod's volumes use. */
export function claimNames(pod: Readonly<Pod>): string[] {
  return (pod.spec.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
}

/** Whether the pod's claims are all there, and bound or waiting for their first consumer, as a Status. */
export function claimsStatus(pod: Readonly<Pod>, claims: ClaimLister, classes: ClassLister = () => undefined): Status {
  let unbound = false;
  for (const name of claimNames(pod)) {
    const claim = claims(pod.metadata.namespace ?? 'default', name);
    if (claim === undefined) return unresolvable(`persistentvolumeclaim "${name}" not found`);
    if (claim.metadata.deletionTimestamp) return unresolvable(`persistentvolumeclaim "${name}" is being deleted`);
    if (!claim.spec.volumeName && !isDelayBinding(claim, classes)) unbound = true;
  }
  return unbound ? unresolvable(ERR_REASON_BIND_CONFLICT) : success();
}

/**
 * The pod's claims that wait for their first consumer and do not name this node yet: those
 * PreBind annotates.
 *
 *   claim www (WaitForFirstConsumer, unbound, no selected-node), node node-1  // => [www]
 */
export function claimsToProvision(pod: Readonly<Pod>, nodeName: string, claims: ClaimLister, classes: ClassLister): Readonly<PersistentVolumeClaim>[] {
  return claimNames(pod)
    .map((name) => claims(pod.metadata.namespace ?? 'default', name))
    .filter((c): c is Readonly<PersistentVolumeClaim> => c !== undefined && !c.spec.volumeName && isDelayBinding(c, classes) && c.metadata.annotations?.[ANN_SELECTED_NODE] !== nodeName);
}

export interface VolumeBindingArgs {
  claims: ClaimLister;
  classes?: ClassLister;
  /** For PreBind: the client that updates claims, and a timer for its checks. */
  client?: Client;
  after?: (ms: number, fn: () => void) => void;
}

export function volumeBindingPlugin(handle: Handle, args: VolumeBindingArgs): PreFilterPlugin & PreBindPlugin {
  void handle;
  const classes = args.classes ?? (() => undefined);
  return {
    name: VOLUME_BINDING,
    preFilter: (_state, pod) => ({ status: claimsStatus(pod, args.claims, classes) }),
    preBind: (_state, pod, nodeName, done) => bindPodVolumes(pod, nodeName, args, done),
    eventsToRegister: () => [
      { event: { resource: 'PersistentVolumeClaim', actions: ['Add', ...UPDATE_ACTIONS] }, hint: claimOfPodChanged },
      { event: { resource: 'Node', actions: ['Add', 'UpdateNodeLabel'] } },
    ],
  };
}

/**
 * A claim created or updated that the pod uses (isSchedulableAfterPersistentVolumeClaimChange).
 *
 *   pod default/db using claim "data", claim default/data bound   // => Queue
 *   claim other/data                                             // => QueueSkip (another namespace)
 */
export function claimOfPodChanged(pod: Readonly<Pod>, oldObj: unknown, newObj: unknown): QueueingHint {
  const [, claim] = objectsAs<PersistentVolumeClaim>('PersistentVolumeClaim', oldObj, newObj);
  if ((claim!.metadata.namespace ?? 'default') !== (pod.metadata.namespace ?? 'default')) return 'QueueSkip';
  return claimNames(pod).includes(claim!.metadata.name!) ? 'Queue' : 'QueueSkip';
}

/**
 * BindPodVolumes: annotate each claim waiting for its first consumer with the chosen node, then
 * check every second that all the pod's claims are bound (checkBindings), for at most 600 s.
 * (Upstream also gives up when the PV controller removes the annotation after a failed
 * provisioning, rescheduleProvisioning; the lab's provisioner does not fail, so that is left out.)
 */
function bindPodVolumes(pod: Readonly<Pod>, nodeName: string, args: VolumeBindingArgs, done: (status: Status) => void): void {
  const classes = args.classes ?? (() => undefined);
  const toProvision = claimsToProvision(pod, nodeName, args.claims, classes);
  if (claimNames(pod).length === 0) return done(success());
  if (args.client === undefined || args.after === undefined) return done(toProvision.length === 0 ? success() : error('binding volumes: the plugin has no client'));
  const { client, after } = args;
  const namespace = pod.metadata.namespace ?? 'default';
  const check = (waited: number): void => {
    let waiting = false;
    for (const name of claimNames(pod)) {
      const claim = args.claims(namespace, name);
      if (claim === undefined) return done(error(`binding volumes: persistentvolumeclaim "${name}" not found`));
      if (claim.spec.volumeName) continue;
      waiting = true;
    }
    if (!waiting) return done(success());
    if (waited >= BIND_TIMEOUT_MS) return done(error('binding volumes: context deadline exceeded'));
    after(BIND_POLL_MS, () => check(waited + BIND_POLL_MS));
  };
  let pending = toProvision.length;
  if (pending === 0) return check(0);
  for (const claim of toProvision) {
    const body = Object.assign({}, claim, { metadata: Object.assign({}, claim.metadata, { annotations: Object.assign({}, claim.metadata.annotations, { [ANN_SELECTED_NODE]: nodeName }) }) });
    client.request({ verb: 'update', resource: 'persistentvolumeclaims', namespace, name: claim.metadata.name, body }, (res) => {
      if (pending <= 0) return;
      if (res.code >= 300) {
        pending = 0;
        return done(error(`binding volumes: ${(res.body as ApiStatus).message}`));
      }
      if (--pending === 0) after(BIND_POLL_MS, () => check(BIND_POLL_MS));
    });
  }
}
