import { describe, expect, it } from 'vitest';
import type { ApiRequest, ApiResponse } from '../api/request';
import type { KubeObject, Pod } from '../api/types';
import type { Client } from '../client/client';
import { PendingRequests, type ReconcileOutcome } from '../client/controller-runner';
import { Simulation } from '../sim/simulation';
import { adoptPatch, applyClaims, releasePatch } from './claim-applier';
import type { Claims } from './claim-pods';

const RS: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default', uid: 'rs-1' } };
const OWNER = { object: RS, apiVersion: 'apps/v1', kind: 'ReplicaSet', resource: 'replicasets' };

const pod = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: 'web' } }, spec: { containers: [] } });
const status = (code: number, message: string) => ({ code, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code } });

/** A client whose API server is `answer`; it records every request. */
function scriptedClient(answer: (req: ApiRequest) => ApiResponse) {
  const sent: ApiRequest[] = [];
  const client = {
    component: 'kube-controller-manager',
    request: (req: ApiRequest, done: (res: ApiResponse) => void) => {
      sent.push(req);
      done(answer(req));
    },
  };
  return { client: client as unknown as Client, sent };
}

/** Applies the claims against `answer`; returns what it owns, whether it failed, the sync's outcome and the requests. */
function apply(claims: Claims<Pod>, answer: (req: ApiRequest) => ApiResponse) {
  const sim = new Simulation({ seed: 1 });
  const { client, sent } = scriptedClient(answer);
  const requests = new PendingRequests();
  let result: { owned: string[]; failed: boolean } | undefined;
  applyClaims({ sim, client, controller: 'replicaset-controller', owner: OWNER, resource: 'pods', claims, requests }, (owned, failed) => {
    result = { owned: owned.map((p) => p.metadata.name!), failed };
  });
  let outcome: ReconcileOutcome | undefined;
  requests.whenSettled((o) => (outcome = o));
  return { ...result!, outcome, sent, trace: sim.trace.all().map((e) => e.summary) };
}

/** The API server: a fresh ReplicaSet `fresh`, and patches answered by `patchCode`. */
const server =
  (fresh: Partial<KubeObject['metadata']> = {}, patchCode: (name: string) => number = () => 200) =>
  (req: ApiRequest): ApiResponse => {
    if (req.verb === 'get') return { code: 200, body: { ...RS, metadata: { ...RS.metadata, ...fresh } } };
    const code = patchCode(req.name!);
    if (code !== 200) return status(code, `pods "${req.name}" answered ${code}`);
    const adopted = { ...pod(req.name!), metadata: { ...pod(req.name!).metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-1', controller: true }] } };
    return { code: 200, body: adopted };
  };

describe('applyClaims (AdoptPod, ReleasePod, RecheckDeletionTimestamp)', () => {
  it('adopts with a strategic merge patch adding the controller reference, the pod uid as precondition, after a fresh read of the owner', () => {
    const r = apply({ owned: [pod('a')], adopt: [pod('c')], release: [] }, server());
    expect(r.sent.map((q) => `${q.verb} ${q.resource}/${q.name}`)).toEqual(['get replicasets/web', 'patch pods/c']);
    expect(r.sent[1].patchType).toBe('application/strategic-merge-patch+json');
    expect(r.sent[1].body).toEqual({
      metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-1', controller: true, blockOwnerDeletion: true }], uid: 'uid-c' },
    });
    expect(r).toMatchObject({ owned: ['a', 'c'], failed: false, outcome: 'done' });
  });

  it('releases with a $patch: delete of the reference by the owner uid, logging it as kube-controller-manager does, with no fresh read', () => {
    const r = apply({ owned: [], adopt: [], release: [pod('b')] }, server());
    expect(r.sent.map((q) => q.verb)).toEqual(['patch']);
    expect(r.sent[0].body).toEqual(releasePatch('rs-1', 'uid-b'));
    expect(r.sent[0].body).toEqual({ metadata: { ownerReferences: [{ $patch: 'delete', uid: 'rs-1' }], uid: 'uid-b' } });
    expect(r.trace).toEqual(['replicaset-controller: patching pod default_b to remove its controllerRef to apps/v1/ReplicaSet:web']);
    expect(r).toMatchObject({ owned: [], failed: false, outcome: 'done' });
  });

  it('adopts nothing when the fresh read finds the owner being deleted, and the sync fails', () => {
    const r = apply({ owned: [pod('a')], adopt: [pod('c'), pod('d')], release: [] }, server({ deletionTimestamp: '2025-01-01T00:00:09Z' }));
    expect(r.sent.map((q) => q.verb)).toEqual(['get']);
    expect(r.owned).toEqual(['a']);
    expect(r.failed).toBe(true);
    expect(r.outcome).toEqual({ retry: "can't adopt Pod default/c (uid-c): default/web has just been deleted at 2025-01-01T00:00:09Z (and 1 more failed writes)" });
  });

  it('adopts nothing when the name now belongs to another object (another uid)', () => {
    const r = apply({ owned: [], adopt: [pod('c')], release: [] }, server({ uid: 'rs-2' }));
    expect(r.sent.map((q) => q.verb)).toEqual(['get']);
    expect(r.outcome).toEqual({ retry: "can't adopt Pod default/c (uid-c): can't recheck DeletionTimestamp: original ReplicaSet default/web is gone: got uid rs-2, wanted rs-1" });
  });

  it('ignores a 404 or 422 on release and a 404 on adoption; any other error fails the sync', () => {
    const codes: Record<string, number> = { gone: 404, changed: 422, adoptGone: 404, broken: 500 };
    const r = apply({ owned: [], adopt: [pod('adoptGone')], release: [pod('gone'), pod('changed')] }, server({}, (name) => codes[name] ?? 200));
    expect(r).toMatchObject({ owned: [], failed: false, outcome: 'done' });
    const broken = apply({ owned: [], adopt: [], release: [pod('broken')] }, server({}, (name) => codes[name] ?? 200));
    expect(broken.outcome).toEqual({ retry: 'release pod broken: pods "broken" answered 500' });
    const refused = apply({ owned: [], adopt: [pod('changed')], release: [] }, server({}, (name) => codes[name] ?? 200));
    expect(refused.outcome).toEqual({ retry: 'adopt pod changed: pods "changed" answered 422' });
  });

  it('builds the adoption patch for another kind with that kind’s reference', () => {
    const rc = { object: { ...RS, apiVersion: 'v1', kind: 'ReplicationController' }, apiVersion: 'v1', kind: 'ReplicationController', resource: 'replicationcontrollers' };
    expect(adoptPatch(rc, 'uid-x')).toEqual({
      metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'web', uid: 'rs-1', controller: true, blockOwnerDeletion: true }], uid: 'uid-x' },
    });
  });
});
