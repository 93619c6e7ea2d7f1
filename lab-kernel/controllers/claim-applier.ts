import { objectKey, sortedByKey } from '../api/resources';
import type { KubeObject } from '../api/types';
import type { Client } from '../client/client';
import type { PendingRequests } from '../client/controller-runner';
import { typedClient } from '../client/typed-client';
import type { Simulation } from '../sim/simulation';
import type { Claims } from './claim-pods';

/**
 * Carries out a claim decision (claim-pods.ts) as kube-controller-manager's
 * ControllerRefManager does, with one strategic merge patch per object that changes hands:
 *
 *   adopt    {"metadata":{"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web",
 *             "uid":"<rs uid>","controller":true,"blockOwnerDeletion":true}],"uid":"<pod uid>"}}
 *   release  {"metadata":{"ownerReferences":[{"$patch":"delete","uid":"<rs uid>"}],"uid":"<pod uid>"}}
 *
 * The object's own uid in the patch is a precondition: if the pod was deleted and created again
 * under the same name, the uid differs and the API server refuses the patch (422), so a
 * stranger is never adopted. The API server also refuses an adoption if the pod gained another
 * controller meanwhile (only one reference may say controller: true).
 *
 * Before the first adoption of a sync, the owner is read afresh from the API server (a GET,
 * not the cache; RecheckDeletionTimestamp): if it is being deleted, or the name now belongs
 * to another object (another uid), no adoption is attempted and each counts as failed.
 * Releases need no such check.
 *
 * What each answer means:
 *   adopt ok            -> the patched object joins the owned list
 *   adopt 404           -> the object is gone: not owned, no error
 *   adopt other error   -> not owned, and the sync fails (retry with backoff)
 *   release ok / 404 / 422 (no such reference, or another object under that name) -> not owned, no error
 *   release other error -> the sync fails (retry with backoff)
 *
 * A Job's claims also carry its tracking finalizer: an adoption adds it, a release takes it
 * off with the `$deleteFromPrimitiveList/finalizers` directive (GenerateDeleteOwnerRefStrategicMergeBytes).
 *
 * Each release is in the trace as kube-controller-manager logs it:
 *   `replicaset-controller: patching pod default_web-x7k2p to remove its controllerRef to apps/v1/ReplicaSet:web`
 *
 *   applyClaims({ sim, client, controller, owner, resource: 'pods', claims, requests }, (owned, failed) => ...)
 *   // claims { owned: [a], adopt: [c], release: [b] }, every patch answered 200
 *   // => owned [a, c'] (c' as the API server returned it, with its new reference), failed false
 */
export interface ClaimOwner {
  /** The owner as the sync read it from the cache. */
  readonly object: Readonly<KubeObject>;
  /** Its API group/version and kind, as its controller reference names them. */
  readonly apiVersion: string;
  readonly kind: string;
  /** Its resource, for the fresh read before adopting. */
  readonly resource: string;
}

export interface ClaimRequest<T extends KubeObject> {
  readonly sim: Simulation;
  readonly client: Client;
  /** The controller's name, for the trace. */
  readonly controller: string;
  readonly owner: ClaimOwner;
  /** The claimed objects' resource ('pods', or 'replicasets' for a Deployment). */
  readonly resource: string;
  readonly claims: Claims<T>;
  /** The sync's writes: each patch (and the fresh read) is one of them. */
  readonly requests: PendingRequests;
  /** Finalizers an adoption adds and a release takes off (the Job controller's tracking finalizer). */
  readonly finalizers?: readonly string[];
}

/** The strategic merge patch that makes `owner` the object's controller (and adds `finalizers`). */
export function adoptPatch(owner: ClaimOwner, objectUid: string, finalizers: readonly string[] = []): unknown {
  const { name, uid } = owner.object.metadata;
  const ownerReferences = [{ apiVersion: owner.apiVersion, kind: owner.kind, name, uid, controller: true, blockOwnerDeletion: true }];
  return { metadata: { ownerReferences, uid: objectUid, ...(finalizers.length > 0 ? { finalizers: [...finalizers] } : {}) } };
}

