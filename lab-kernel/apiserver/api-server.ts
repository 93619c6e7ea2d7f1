import { isDeepStrictEqual } from 'util';
import { applyDefaults } from '../api/defaults';
import { parseSelector, selectorMatches } from '../api/labels';
import { apiVersionOf, findResource, RESOURCES, storageKey, storagePrefix, type ResourceInfo } from '../api/resources';
import {
  alreadyExists,
  badRequest,
  conflict,
  internalError,
  invalid,
  methodNotAllowed,
  notFound,
  STALE_OBJECT,
  StatusError,
  success,
  type Status,
} from '../api/status';
import { timestamp } from '../api/time';
import type { Binding, ComponentStatus, KubeList, KubeObject, Pod, WatchEvent } from '../api/types';
import { validate, validateCreateMeta } from '../api/validation';
import type { Network } from '../sim/network';
import type { Simulation } from '../sim/simulation';
import type { Compare, KeyValue, RangeResult, TxnOp, TxnResult } from '../store/mvcc-store';
import { decode, withVersion } from './codec';
import { parseFieldSelector, type ObjectPredicate } from './field-selector';
import { describeRequest, type ApiRequest, type ApiResponse } from './request';
import { runSteps, wait, type Steps } from './steps';
import { StorageError, type Storage } from './storage';
import { WatchCache } from './watch-cache';

/**
 * The API server: the only door into the cluster and the only component that talks to etcd.
 *
 * Every request goes through the same steps — find the resource, check the input, read or
 * write etcd, answer — and every etcd call shows up in the trace. Handlers are generators
 * (apiserver/steps.ts): each `yield*` waits for etcd, which may answer at once or, replicated,
 * after network round trips.
 *
 *   api.serve('kubectl', { verb: 'create', resource: 'pods', namespace: 'default', body: pod }, reply)
 *   // trace: kube-apiserver -> etcd  txn create /registry/pods/default/web
 *   // reply({ code: 201, body: { ...pod, metadata: { uid, resourceVersion: '7', creationTimestamp, ... } } })
 *
 * Deliberately minimal for now: no authentication, authorization or admission chain, no
 * patch, and deletes are immediate (no grace period or finalizers). The API server chapter
 * adds those stages here, in order.
 */
export const API_SERVER = 'kube-apiserver';
export const ETCD = 'etcd';

/** What the API server may ask of a kubelet: it opens these connections itself (logs, exec, ...). */
export interface KubeletEndpoint {
  readonly component: string;
  containerLogs(namespace: string, pod: string, container: string | undefined): string | StatusError;
}

/** A control-plane component that answers the API server's health probe (componentstatuses). */
export interface HealthProbe {
  readonly name: string;
  readonly component: string;
  healthz(): { healthy: boolean; message: string };
}

