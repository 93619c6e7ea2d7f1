import { isDeepStrictEqual } from 'util';
import { applyDefaults, generateJobSelector } from '../api/defaults';
import { NAME_SUFFIX_ALPHABET, NAME_SUFFIX_LENGTH } from '../api/names';
import { parseSelector, selectorMatches } from '../api/labels';
import { apiVersionOf, findResource, resourceFor, RESOURCES, storageKey, storagePrefix, type ResourceInfo } from '../api/resources';
import {
  alreadyExists,
  badRequest,
  conflict,
  internalError,
  invalid,
  methodNotAllowed,
  notFound,
  requestEntityTooLarge,
  STALE_OBJECT,
  StatusError,
  success,
  type ResourceName,
  type Status,
} from '../api/status';
import { timestamp } from '../api/time';
import type { Binding, ComponentStatus, Job, KubeList, KubeObject, LabelSelector, Pod } from '../api/types';
import { decodeError, validate, validateCreateMeta } from '../api/validation';
import type { Network } from '../sim/network';
import type { Simulation } from '../sim/simulation';
import type { Compare, KeyValue, RangeResult, TxnOp, TxnResult } from '../store/mvcc-store';
import { decode, withVersion } from './codec';
import { parseFieldSelector, type ObjectPredicate } from './field-selector';
import { describeAdmission, runAdmission, type AdmissionPhase } from './admission/chain';
import { forbiddenByAuthorization } from './auth/forbidden';
import { continueExpired, decodeContinue, encodeContinue } from './continue-token';
import { planDelete, readyToRemove } from './deletion';
import { applyPatch, PatchError, type Json } from './patch';
import type { AdmissionContext, AdmissionOperation, AdmissionPlugin, AdmissionRequest, AuthorizationResult, Authorizer, RequestAttributes, UserInfo } from './pipeline-types';
import { describeRequest, type ApiRequest, type ApiResponse, type Credentials } from '../api/request';
import type { ApiTransport, WatchError, WatchSink } from '../api/transport';
import { runSteps, wait, type Steps } from './steps';
import { StorageError, type Storage } from './storage';
import { WatchCache } from './watch-cache';

/**
 * The API server: the only door into the cluster and the only component that talks to etcd.
 *
 * Every request passes the same stages, in kube-apiserver's order, and each one shows in
 * the trace as an action of kube-apiserver tagged with its stage:
 *
 *   authentication   who is asking? (client certificate, bearer token, service account, anonymous)  => else 401
 *   authorization    may they? (RBAC)                                                                  => else 403
 *   decoding         a body of at most 3 MiB, of the kind the URL names                                => else 413 / 400
 *   mutating admission, defaulting, validation, validating admission                                  => else 403 / 422
 *   persistence      one etcd transaction, compare-and-swap on the stored revision                     => else 409
 *
 *   api.serve('kubectl', { verb: 'create', resource: 'pods', namespace: 'default', body: pod, credentials }, reply)
 *   // trace: authentication: user "kubernetes-admin" (groups system:masters, system:authenticated) by x509
 *   //        authorization: allowed (RBAC: allowed by ClusterRoleBinding "cluster-admin" ...)
 *   //        admission: NamespaceLifecycle, LimitRanger, ServiceAccount, ... passed
 *   //        kube-apiserver -> etcd  txn create /registry/pods/default/web
 *   // reply({ code: 201, body: { ...pod, metadata: { uid, resourceVersion: '7', creationTimestamp, ... } } })
 *
 * Handlers are generators (apiserver/steps.ts): each `yield*` waits for etcd, which may answer
 * at once or, replicated, after network round trips.
 *
 * Left out, on purpose: server-side apply and managed fields, API aggregation, webhooks
 * (custom admission plugins are registered in-process instead), and priority & fairness.
 */
export const API_SERVER = 'kube-apiserver';
export const ETCD = 'etcd';

/** kube-apiserver's limit on a request body (3 MiB); bigger bodies get 413. */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;
/** How long an Event lives in etcd (kube-apiserver's --event-ttl, default 1h), through a lease. */
export const EVENT_TTL_SECONDS = 3600;

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

/** Who made a request, or the 401 that says no authenticator accepted it. */
export type Authenticate = (credentials: Credentials | undefined) => { user: UserInfo; by: string } | StatusError;

/**
 * The stages the API server runs. Left out, each is open: everyone is system:anonymous and
 * may do anything (kube-apiserver's AlwaysAllow), and no admission plugin runs — the walking
 * skeleton's cluster, and unit tests of later stages.
 */