/** The strategic merge patch that removes the reference to the owner with this uid (and `finalizers`). */
export function releasePatch(ownerUid: string, objectUid: string, finalizers: readonly string[] = []): unknown {
  const deleteFinalizers = finalizers.length > 0 ? { '$deleteFromPrimitiveList/finalizers': [...finalizers] } : {};
  return { metadata: { uid: objectUid, ownerReferences: [{ $patch: 'delete', uid: ownerUid }], ...deleteFinalizers } };
}

/** Sends the claims' patches; `then` gets what the owner owns once every patch is answered. */
export function applyClaims<T extends KubeObject>(req: ClaimRequest<T>, then: (owned: Readonly<T>[], failed: boolean) => void): void {
  const { sim, client, controller, owner, claims, requests } = req;
  const namespace = owner.object.metadata.namespace;
  const api = typedClient<T>(client, req.resource, namespace);
  const owned = [...claims.owned];
  let open = claims.release.length + claims.adopt.length;
  let failed = false;
  // One patch answered: `failure` fails the sync; the owner's list is complete when all are.
  const answered = (done: (failure?: string) => void, failure?: string) => {
    if (failure !== undefined) failed = true;
    done(failure);
    if (--open === 0) then(sortedByKey(owned), failed);
  };
  if (open === 0) return then(owned, false);

  for (const obj of claims.release) {
    const done = requests.start();
    const name = obj.metadata.name!;
    const noun = obj.kind === 'Pod' ? 'pod' : obj.kind;
    const ownerName = owner.object.metadata.name!;
    sim.trace.action(sim.now(), client.component, `${controller}: patching ${noun} ${namespace}_${name} to remove its controllerRef to ${owner.apiVersion}/${owner.kind}:${ownerName}`, { key: objectKey(obj) });
    api.patch(name, 'application/strategic-merge-patch+json', releasePatch(owner.object.metadata.uid!, obj.metadata.uid!, req.finalizers), (r) => {
      const ignored = r.kind === 'ok' || r.status.code === 404 || r.status.code === 422;
      answered(done, ignored ? undefined : `release ${noun} ${name}: ${r.kind === 'error' ? r.status.message : ''}`);
    });
  }
  if (claims.adopt.length === 0) return;

  const recheck = requests.start();
  canAdopt(req, (refusal) => {
    recheck();
    for (const obj of claims.adopt) {
      const done = requests.start();
      const name = obj.metadata.name!;
      if (refusal !== undefined) {
        answered(done, `can't adopt ${obj.kind} ${namespace}/${name} (${obj.metadata.uid}): ${refusal}`);
        continue;
      }
      api.patch(name, 'application/strategic-merge-patch+json', adoptPatch(owner, obj.metadata.uid!, req.finalizers), (r) => {
        if (r.kind === 'ok') owned.push(r.object);
        answered(done, r.kind === 'ok' || r.status.code === 404 ? undefined : `adopt ${obj.kind === 'Pod' ? 'pod' : obj.kind} ${name}: ${r.status.message}`);
      });
    }
  });
}

/**
 * RecheckDeletionTimestamp: a fresh GET of the owner; `then` gets why it may not adopt, or
 * nothing if it may.
 */
function canAdopt<T extends KubeObject>(req: ClaimRequest<T>, then: (refusal?: string) => void): void {
  const { object, kind, resource } = req.owner;
  const { namespace, name, uid } = object.metadata;
  typedClient(req.client, resource, namespace).get(name!, (r) => {
    if (r.kind === 'error') return then(`can't recheck DeletionTimestamp: ${r.status.message}`);
    const fresh = r.object.metadata;
    if (fresh.uid !== uid) return then(`can't recheck DeletionTimestamp: original ${kind} ${namespace}/${name} is gone: got uid ${fresh.uid}, wanted ${uid}`);
    if (fresh.deletionTimestamp !== undefined) return then(`${namespace}/${name} has just been deleted at ${fresh.deletionTimestamp}`);
    then();
  });
}