export type WatchSink = (event: WatchEvent) => void;
export type WatchError = (status: Status) => void;

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export class ApiServer {
  readonly name = API_SERVER;
  private readonly kubelets = new Map<string, KubeletEndpoint>();
  private readonly probes: HealthProbe[] = [];
  private readonly watchCaches = new Map<string, WatchCache>();

  constructor(
    private readonly sim: Simulation,
    private readonly net: Network,
    private readonly storage: Storage,
  ) {}

  /** Serves one request and calls `reply` once with the response (at once, or after etcd answers). */
  serve(caller: string, req: ApiRequest, reply: (res: ApiResponse) => void): void {
    runSteps(this.dispatch(caller, req), reply, (err) => reply(errorResponse(err)));
  }

  /**
   * Starts a watch, served from the resource's watch cache (watch-cache.ts), not from etcd.
   * `resourceVersion` unset or "0": first an ADDED event for every existing object, then
   * changes. An exact resourceVersion: every change after it, or 410 Expired if the cache's
   * history no longer reaches back that far. `allowWatchBookmarks`: BOOKMARK events too.
   * Returns a function that stops the watch.
   */
  watch(caller: string, req: ApiRequest, sink: WatchSink, onError: WatchError): () => void {
    let stopped = false;
    let stopWatch: (() => void) | undefined;
    const fail = (err: unknown) => {
      if (!stopped) onError(errorResponse(err).body as Status);
    };
    runSteps(
      this.startWatch(caller, req, (event) => !stopped && sink(event), fail),
      (stop) => {
        stopWatch = stop;
        if (stopped) stop();
      },
      fail,
    );
    return () => {
      stopped = true;
      stopWatch?.();
    };
  }

  private *startWatch(caller: string, req: ApiRequest, sink: WatchSink, fail: (err: unknown) => void): Steps<() => void> {
    const info = this.resource(req);
    const labels = req.labelSelector ? parseSelector(req.labelSelector) : undefined;
    const fields = parseFieldSelector(info.resource, req.fieldSelector);
    const matches = (obj: KubeObject | undefined): boolean =>
      obj !== undefined && fields(obj) && (labels === undefined || selectorMatches(labels, obj.metadata.labels));
    const exact = req.resourceVersion !== undefined && req.resourceVersion !== '' && req.resourceVersion !== '0';
    const resourceVersion = exact ? Number(req.resourceVersion) : undefined;
    if (resourceVersion !== undefined && !Number.isInteger(resourceVersion)) throw badRequest(`invalid resource version: ${req.resourceVersion}`);
    const watch = yield* this.watchCache(info).watch(
      {
        key: req.name ? storageKey(info, req.namespace, req.name) : storagePrefix(info, req.namespace),
        prefix: !req.name,
        matches,
        resourceVersion,
        bookmarks: req.allowWatchBookmarks === true,
      },
      sink,
      fail,
    );
    this.sim.trace.action(this.sim.now(), API_SERVER, `${describeRequest({ ...req, verb: 'watch' })} from revision ${watch.from} for ${caller}`);
    return () => watch.stop();
  }

  /**
   * The resource's watch cache, started on first use (bootstrap starts them all). One whose
   * etcd watch failed is forgotten, so the next watch starts a fresh one.
   */
  private watchCache(info: ResourceInfo): WatchCache {
    let cache = this.watchCaches.get(info.resource);
    if (cache === undefined) {
      const fresh = new WatchCache(this.sim, this.storage, info, () => {
        if (this.watchCaches.get(info.resource) === fresh) this.watchCaches.delete(info.resource);
      });
      this.watchCaches.set(info.resource, (cache = fresh));
      fresh.start();
    }
    return cache;
  }

  /**
   * What the API server does when it first starts: a watch cache per resource (kube-apiserver
   * starts a cacher for each), then, like its bootstrap controller, the built-in namespaces.
   */
  bootstrap(): void {
    for (const info of RESOURCES) this.watchCache(info);
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.serve(API_SERVER, { verb: 'create', resource: 'namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } }, () => {});
    }
  }

  /** A kubelet announces where the API server can reach it (for logs, exec, attach). */
  registerKubelet(nodeName: string, endpoint: KubeletEndpoint): void {
    this.kubelets.set(nodeName, endpoint);
  }

  addHealthProbe(probe: HealthProbe): void {
    this.probes.push(probe);
  }

  private *dispatch(caller: string, req: ApiRequest): Steps<ApiResponse> {
    if (req.resource === 'componentstatuses') return this.componentStatuses(req);
    const info = this.resource(req);
    if (info.namespaced && req.verb !== 'list' && !req.namespace) throw badRequest('namespace is required for a namespaced resource');
    if (req.subresource === 'log') return yield* this.logs(info, req);
    switch (req.verb) {
      case 'create':
        return req.subresource === 'binding' ? yield* this.bind(caller, info, req) : yield* this.create(info, req);
      case 'get':
        return { code: 200, body: yield* this.getObject(info, req) };
      case 'list':
        return { code: 200, body: yield* this.list(info, req) };
      case 'update':
        return yield* this.update(info, req);
      case 'delete':
        return yield* this.delete(info, req);
      case 'watch':
        throw badRequest('watch is a stream: use ApiServer.watch');
    }
  }

  private resource(req: ApiRequest): ResourceInfo {
    const info = findResource(req.resource);
    if (info === undefined || info.resource !== req.resource) {
      throw notFound({ group: '', resource: req.resource, name: '' });
    }
    return info;
  }

  private *create(info: ResourceInfo, req: ApiRequest): Steps<ApiResponse> {
    const obj = this.decodeBody(info, req);
    if (info.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== req.namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = req.namespace;
      if ((yield* this.etcdGet(storageKey(findResource('namespaces')!, undefined, req.namespace!))) === undefined) {
        throw notFound({ group: '', resource: 'namespaces', name: req.namespace! });
      }
    } else {
      delete obj.metadata.namespace;
    }
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + this.randomSuffix();
    const causes = [...validateCreateMeta(obj), ...validate(info, obj)];
    if (causes.length > 0) throw invalid(info, obj.metadata.name ?? '', causes);
    applyDefaults(obj);
    obj.metadata.uid = this.newUid();
    obj.metadata.creationTimestamp = timestamp(this.sim.now());
    obj.metadata.generation = 1;
    delete obj.metadata.resourceVersion;
    const key = storageKey(info, obj.metadata.namespace, obj.metadata.name!);
    const result = yield* this.etcdPut(`txn create ${key}`, [{ key, target: 'createRevision', op: '=', value: 0 }], key, obj);
    if (!result.succeeded) throw alreadyExists({ group: info.group, resource: info.resource, name: obj.metadata.name! });
    return { code: 201, body: withVersion(obj, result.revision) };
  }

  private *getObject(info: ResourceInfo, req: ApiRequest): Steps<KubeObject> {
    const name = req.name ?? '';
    const kv = yield* this.etcdGet(storageKey(info, req.namespace, name));
    if (kv === undefined) throw notFound({ group: info.group, resource: info.resource, name });
    return decode(kv);
  }

  private *list(info: ResourceInfo, req: ApiRequest): Steps<KubeList> {
    const labels = req.labelSelector ? parseSelector(req.labelSelector) : undefined;
    const fields: ObjectPredicate = parseFieldSelector(info.resource, req.fieldSelector);
    const { kvs, revision } = yield* this.etcdRange(storagePrefix(info, req.namespace), true);
    const items = kvs.map(decode).filter((o) => fields(o) && (labels === undefined || selectorMatches(labels, o.metadata.labels)));
    return { apiVersion: apiVersionOf(info), kind: `${info.kind}List`, metadata: { resourceVersion: String(revision) }, items };
  }

  /**
   * Update with optimistic concurrency: if the body carries a resourceVersion, it must still
   * be the stored one, or the update fails with 409 Conflict and the client must re-read.
   */
  private *update(info: ResourceInfo, req: ApiRequest): Steps<ApiResponse> {
    const name = req.name ?? '';
    const key = storageKey(info, req.namespace, name);
    const kv = yield* this.etcdGet(key);
    const ref = { group: info.group, resource: info.resource, name };
    if (kv === undefined) throw notFound(ref);
    const old = decode(kv);
    const body = this.decodeBody(info, req);
    if (body.metadata.name !== undefined && body.metadata.name !== name) {
      throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
    }
    const sent = body.metadata.resourceVersion;
    if (sent !== undefined && sent !== '' && sent !== old.metadata.resourceVersion) throw conflict(ref, STALE_OBJECT);
    let next: KubeObject;
    if (req.subresource === 'status') {
      next = { ...old, status: body.status };
    } else if (req.subresource === undefined) {
      // Through the main endpoint, status is not writable: it keeps the stored one.
      next = { ...body, metadata: { ...body.metadata } };
      next.metadata.uid = old.metadata.uid;
      next.metadata.creationTimestamp = old.metadata.creationTimestamp;
      next.metadata.namespace = old.metadata.namespace;
      next.metadata.name = name;
      applyDefaults(next);
      if (info.hasStatus) next.status = old.status;
      next.metadata.generation = (old.metadata.generation ?? 1) + (sameJson(next.spec, old.spec) ? 0 : 1);
    } else {
      throw methodNotAllowed(`the server does not allow this method on the requested resource (${req.subresource})`);
    }
    const causes = validate(info, next, old);
    if (causes.length > 0) throw invalid(info, name, causes);
    // A no-op update writes nothing and keeps the resourceVersion, as in Kubernetes.
    if (sameJson(stripVersion(next), stripVersion(old))) return { code: 200, body: old };
    const result = yield* this.etcdPut(`txn update ${key}`, [{ key, target: 'modRevision', op: '=', value: kv.modRevision }], key, next);
    if (!result.succeeded) throw conflict(ref, STALE_OBJECT);
    return { code: 200, body: withVersion(next, result.revision) };
  }

  private *delete(info: ResourceInfo, req: ApiRequest): Steps<ApiResponse> {
    const name = req.name ?? '';
    const key = storageKey(info, req.namespace, name);
    const kv = yield* this.etcdGet(key);
    if (kv === undefined) throw notFound({ group: info.group, resource: info.resource, name });
    const result = yield* this.etcdTxn(`txn delete ${key}`, [{ key, target: 'modRevision', op: '=', value: kv.modRevision }], [{ type: 'delete', key }]);
    if (!result.succeeded) throw conflict({ group: info.group, resource: info.resource, name }, STALE_OBJECT);
    return { code: 200, body: decode(kv) };
  }

  /**
   * POST pods/<name>/binding: the scheduler's only way to place a pod. It sets spec.nodeName,
   * once; binding an already bound pod is a 409 Conflict.
   */
  private *bind(caller: string, info: ResourceInfo, req: ApiRequest): Steps<ApiResponse> {
    if (info.kind !== 'Pod') throw notFound({ group: info.group, resource: `${info.resource}/binding`, name: req.name ?? '' });
    const binding = req.body as Binding;
    const target = binding?.target?.name;
    if (!target) throw invalid({ group: '', kind: 'Binding' }, req.name ?? '', [{ reason: 'FieldValueRequired', message: 'Required value', field: 'target.name' }]);
    const name = req.name ?? '';
    const key = storageKey(info, req.namespace, name);
    const kv = yield* this.etcdGet(key);
    if (kv === undefined) throw notFound({ group: '', resource: 'pods', name });
    const pod = decode(kv) as Pod;
    if (pod.spec.nodeName) {
      throw conflict({ group: '', resource: 'pods/binding', name }, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    }
    pod.spec.nodeName = target;
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastTransitionTime: timestamp(this.sim.now()) });
    pod.status = { ...pod.status, conditions };
    const result = yield* this.etcdPut(`txn bind ${key} to ${target}`, [{ key, target: 'modRevision', op: '=', value: kv.modRevision }], key, pod);
    if (!result.succeeded) throw conflict({ group: '', resource: 'pods/binding', name }, STALE_OBJECT);
    this.sim.trace.action(this.sim.now(), API_SERVER, `bound ${req.namespace}/${name} to ${target} for ${caller}`);
    return { code: 201, body: success(201) };
  }

  /** GET pods/<name>/log: the API server opens a connection to the pod's kubelet. */
  private *logs(info: ResourceInfo, req: ApiRequest): Steps<ApiResponse> {
    const pod = (yield* this.getObject(info, req)) as Pod;
    const nodeName = pod.spec.nodeName;
    const kubelet = nodeName ? this.kubelets.get(nodeName) : undefined;
    if (!nodeName || kubelet === undefined) {
      throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
    }
    const path = `/containerLogs/${req.namespace}/${req.name}${req.container ? '/' + req.container : ''}`;
    const text = yield* wait<string | StatusError>((done) =>
      this.net.send(API_SERVER, kubelet.component, 'request', `GET ${path}`, { verb: 'get', subresource: 'log' }, () => {
        const answer = kubelet.containerLogs(req.namespace!, req.name!, req.container);
        const summary = answer instanceof StatusError ? `${answer.code} ${answer.message}` : '200 log stream';
        this.net.send(kubelet.component, API_SERVER, 'response', summary, undefined, () => done(answer));
      }),
    );
    return { code: 200, body: text };
  }

  /** GET componentstatuses: the (deprecated since v1.19, still served) health view of the control plane. */
  private componentStatuses(req: ApiRequest): ApiResponse {
    if (req.verb !== 'list' && req.verb !== 'get') throw methodNotAllowed('the server does not allow this method on the requested resource');
    const status = (name: string, healthy: boolean, message: string): ComponentStatus => ({
      apiVersion: 'v1',
      kind: 'ComponentStatus',
      metadata: { name },
      conditions: [{ type: 'Healthy', status: healthy ? 'True' : 'False', ...(healthy ? { message } : { error: message }) }],
    });
    const items: ComponentStatus[] = [];
    for (const probe of this.probes) {
      const now = this.sim.now();
      this.sim.trace.message(now, API_SERVER, probe.component, now, 'request', 'GET /healthz');
      const h = probe.healthz();
      this.sim.trace.message(now, probe.component, API_SERVER, now, 'response', h.message);
      items.push(status(probe.name, h.healthy, h.message));
    }
    const found = req.name ? items.filter((i) => i.metadata.name === req.name) : items;
    if (req.name) {
      if (found.length === 0) throw notFound({ group: '', resource: 'componentstatuses', name: req.name });
      return { code: 200, body: found[0] };
    }
    return { code: 200, body: { apiVersion: 'v1', kind: 'ComponentStatusList', metadata: { resourceVersion: '' }, items } };
  }

  private decodeBody(info: ResourceInfo, req: ApiRequest): KubeObject {
    const body = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw badRequest(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
    }
    const obj = structuredClone(body) as KubeObject;
    if (obj.kind !== undefined && obj.kind !== info.kind) {
      throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersionOf(info)}) or kind ${JSON.stringify(obj.kind)} is not ${JSON.stringify(info.kind)}`);
    }
    obj.kind = info.kind;
    obj.apiVersion = apiVersionOf(info);
    if (obj.metadata === null || typeof obj.metadata !== 'object') obj.metadata = {};
    return obj;
  }

  private *etcdGet(key: string): Steps<KeyValue | undefined> {
    return (yield* this.etcdRange(key, false)).kvs[0];
  }

  private *etcdRange(key: string, prefix: boolean): Steps<RangeResult> {
    return yield* wait<RangeResult>((done) => this.storage.range(key, { prefix }, `range ${key}${prefix ? '*' : ''}`, done));
  }

  private *etcdTxn(summary: string, compares: Compare[], ops: TxnOp[]): Steps<TxnResult> {
    return yield* wait<TxnResult>((done) => this.storage.txn(compares, ops, summary, done));
  }

  /** Writes an object as JSON, without its resourceVersion (that is the etcd revision). */
  private *etcdPut(summary: string, compares: Compare[], key: string, obj: KubeObject): Steps<TxnResult> {
    return yield* this.etcdTxn(summary, compares, [{ type: 'put', key, value: JSON.stringify(stripVersion(obj)) }]);
  }

  /** Kubernetes-style generated name suffix: 5 characters from a vowel-free alphabet. */
  private randomSuffix(): string {
    const rng = this.sim.rng('apiserver/names');
    let s = '';
    for (let i = 0; i < 5; i++) s += NAME_ALPHABET[rng.int(NAME_ALPHABET.length)];
    return s;
  }

  private newUid(): string {
    const rng = this.sim.rng('apiserver/uids');
    const hex = (n: number) => Array.from({ length: n }, () => rng.int(16).toString(16)).join('');
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + rng.int(4)).toString(16)}${hex(3)}-${hex(12)}`;
  }
}

/** Equal as JSON documents: key order does not matter, undefined fields do not exist. */
function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));
}

/** A failed step as an HTTP answer: Kubernetes errors as they are, etcd failures as 500. */
function errorResponse(err: unknown): ApiResponse {
  if (err instanceof StatusError) return { code: err.code, body: err.status };
  if (err instanceof StorageError) {
    const e = internalError(err.message);
    return { code: e.code, body: e.status };
  }
  throw err;
}

function stripVersion(obj: KubeObject): KubeObject {
  const metadata = { ...obj.metadata };
  delete metadata.resourceVersion;
  return { ...obj, metadata };
}
