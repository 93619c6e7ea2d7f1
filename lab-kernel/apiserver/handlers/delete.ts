import type { ApiResponse } from '../../api/request';
import { storageKey } from '../../api/resources';
import type { KubeObject } from '../../api/types';
import type { Compare, KeyValue } from '../../store/mvcc-store';
import { decode, sameJson, stripVersion, withVersion } from '../codec';
import type { Call, Server } from '../context';
import { planDelete } from '../deletion';
import { retryStale, StaleWrite } from '../stale-write';
import type { Steps } from '../steps';
import { list, storedOrNotFound } from './read';

/**
 * DELETE, in one or two steps (deletion.ts): removed now, or marked with a
 * deletionTimestamp while a grace period runs out or finalizers do their work. Either way
 * the answer is 200 with the object as it now is.
 *
 *   DELETE configmaps/settings         // => 200, gone
 *   DELETE pods/web (running on a node) // => 200, metadata.deletionTimestamp 30 s ahead
 */
export function* deleteObject(server: Server, call: Call): Steps<ApiResponse> {
  return {
    code: 200,
    body: yield* retryStale(false, function* () {
      return yield* deleteStored(server, call, yield* storedOrNotFound(server, call.info, call.req));
    }),
  };
}

/** DELETE on a collection: every object the selectors match, each deleted as by DELETE. */
export function* deleteCollection(server: Server, call: Call): Steps<ApiResponse> {
  const { req, info, strategy } = call;
  const found = yield* list(server, strategy, Object.assign({}, req, { limit: undefined, continue: undefined }));
  const items: KubeObject[] = [];
  for (const obj of found.items) {
    const one: Call = Object.assign({}, call, { req: Object.assign({}, req, { name: obj.metadata.name, namespace: obj.metadata.namespace }) });
    const deleted = yield* retryStale(false, function* () {
      const kv = yield* server.etcd.get(storageKey(info, obj.metadata.namespace, obj.metadata.name!));
      return kv === undefined ? undefined : yield* deleteStored(server, one, kv);
    });
    if (deleted !== undefined) items.push(deleted);
  }
  return { code: 200, body: Object.assign({}, found, { items }) };
}

function* deleteStored(server: Server, call: Call, kv: KeyValue): Steps<KubeObject> {
  const { req, user, info, strategy } = call;
  const { pipeline } = server;
  // What etcd holds now; the watch cache has usually decoded that very revision already (frozen: nothing below changes it).
  const old = server.watchCache(info).decodedAt(kv) ?? decode(kv);
  const name = old.metadata.name!;
  const ref = { group: info.group, resource: info.resource, name };
  const admission = Object.assign({}, pipeline.admissionRequest('DELETE', info, req, user, undefined, old), { name });
  pipeline.admit('mutating', admission);
  pipeline.admit('validating', admission);
  const plan = planDelete(old, { gracePeriodSeconds: req.gracePeriodSeconds, propagationPolicy: req.propagationPolicy }, server.sim.now(), strategy);
  if (req.dryRun) return plan.action === 'mark' ? plan.object : old;
  const key = kv.key;
  const unchanged: Compare[] = [{ key, target: 'modRevision', op: '=', value: kv.modRevision }];
  if (plan.action === 'remove') {
    const result = yield* server.etcd.txn(`txn delete ${key}`, unchanged, [{ type: 'delete', key }]);
    if (!result.succeeded) throw new StaleWrite(ref);
    // AfterDelete: what goes with it (a Service's cluster IP and node ports, its Endpoints).
    if (strategy.afterDelete !== undefined) yield* strategy.afterDelete(server, old);
    return old;
  }
  if (sameJson(stripVersion(plan.object), stripVersion(old))) return old;
  const what = `${plan.object.metadata.finalizers?.length ? `finalizers ${plan.object.metadata.finalizers.join(', ')}` : ''}${plan.object.metadata.deletionGracePeriodSeconds ? ` grace ${plan.object.metadata.deletionGracePeriodSeconds}s` : ''}`.trim();
  const result = yield* server.etcd.put(`txn mark ${key} for deletion${what ? ` (${what})` : ''}`, unchanged, key, plan.object);
  if (!result.succeeded) throw new StaleWrite(ref);
  return withVersion(plan.object, result.revision);
}