export interface ApiServerOptions {
  authenticate?: Authenticate;
  /** Asked in order; the first Allow or Deny decides, and if all have no opinion the request is forbidden. */
  authorizers?: readonly Authorizer[];
  /** The admission plugins, read on every request (so a chain can be changed while running). */
  admission?: () => readonly AdmissionPlugin[];
}

/** componentstatuses is served from the health probes, not stored, but asked about like any resource. */
const COMPONENT_STATUSES: ResourceInfo = { kind: 'ComponentStatus', resource: 'componentstatuses', group: '', version: 'v1', namespaced: false, storagePrefix: '', shortNames: ['cs'], hasStatus: false };

/** How often a write that lost a compare-and-swap race is tried again on fresh data. */
const MAX_WRITE_ATTEMPTS = 5;

/** A compare-and-swap that lost to another write (caught by retryStale, never answered as such). */
class StaleWrite extends Error {
  constructor(readonly ref: ResourceName) {
    super(`${ref.resource} ${ref.name}: ${STALE_OBJECT}`);
    this.name = 'StaleWrite';
  }
}

/** How the API server calls itself (its loopback client): as system:apiserver, in system:masters. */
const LOOPBACK: Credentials = { clientCertificate: { commonName: 'system:apiserver', organizations: ['system:masters'] } };
const ANONYMOUS: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

/** The request after authentication: who sent it travels with it through every stage. */
interface Authenticated {
  req: ApiRequest;
  user: UserInfo;
}

export class ApiServer implements ApiTransport {
  readonly name = API_SERVER;
  private readonly kubelets = new Map<string, KubeletEndpoint>();
  private readonly probes: HealthProbe[] = [];
  private readonly watchCaches = new Map<string, WatchCache>();
  private readonly options: ApiServerOptions;

  constructor(
    private readonly sim: Simulation,
    private readonly net: Network,
    private readonly storage: Storage,
    options: ApiServerOptions = {},
  ) {
    this.options = options;
  }

