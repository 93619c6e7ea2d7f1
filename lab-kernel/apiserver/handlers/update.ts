import { applyDefaults } from '../../api/defaults';
import type { ApiResponse } from '../../api/request';
import { storageKey, type ResourceInfo } from '../../api/resources';
import { badRequest, conflict, STALE_OBJECT } from '../../api/status';
import type { KubeObject, ObjectMeta } from '../../api/types';
import type { Compare, KeyValue } from '../../store/mvcc-store';
import { decode, sameJson, withVersion } from '../codec';
import type { Call, Server } from '../context';
import { readyToRemove } from '../deletion';
import { retryStale, StaleStart, StaleWrite } from '../stale-write';
import type { Steps } from '../steps';
import { SUBRESOURCES } from '../subresources/registry';
import { writePending } from './pending-writes';
import { startingPoint, storedOrNotFound } from './read';

/**
 * UPDATE (PUT) with optimistic concurrency: if the body carries a resourceVersion, it must
 * still be the stored one, or the update fails with 409 Conflict and the client must re-read.
 *
 *   PUT pods/web { metadata: { resourceVersion: '7' }, ... }   // stored rv 7 => 200, rv 8
 *   PUT pods/web { metadata: { resourceVersion: '7' }, ... }   // stored rv 8 => 409 Conflict
 */
export function* update(server: Server, call: Call): Steps<ApiResponse> {
  const { req, info } = call;
  const name = req.name ?? '';
  const body = server.pipeline.decode(bodyKindOf(call), req);
  if (body.metadata.name !== undefined && body.metadata.name !== name) {
    throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
  }
  const pinned = body.metadata.resourceVersion !== undefined && body.metadata.resourceVersion !== '';
  return yield* retryStale(pinned, function* (from) {
    return yield* writeUpdate(server, call, yield* startingPoint(server, info, req, from), body);
  });
}

/**
 * The update path shared by update and patch, in kube-apiserver's order (its update handler
 * and the generic registry's Update, inside GuaranteedUpdate):
 *
 *   1. mutating admission     an update transformer: it sees what the client sent, and the stored object
 *   2. resourceVersion check  sent and stale => 409 Conflict (validation and validating admission never run)
 *   3. BeginUpdate            what the kind hands out with the change (a Service's node ports), kept only if stored
 *   4. BeforeUpdate           what the endpoint keeps from the stored object (nextVersion), then validation
 *   5. validating admission
 *   6. compare-and-swap       a no-op writes nothing
 */
export function* writeUpdate(server: Server, call: Call, start: { kv: KeyValue; fromCache: boolean }, body: KubeObject): Steps<ApiResponse> {
  const { kv, fromCache } = start;
  const { req, user, info, strategy } = call;
  const { pipeline } = server;
  const name = req.name ?? '';
  const ref = { group: info.group, resource: info.resource, name };
  // The cache's copy is decoded already (and frozen: nothing below may change it).
  const old: Readonly<KubeObject> = fromCache ? server.watchCache(info).objectAt(kv) : decode(kv);
  // The server's namespace and name; a cluster-scoped object has none (left out, not deleted: faster to serialize).
  const { namespace: _sentNamespace, ...withoutNamespace } = body.metadata;
  const metadata = old.metadata.namespace === undefined ? Object.assign({}, withoutNamespace, { name: old.metadata.name }) : Object.assign({}, body.metadata, { namespace: old.metadata.namespace, name: old.metadata.name });
  const sentObject: KubeObject = Object.assign({}, body, { metadata });
  if (req.subresource === undefined) applyDefaults(sentObject);
  const admission = pipeline.admissionRequest('UPDATE', info, req, user, sentObject, old);
  pipeline.admit('mutating', admission);
  const sent = admission.object!.metadata.resourceVersion;
  if (sent !== undefined && sent !== '' && sent !== old.metadata.resourceVersion) {
    // The cache's copy may be behind: etcd decides. The same revision there: the client is stale.
    const current = fromCache ? yield* storedOrNotFound(server, info, req) : kv;
    if (current.modRevision === kv.modRevision) throw conflict(ref, STALE_OBJECT);
    throw new StaleStart(ref, current);
  }
  // BeginUpdate (a Service's cluster IP and node ports), on the main endpoint only, settled
  // once the write is known.
  const finish = req.subresource === undefined ? strategy.beginUpdate?.(server, admission.object!, old, req.dryRun === true) : undefined;
  let stored = false;
  try {
    const next = nextVersion(call, old, admission.object!);
    admission.object = next;
    pipeline.validate(strategy, next, old);
    pipeline.admit('validating', admission);
    // A no-op update writes nothing and keeps the resourceVersion, as in Kubernetes: once etcd
    // confirms that the cache's copy it started from is current.
    if (sameApartFromVersion(next, old)) {
      if (fromCache) {
        const current = yield* storedOrNotFound(server, info, req);
        if (current.modRevision !== kv.modRevision) throw new StaleStart(ref, current);
      }
      stored = true;
      return { code: 200, body: old };
    }
    if (req.dryRun) {
      stored = true;
      return { code: 200, body: next };
    }
    yield* writePending(server, admission);
    const key = storageKey(info, req.namespace, name);
    const unchanged: Compare[] = [{ key, target: 'modRevision', op: '=', value: kv.modRevision }];
    if (readyToRemove(next, strategy)) {
      // The last finalizer is gone from an object being deleted: now it really goes.
      const result = yield* server.etcd.txn(`txn delete ${key} (finalized)`, unchanged, [{ type: 'delete', key }]);
      if (!result.succeeded) throw new StaleWrite(ref);
      stored = true;
      if (strategy.afterDelete !== undefined) yield* strategy.afterDelete(server, next);
      return { code: 200, body: withVersion(next, result.revision) };
    }
    // An object with a time to live (an Event) gets a fresh one on every update.
    const lease = strategy.ttlSeconds !== undefined ? yield* server.etcd.lease(strategy.ttlSeconds) : undefined;
    const result = yield* server.etcd.put(`txn update ${key}`, unchanged, key, next, lease);
    if (!result.succeeded) throw new StaleWrite(ref);
    stored = true;
    return { code: 200, body: withVersion(next, result.revision) };
  } finally {
    finish?.(stored);
  }
}

