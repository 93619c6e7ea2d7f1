import { applyDefaults } from '../../api/defaults';
import type { ApiResponse } from '../../api/request';
import { NAME_SUFFIX_ALPHABET, NAME_SUFFIX_LENGTH, uuid } from '../../api/names';
import { storageKey } from '../../api/resources';
import { alreadyExists, badRequest } from '../../api/status';
import { timestamp } from '../../api/time';
import type { Simulation } from '../../sim/simulation';
import { withVersion } from '../codec';
import type { Call, Server } from '../context';
import type { Steps } from '../steps';
import { writePending } from './pending-writes';

/**
 * CREATE (POST): a new object, through every stage, stored only if its key is still free.
 *
 *   POST namespaces/default/pods { metadata: { generateName: 'web-' }, spec: {...} }
 *   // => 201 { metadata: { name: 'web-x7k2p', uid, creationTimestamp, generation: 1, resourceVersion: '7' }, ... }
 *   // the same name again => 409 AlreadyExists
 */
export function* create(server: Server, call: Call): Steps<ApiResponse> {
  const { req, user, info, strategy } = call;
  const { sim, pipeline } = server;
  const obj = pipeline.decode(info, req);
  if (strategy.namespaced) {
    if (obj.metadata.namespace && obj.metadata.namespace !== req.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.namespace = req.namespace;
  } else {
    delete obj.metadata.namespace;
  }
  applyDefaults(obj);
  const admission = pipeline.admissionRequest('CREATE', info, req, user, obj, undefined);
  pipeline.admit('mutating', admission);
  // As in kube-apiserver's registry (Store.create, then BeforeCreate): the server's fields and a
  // generated name after mutating admission (mutating plugins see only the prefix), the kind's
  // BeginCreate, then its PrepareForCreate (status dropped, generation, a Job's selector from
  // its uid), then validation.
  obj.metadata.uid = uuid(sim.rng('apiserver/uids'));
  obj.metadata.creationTimestamp = timestamp(sim.now());
  if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = admission.name = obj.metadata.generateName + randomSuffix(sim);
  // BeginCreate (a Service's cluster IP and node ports), settled once the write is known:
  // kept if it was stored, given back if anything below fails.
  const finish = strategy.beginCreate?.(server, obj, req.dryRun === true);
  let stored = false;
  try {
    strategy.prepareForCreate(obj);
    // Fields derived from what admission set (a pod's deprecated spec.serviceAccount mirrors the
    // serviceAccountName the ServiceAccount plugin chose): kube-apiserver fills them when it
    // converts the object for storage.
    applyDefaults(obj);
    pipeline.validate(strategy, obj);
    pipeline.admit('validating', admission);
    delete obj.metadata.resourceVersion;
    delete obj.metadata.deletionTimestamp;
    if (req.dryRun) {
      stored = true;
      return { code: 201, body: obj };
    }
    yield* writePending(server, admission);
    const key = storageKey(info, obj.metadata.namespace, obj.metadata.name!);
    const lease = strategy.ttlSeconds !== undefined ? yield* server.etcd.lease(strategy.ttlSeconds) : undefined;
    const result = yield* server.etcd.put(`txn create ${key}`, [{ key, target: 'createRevision', op: '=', value: 0 }], key, obj, lease);
    if (!result.succeeded) throw alreadyExists({ group: info.group, resource: info.resource, name: obj.metadata.name! });
    stored = true;
    return { code: 201, body: withVersion(obj, result.revision) };
  } finally {
    finish?.(stored);
  }
}

/** Kubernetes-style generated name suffix: 5 characters from a vowel-free alphabet. */
function randomSuffix(sim: Simulation): string {
  const rng = sim.rng('apiserver/names');
  let s = '';
  for (let i = 0; i < NAME_SUFFIX_LENGTH; i++) s += NAME_SUFFIX_ALPHABET[rng.int(NAME_SUFFIX_ALPHABET.length)];
  return s;
}