  /** Serves one request and calls `reply` once with the response (at once, or after etcd answers). */
  serve(caller: string, req: ApiRequest, reply: (res: ApiResponse) => void): void {
    runSteps(this.handle(caller, req), reply, (err) => reply(errorResponse(err)));
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
      this.startWatch(caller, { ...req, verb: 'watch' }, (event) => !stopped && sink(event), fail),
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
    this.authorize(this.authenticate(req), info, req);
    const labels = labelSelectorOf(req);
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
    this.sim.trace.action(this.sim.now(), API_SERVER, `${describeRequest(req)} from revision ${watch.from} for ${caller}`);
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
   * starts a cacher for each), then, like its bootstrap controller, the built-in namespaces,
   * and any objects it must create at start (the RBAC bootstrap policy).
   */
  bootstrap(objects: readonly KubeObject[] = []): void {
    for (const info of RESOURCES) this.watchCache(info);
    const credentials = LOOPBACK;
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.serve(API_SERVER, { verb: 'create', resource: 'namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, credentials }, () => {});
    }
    for (const obj of objects) {
      const info = resourceFor(obj.kind);
      this.serve(API_SERVER, { verb: 'create', resource: info.resource, namespace: obj.metadata.namespace, body: obj, credentials }, () => {});
    }
  }

  /**
   * What admission plugins and the authorizer read: the API server's own cache of every
   * resource (kube-apiserver gives them informers on itself), never etcd directly.
   */
  readonly cache: AdmissionContext = {
    list: (resource, namespace) => {
      const info = findResource(resource)!;
      return this.watchCache(info).current(storagePrefix(info, namespace), true);
    },
    get: (resource, namespace, name) => {
      const info = findResource(resource)!;
      return this.watchCache(info).current(storageKey(info, namespace, name), false)[0];
    },
    now: () => this.sim.now(),
  };

  /** A kubelet announces where the API server can reach it (for logs, exec, attach). */
  registerKubelet(nodeName: string, endpoint: KubeletEndpoint): void {
    this.kubelets.set(nodeName, endpoint);
  }

  addHealthProbe(probe: HealthProbe): void {
    this.probes.push(probe);
  }

  private *handle(caller: string, req: ApiRequest): Steps<ApiResponse> {
    if (req.resource === 'componentstatuses') {
      this.authorize(this.authenticate(req), COMPONENT_STATUSES, req);
      return this.componentStatuses(req);
    }
    const info = this.resource(req);
    const user = this.authenticate(req);
    this.authorize(user, info, req);
    if (info.namespaced && req.verb !== 'list' && req.verb !== 'deletecollection' && !req.namespace) {
      throw badRequest('namespace is required for a namespaced resource');
    }
    if (req.body !== undefined && bodySize(req.body) > MAX_REQUEST_BODY_BYTES) throw requestEntityTooLarge(MAX_REQUEST_BODY_BYTES);
    const r: Authenticated = { req, user };
    if (req.subresource === 'log') return yield* this.logs(info, req);
    switch (req.verb) {
      case 'create':
        return req.subresource === 'binding' ? yield* this.bind(caller, info, r) : yield* this.create(info, r);
      case 'get':
        return { code: 200, body: yield* this.getObject(info, req) };
      case 'list':
        return { code: 200, body: yield* this.list(info, req) };
      case 'update':
        return yield* this.update(info, r);
      case 'patch':
        return yield* this.patch(info, r);
      case 'delete':
        return yield* this.delete(info, r);
      case 'deletecollection':
        return yield* this.deleteCollection(info, r);
      case 'watch':
        throw badRequest('watch is a stream: use ApiServer.watch');
      default:
        throw methodNotAllowed(`the server does not allow this method on the requested resource`);
    }
  }

  private resource(req: ApiRequest): ResourceInfo {
    const info = findResource(req.resource);
    if (info === undefined || info.resource !== req.resource) {
      throw notFound({ group: '', resource: req.resource, name: '' });
    }
    return info;
  }

  /** Stage 1: who is asking. With no authenticator configured, everyone is anonymous. */
  private authenticate(req: ApiRequest): UserInfo {
    if (this.options.authenticate === undefined) return ANONYMOUS;
    const result = this.options.authenticate(req.credentials);
    if (result instanceof StatusError) {
      this.stage('authentication', `rejected: ${result.message}`);
      throw result;
    }
    this.stage('authentication', `user ${JSON.stringify(result.user.username)} (groups ${result.user.groups.join(', ')}) by ${result.by}`);
    return result.user;
  }

  /**
   * Stage 2: may they? Each authorizer in turn may allow, deny or have no opinion; the first
   * that decides wins (kube-apiserver's union authorizer). Nobody allowing means 403.
   */
  private authorize(user: UserInfo, info: ResourceInfo, req: ApiRequest): void {
    const authorizers = this.options.authorizers;
    if (authorizers === undefined || authorizers.length === 0) return;
    const attributes = requestAttributes(user, info, req);
    const reasons: string[] = [];
    for (const authorizer of authorizers) {
      let result: AuthorizationResult;
      try {
        result = authorizer.authorize(attributes);
      } catch (err) {
        // kube-apiserver answers an authorizer's failure with 500, never with a guess.
        const failure = internalError(`authorizer ${JSON.stringify(authorizer.name)} failed: ${(err as Error).message ?? String(err)}`);
        this.stage('authorization', failure.message);
        throw failure;
      }
      if (result.decision === 'Allow') {
        this.stage('authorization', `allowed by ${authorizer.name}${result.reason ? ` (${result.reason})` : ''}`);
        return;
      }
      if (result.reason) reasons.push(result.reason);
      if (result.decision === 'Deny') break;
    }
    const refusal = forbiddenByAuthorization(attributes, reasons.join(', '));
    this.stage('authorization', refusal.message);
    throw refusal;
  }

  /** A line of the trace for one stage of one request. */
  private stage(stage: string, summary: string): void {
    this.sim.trace.action(this.sim.now(), API_SERVER, `${stage}: ${summary}`, { stage });
  }

  /**
   * Runs one phase of admission (admission/chain.ts): mutating plugins may change
   * `req.object`; the first refusal ends the request with the plugin's Status. A plugin that
   * throws (code under construction) is a 500 naming it, never a crash.
   */
  private admit(phase: AdmissionPhase, req: AdmissionRequest): void {
    const plugins = this.options.admission?.() ?? [];
    const result = runAdmission(plugins, req, this.cache, phase);
    if (plugins.length > 0) this.stage(`${phase} admission`, describeAdmission(result));
    if (result.error !== undefined) throw result.error;
  }

  private admissionRequest(operation: AdmissionOperation, info: ResourceInfo, r: Authenticated, object: KubeObject | undefined, oldObject: KubeObject | undefined): AdmissionRequest {
    return {
      operation,
      info,
      subresource: r.req.subresource ?? '',
      namespace: r.req.namespace ?? '',
      name: object?.metadata.name ?? r.req.name ?? '',
      object,
      oldObject,
      user: r.user,
      dryRun: r.req.dryRun === true,
    };
  }

  /** Validation (the object's own rules), between the two admission phases. */
  private validateObject(info: ResourceInfo, obj: KubeObject, old?: KubeObject): void {
    const causes = old === undefined ? [...validateCreateMeta(obj), ...validate(info, obj)] : validate(info, obj, old);
    if (causes.length > 0) {
      this.stage('validation', `${causes.length} invalid field${causes.length === 1 ? '' : 's'}`);
      throw invalid(info, obj.metadata.name ?? '', causes);
    }
    this.stage('validation', `${info.kind} ${obj.metadata.name ?? ''} is valid`);
  }

  private *create(info: ResourceInfo, r: Authenticated): Steps<ApiResponse> {
    const { req } = r;
    const obj = this.decodeBody(info, req);
    if (info.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== req.namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = req.namespace;
    } else {
      delete obj.metadata.namespace;
    }
    // What a client sends as status is not kept (a new pod is Pending whatever it says), except
    // for Nodes: kube-apiserver lets a kubelet register its node with its status in one go.
    if (info.hasStatus && info.kind !== 'Node') delete obj.status;
    applyDefaults(obj);
    const admission = this.admissionRequest('CREATE', info, r, obj, undefined);
    this.admit('mutating', admission);
    // As in kube-apiserver, a generated name is chosen after mutating admission: validation
    // and validating plugins see it, mutating plugins see only the prefix.
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = admission.name = obj.metadata.generateName + this.randomSuffix();
    // Fields derived from what admission set (a pod's deprecated spec.serviceAccount mirrors the
    // serviceAccountName the ServiceAccount plugin chose): kube-apiserver fills them when it
    // converts the object for storage.
    applyDefaults(obj);
    this.validateObject(info, obj);
    this.admit('validating', admission);
    obj.metadata.uid = this.newUid();
    // A Job's selector is made from its uid (batch.kubernetes.io/controller-uid), as kube-apiserver's Job strategy does.
    if (info.kind === 'Job') generateJobSelector(obj as Job);
    obj.metadata.creationTimestamp = timestamp(this.sim.now());
    obj.metadata.generation = 1;
    delete obj.metadata.resourceVersion;
    delete obj.metadata.deletionTimestamp;
    if (req.dryRun) return { code: 201, body: obj };
    yield* this.writePending(admission);
    const key = storageKey(info, obj.metadata.namespace, obj.metadata.name!);
    const lease = info.kind === 'Event' ? yield* this.eventLease() : undefined;
    const result = yield* this.etcdPut(`txn create ${key}`, [{ key, target: 'createRevision', op: '=', value: 0 }], key, obj, lease);
    if (!result.succeeded) throw alreadyExists({ group: info.group, resource: info.resource, name: obj.metadata.name! });
    return { code: 201, body: withVersion(obj, result.revision) };
  }

  /**
   * Events expire: kube-apiserver stores each one under an etcd lease of --event-ttl (1 h),
   * so etcd deletes it by itself. A storage without leases keeps events forever.
   */
  private *eventLease(): Steps<number | undefined> {
    if (this.storage.grantLease === undefined) return undefined;
    const grant = yield* wait<{ id: number }>((done) => this.storage.grantLease!(EVENT_TTL_SECONDS, done));
    return grant.id;
  }

  /**
   * Writes what admission asked to have written first (ResourceQuota's new usage), each with
   * a compare-and-swap on the revision admission saw. A conflict means another request got
   * there first: the request fails with 409 and the client retries on fresh data.
   */
  private *writePending(admission: AdmissionRequest): Steps<void> {
    for (const obj of admission.pendingWrites ?? []) {
      const info = resourceFor(obj.kind);
      const key = storageKey(info, obj.metadata.namespace, obj.metadata.name!);
      const seen = Number(obj.metadata.resourceVersion);
      const result = yield* this.etcdPut(`txn update ${key} (${info.resource}/status, for admission)`, [{ key, target: 'modRevision', op: '=', value: seen }], key, obj);
      if (!result.succeeded) throw conflict({ group: info.group, resource: info.resource, name: obj.metadata.name! }, STALE_OBJECT);
    }
  }

  private *getObject(info: ResourceInfo, req: ApiRequest): Steps<KubeObject> {
    const name = req.name ?? '';
    const kv = yield* this.etcdGet(storageKey(info, req.namespace, name));
    if (kv === undefined) throw notFound({ group: info.group, resource: info.resource, name });
    return decode(kv);
  }

  /**
   * A consistent list from etcd. With `limit`, one page of at most that many items and a
   * `continue` token (continue-token.ts); each further page is read at the first page's
   * revision, so the pages together are one snapshot.
   */
  private *list(info: ResourceInfo, req: ApiRequest): Steps<KubeList> {
    const labels = labelSelectorOf(req);
    const fields: ObjectPredicate = parseFieldSelector(info.resource, req.fieldSelector);
    const prefix = storagePrefix(info, req.namespace);
    const from = req.continue ? decodeContinue(req.continue) : undefined;
    let range: RangeResult;
    try {
      range = yield* this.etcdRange(prefix, true, from?.rv);
    } catch (err) {
      if (from !== undefined && err instanceof StorageError && err.message.includes('compacted')) throw continueExpired();
      throw err;
    }
    const revision = from?.rv ?? range.revision;
    const root = storagePrefix(info);
    let kvs = from === undefined ? range.kvs : range.kvs.filter((kv) => kv.key.slice(root.length) >= from.start);
    const matching = (kv: KeyValue) => {
      const o = decode(kv);
      return fields(o) && (labels === undefined || selectorMatches(labels, o.metadata.labels)) ? o : undefined;
    };
    const items: KubeObject[] = [];
    const limit = req.limit !== undefined && req.limit > 0 ? req.limit : Infinity;
    let next: string | undefined;
    for (let i = 0; i < kvs.length; i++) {
      const o = matching(kvs[i]);
      if (o === undefined) continue;
      if (items.length === limit) {
        next = encodeContinue(revision, kvs[i - 1].key.slice(root.length));
        kvs = kvs.slice(i);
        break;
      }
      items.push(o);
    }
    const metadata: KubeList['metadata'] = { resourceVersion: String(revision) };
    if (next !== undefined) {
      metadata.continue = next;
      if (labels === undefined && !req.fieldSelector) metadata.remainingItemCount = kvs.length;
    }
    return { apiVersion: apiVersionOf(info), kind: `${info.kind}List`, metadata, items };
  }

  /**
   * Update with optimistic concurrency: if the body carries a resourceVersion, it must still
   * be the stored one, or the update fails with 409 Conflict and the client must re-read.
   */
  private *update(info: ResourceInfo, r: Authenticated): Steps<ApiResponse> {
    const { req } = r;
    const name = req.name ?? '';
    const body = this.decodeBody(info, req);
    if (body.metadata.name !== undefined && body.metadata.name !== name) {
      throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
    }
    const pinned = body.metadata.resourceVersion !== undefined && body.metadata.resourceVersion !== '';
    return yield* this.retryStale(pinned, function* (this: ApiServer) {
      return yield* this.writeUpdate(info, r, yield* this.storedOrNotFound(info, req), body);
    });
  }

  /**
   * Runs a read-then-compare-and-swap `attempt` again when another write got in between
   * (kube-apiserver's GuaranteedUpdate), unless the client pinned a resourceVersion: then
   * the lost race is the client's to handle, as 409 Conflict.
   */
  private *retryStale<T>(pinned: boolean, attempt: (this: ApiServer) => Steps<T>): Steps<T> {
    for (let n = 1; ; n++) {
      try {
        return yield* attempt.call(this);
      } catch (err) {
        if (!(err instanceof StaleWrite)) throw err;
        if (pinned || n >= MAX_WRITE_ATTEMPTS) throw conflict(err.ref, STALE_OBJECT);
      }
    }
  }

  /**
   * PATCH: the patch is applied to the stored object (patch.ts), and the result goes through
   * the same stages as an update. Unless the patch itself names a resourceVersion, a
   * conflict is retried on the fresh object, as kube-apiserver does: a patch says what to
   * change, not what it saw.
   */
  private *patch(info: ResourceInfo, r: Authenticated): Steps<ApiResponse> {
    const { req } = r;
    const type = req.patchType ?? 'application/strategic-merge-patch+json';
    const pinned = (req.body as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion !== undefined;
    return yield* this.retryStale(pinned, function* (this: ApiServer) {
      const kv = yield* this.storedOrNotFound(info, req);
      let patched: KubeObject;
      try {
        patched = applyPatch(decode(kv) as unknown as Json, req.body, type) as unknown as KubeObject;
      } catch (err) {
        if (!(err instanceof PatchError)) throw err;
        throw err.code === 400 ? badRequest(err.message) : invalidPatch(err.message);
      }
      if (patched === null || typeof patched !== 'object' || Array.isArray(patched)) throw invalidPatch('the patch did not produce an object');
      const body = { ...patched, metadata: { ...(patched.metadata ?? {}) } } as KubeObject;
      return yield* this.writeUpdate(info, { req: { ...req, body }, user: r.user }, kv, this.decodeBody(info, { ...req, body }));
    });
  }

  /** The update path shared by update and patch: status rules, admission, validation, compare-and-swap. */
  private *writeUpdate(info: ResourceInfo, r: Authenticated, kv: KeyValue, body: KubeObject): Steps<ApiResponse> {
    const { req } = r;
    const name = req.name ?? '';
    const ref = { group: info.group, resource: info.resource, name };
    const old = decode(kv);
    const sent = body.metadata.resourceVersion;
    if (sent !== undefined && sent !== '' && sent !== old.metadata.resourceVersion) throw conflict(ref, STALE_OBJECT);
    const next = this.nextVersion(info, req, old, body);
    const admission = this.admissionRequest('UPDATE', info, r, next, old);
    this.admit('mutating', admission);
    this.validateObject(info, next, old);
    this.admit('validating', admission);
    // A no-op update writes nothing and keeps the resourceVersion, as in Kubernetes.
    if (sameJson(stripVersion(next), stripVersion(old))) return { code: 200, body: old };
    if (req.dryRun) return { code: 200, body: next };
    yield* this.writePending(admission);
    const key = storageKey(info, req.namespace, name);
    const unchanged: Compare[] = [{ key, target: 'modRevision', op: '=', value: kv.modRevision }];
    if (readyToRemove(next)) {
      // The last finalizer is gone from an object being deleted: now it really goes.
      const result = yield* this.etcdTxn(`txn delete ${key} (finalized)`, unchanged, [{ type: 'delete', key }]);
      if (!result.succeeded) throw new StaleWrite(ref);
      return { code: 200, body: withVersion(next, result.revision) };
    }
    // An Event gets a fresh hour on every update, as kube-apiserver's event TTL does.
    const lease = info.kind === 'Event' ? yield* this.eventLease() : undefined;
    const result = yield* this.etcdPut(`txn update ${key}`, unchanged, key, next, lease);
    if (!result.succeeded) throw new StaleWrite(ref);
    return { code: 200, body: withVersion(next, result.revision) };
  }

  /**
   * What an update may change, by endpoint:
   *   main     everything but status (kept from storage) and the fields the server owns
   *   status   only status
   *   finalize only spec.finalizers of a namespace (what the namespace controller removes)
   * The server's fields — uid, creationTimestamp, deletionTimestamp, namespace, name — are
   * always kept; generation goes up when the spec changes.
   */
  private nextVersion(info: ResourceInfo, req: ApiRequest, old: KubeObject, body: KubeObject): KubeObject {
    let next: KubeObject;
    if (req.subresource === 'status') {
      next = { ...old, status: body.status };
    } else if (req.subresource === 'finalize' && info.kind === 'Namespace') {
      next = { ...old, spec: { ...(old.spec as object), finalizers: (body.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [] } };
    } else if (req.subresource === undefined) {
      next = { ...body, metadata: { ...body.metadata } };
      applyDefaults(next);
      if (info.hasStatus) next.status = old.status;
      next.metadata.generation = (old.metadata.generation ?? 1) + (sameJson(next.spec, old.spec) ? 0 : 1);
    } else {
      throw methodNotAllowed(`the server does not allow this method on the requested resource (${req.subresource})`);
    }
    next.metadata = { ...next.metadata };
    const meta = next.metadata;
    meta.uid = old.metadata.uid;
    meta.creationTimestamp = old.metadata.creationTimestamp;
    meta.namespace = old.metadata.namespace;
    meta.name = old.metadata.name;
    meta.deletionTimestamp = old.metadata.deletionTimestamp;
    meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    if (meta.deletionTimestamp === undefined) delete meta.deletionTimestamp;
    if (meta.deletionGracePeriodSeconds === undefined) delete meta.deletionGracePeriodSeconds;
    if (req.subresource !== undefined) meta.generation = old.metadata.generation;
    return next;
  }

  /**
   * DELETE, in one or two steps (deletion.ts): removed now, or marked with a
   * deletionTimestamp while a grace period runs out or finalizers do their work. Either way
   * the answer is 200 with the object as it now is.
   */
  private *delete(info: ResourceInfo, r: Authenticated): Steps<ApiResponse> {
    return {
      code: 200,
      body: yield* this.retryStale(false, function* (this: ApiServer) {
        return yield* this.deleteStored(info, r, yield* this.storedOrNotFound(info, r.req));
      }),
    };
  }

  private *deleteStored(info: ResourceInfo, r: Authenticated, kv: KeyValue): Steps<KubeObject> {
    const { req } = r;
    const old = decode(kv);
    const name = old.metadata.name!;
    const ref = { group: info.group, resource: info.resource, name };
    const admission = { ...this.admissionRequest('DELETE', info, r, undefined, old), name };
    this.admit('mutating', admission);
    this.admit('validating', admission);
    const plan = planDelete(old, { gracePeriodSeconds: req.gracePeriodSeconds, propagationPolicy: req.propagationPolicy }, this.sim.now());
    if (req.dryRun) return plan.action === 'mark' ? plan.object : old;
    const key = kv.key;
    const unchanged: Compare[] = [{ key, target: 'modRevision', op: '=', value: kv.modRevision }];
    if (plan.action === 'remove') {
      const result = yield* this.etcdTxn(`txn delete ${key}`, unchanged, [{ type: 'delete', key }]);
      if (!result.succeeded) throw new StaleWrite(ref);
      return old;
    }
    if (sameJson(stripVersion(plan.object), stripVersion(old))) return old;
    const what = `${plan.object.metadata.finalizers?.length ? `finalizers ${plan.object.metadata.finalizers.join(', ')}` : ''}${plan.object.metadata.deletionGracePeriodSeconds ? ` grace ${plan.object.metadata.deletionGracePeriodSeconds}s` : ''}`.trim();
    const result = yield* this.etcdPut(`txn mark ${key} for deletion${what ? ` (${what})` : ''}`, unchanged, key, plan.object);
    if (!result.succeeded) throw new StaleWrite(ref);
    return withVersion(plan.object, result.revision);
  }

  /** DELETE on a collection: every object the selectors match, each deleted as by DELETE. */
  private *deleteCollection(info: ResourceInfo, r: Authenticated): Steps<ApiResponse> {
    const list = yield* this.list(info, { ...r.req, limit: undefined, continue: undefined });
    const items: KubeObject[] = [];
    for (const obj of list.items) {
      const one: Authenticated = { req: { ...r.req, name: obj.metadata.name, namespace: obj.metadata.namespace }, user: r.user };
      const deleted = yield* this.retryStale(false, function* (this: ApiServer) {
        const kv = yield* this.etcdGet(storageKey(info, obj.metadata.namespace, obj.metadata.name!));
        return kv === undefined ? undefined : yield* this.deleteStored(info, one, kv);
      });
      if (deleted !== undefined) items.push(deleted);
    }
    return { code: 200, body: { ...list, items } };
  }

  private *storedOrNotFound(info: ResourceInfo, req: ApiRequest): Steps<KeyValue> {
    const name = req.name ?? '';
    const kv = yield* this.etcdGet(storageKey(info, req.namespace, name));
    if (kv === undefined) throw notFound({ group: info.group, resource: info.resource, name });
    return kv;
  }

  /**
   * POST pods/<name>/binding: the scheduler's only way to place a pod. It sets spec.nodeName,
   * once; binding an already bound pod is a 409 Conflict.
   */
  private *bind(caller: string, info: ResourceInfo, r: Authenticated): Steps<ApiResponse> {
    const { req } = r;
    if (info.kind !== 'Pod') throw notFound({ group: info.group, resource: `${info.resource}/binding`, name: req.name ?? '' });
    const binding = req.body as Binding;
    const target = binding?.target?.name;
    if (!target) throw invalid({ group: '', kind: 'Binding' }, req.name ?? '', [{ reason: 'FieldValueRequired', message: 'Required value', field: 'target.name' }]);
    const name = req.name ?? '';
    return yield* this.retryStale(false, function* (this: ApiServer) {
      const kv = yield* this.storedOrNotFound(info, req);
      const pod = decode(kv) as Pod;
      if (pod.spec.nodeName) {
        throw conflict({ group: '', resource: 'pods/binding', name }, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
      }
      if (pod.metadata.deletionTimestamp) throw conflict({ group: '', resource: 'pods/binding', name }, `pod ${name} is being deleted, cannot be assigned to a host`);
      pod.spec.nodeName = target;
      const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
      conditions.push({ type: 'PodScheduled', status: 'True', lastTransitionTime: timestamp(this.sim.now()) });
      pod.status = { ...pod.status, conditions };
      if (req.dryRun) return { code: 201, body: success(201) };
      const result = yield* this.etcdPut(`txn bind ${kv.key} to ${target}`, [{ key: kv.key, target: 'modRevision', op: '=', value: kv.modRevision }], kv.key, pod);
      if (!result.succeeded) throw new StaleWrite({ group: '', resource: 'pods/binding', name });
      this.sim.trace.action(this.sim.now(), API_SERVER, `bound ${req.namespace}/${name} to ${target} for ${caller}`);
      return { code: 201, body: success(201) };
    });
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
    // What the decoder refuses before any validation (a string where a number goes, a
    // Secret value that is not base64): 400, as kube-apiserver cannot even read the body.
    const problem = decodeError(info, obj as unknown as Record<string, unknown>);
    if (problem !== undefined) throw badRequest(problem);
    return obj;
  }

  private *etcdGet(key: string): Steps<KeyValue | undefined> {
    return (yield* this.etcdRange(key, false)).kvs[0];
  }

  private *etcdRange(key: string, prefix: boolean, revision?: number): Steps<RangeResult> {
    const at = revision !== undefined ? ` at revision ${revision}` : '';
    return yield* wait<RangeResult>((done) => this.storage.range(key, { prefix, revision }, `range ${key}${prefix ? '*' : ''}${at}`, done));
  }

  private *etcdTxn(summary: string, compares: Compare[], ops: TxnOp[]): Steps<TxnResult> {
    return yield* wait<TxnResult>((done) => this.storage.txn(compares, ops, summary, done));
  }

  /** Writes an object as JSON, without its resourceVersion (that is the etcd revision). */
  private *etcdPut(summary: string, compares: Compare[], key: string, obj: KubeObject, lease?: number): Steps<TxnResult> {
    return yield* this.etcdTxn(summary, compares, [{ type: 'put', key, value: JSON.stringify(stripVersion(obj)), lease }]);
  }

  /** Kubernetes-style generated name suffix: 5 characters from a vowel-free alphabet. */
  private randomSuffix(): string {
    const rng = this.sim.rng('apiserver/names');
    let s = '';
    for (let i = 0; i < NAME_SUFFIX_LENGTH; i++) s += NAME_SUFFIX_ALPHABET[rng.int(NAME_SUFFIX_ALPHABET.length)];
    return s;
  }

  private newUid(): string {
    const rng = this.sim.rng('apiserver/uids');
    const hex = (n: number) => Array.from({ length: n }, () => rng.int(16).toString(16)).join('');
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + rng.int(4)).toString(16)}${hex(3)}-${hex(12)}`;
  }
}

/** The request's label selector; one that does not parse is the client's mistake: 400. */
function labelSelectorOf(req: ApiRequest): LabelSelector | undefined {
  if (!req.labelSelector) return undefined;
  try {
    return parseSelector(req.labelSelector);
  } catch (err) {
    throw badRequest((err as Error).message);
  }
}

/** The size of a request body as JSON, in bytes (what a client would send). */
function bodySize(body: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(body) ?? '');
  } catch {
    return 0; // not JSON at all: decoding will answer 400
  }
}

/**
 * What authorization decides on, from the request (kube-apiserver's RequestInfo):
 *   GET /api/v1/namespaces/dev/pods            => verb list, resource pods, namespace dev
 *   GET /api/v1/namespaces/dev/pods?watch=1    => verb watch
 *   POST .../pods/web/binding                  => verb create, subresource binding, name web
 */
export function requestAttributes(user: UserInfo, info: ResourceInfo, req: ApiRequest): RequestAttributes {
  return {
    user,
    verb: req.verb,
    resourceRequest: true,
    apiGroup: info.group,
    resource: info.resource,
    subresource: req.subresource ?? '',
    namespace: req.namespace ?? '',
    name: req.name ?? '',
    path: '',
  };
}

/** A JSON patch that does not apply to the stored object: 422, with the patch library's words. */
function invalidPatch(message: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Invalid', code: 422 });
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