/** Equal as JSON documents, resourceVersion aside: an update that changes nothing else is a no-op. */
function sameApartFromVersion(a: Readonly<KubeObject>, b: Readonly<KubeObject>): boolean {
  for (const field in a) if (field !== 'metadata' && !sameJson(a[field as keyof KubeObject], b[field as keyof KubeObject])) return false;
  for (const field in b) if (field !== 'metadata' && !(field in a) && b[field as keyof KubeObject] !== undefined) return false;
  const { resourceVersion: _a, ...ma } = a.metadata;
  const { resourceVersion: _b, ...mb } = b.metadata;
  return sameJson(ma, mb);
}

/**
 * What an update may change, by endpoint:
 *   main         everything but what the kind's strategy keeps (status) and the fields the server owns
 *   subresource  what that subresource says (subresources/: status only status, finalize only a namespace's finalizers)
 * The server's fields — uid, creationTimestamp, deletionTimestamp, namespace, name — are
 * always kept; through a subresource generation never changes, unless the subresource changes
 * the spec through the kind's own update (scale: spec.replicas, generation + 1).
 */
function nextVersion(call: Call, old: KubeObject, body: KubeObject): KubeObject {
  const { req, strategy } = call;
  let next: KubeObject;
  if (req.subresource === undefined) {
    // A client cannot set the generation: it starts from the stored one (BeforeUpdate), and the strategy may add 1.
    const generation = old.metadata.generation;
    const { generation: _sent, ...sentMeta } = body.metadata;
    next = Object.assign({}, body, { metadata: generation === undefined ? sentMeta : Object.assign({}, body.metadata, { generation }) });
    strategy.prepareForUpdate(next, old);
  } else {
    const subresource = SUBRESOURCES[req.subresource]!;
    next = subresource.update!(call, old, body);
    if (subresource.changesSpec) {
      next.metadata = Object.assign({}, next.metadata, { generation: old.metadata.generation });
      strategy.prepareForUpdate(next, old);
    }
  }
  const kept: Partial<ObjectMeta> = {
    uid: old.metadata.uid,
    creationTimestamp: old.metadata.creationTimestamp,
    namespace: old.metadata.namespace,
    name: old.metadata.name,
    deletionTimestamp: old.metadata.deletionTimestamp,
    deletionGracePeriodSeconds: old.metadata.deletionGracePeriodSeconds,
  };
  if (req.subresource !== undefined && SUBRESOURCES[req.subresource]!.changesSpec !== true) kept.generation = old.metadata.generation;
  next.metadata = withServerFields(next.metadata, kept);
  return next;
}

/**
 * The metadata with the server's fields set to `kept`, in the order assigning them would give
 * (a field the client sent stays where it was, the others follow in kept's order), and without
 * deletionTimestamp, deletionGracePeriodSeconds and generation when they are undefined. Built
 * field by field rather than with `delete`, which would leave an object slower to serialize.
 *
 *   withServerFields({ name: 'x', labels, uid: 'forged' }, { uid: 'u1', name: 'x', generation: undefined, ... })
 *   // => { name: 'x', labels, uid: 'u1', creationTimestamp, namespace }
 */
function withServerFields(sent: ObjectMeta, kept: Partial<ObjectMeta>): ObjectMeta {
  const meta: Record<string, unknown> = {};
  const source = sent as Record<string, unknown>;
  const server = kept as Record<string, unknown>;
  for (const field in source) {
    const value = field in server ? server[field] : source[field];
    if (value !== undefined || !DROPPED_WHEN_UNSET.has(field)) meta[field] = value;
  }
  for (const field in server) {
    if (field in source) continue;
    const value = server[field];
    if (value !== undefined || !DROPPED_WHEN_UNSET.has(field)) meta[field] = value;
  }
  return meta as ObjectMeta;
}

/** Server fields an update leaves out, rather than writes as undefined, when the object has none. */
const DROPPED_WHEN_UNSET: ReadonlySet<string> = new Set(['deletionTimestamp', 'deletionGracePeriodSeconds', 'generation']);

/** The kind a write's body must be: the parent's, or its subresource's own (a Scale). */
export function bodyKindOf(call: Call): ResourceInfo {
  const { req, info } = call;
  return (req.subresource === undefined ? undefined : SUBRESOURCES[req.subresource]?.body) ?? info;
}
