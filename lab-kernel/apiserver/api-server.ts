import type { ApiRequest, ApiResponse, Credentials } from '../api/request';
import { findResource, resourceFor, RESOURCES, storageKey, storagePrefix, type ResourceInfo } from '../api/resources';
import { badRequest, internalError, methodNotAllowed, methodNotAllowedOn, noSuchPath, notFound, StatusError, type Status } from '../api/status';
import type { ApiTransport, WatchError, WatchSink } from '../api/transport';
import type { KubeObject } from '../api/types';
import type { Network } from '../sim/network';
import type { Simulation } from '../sim/simulation';
import { apiGroups, DISCOVERY_RESOURCE, proxyToAPIService, type APIService } from './aggregation';
import { COMPONENT_STATUSES, componentStatuses } from './component-statuses';
import type { Call, HealthProbe, KubeletEndpoint, Server } from './context';
import { create } from './handlers/create';
import { deleteCollection, deleteObject } from './handlers/delete';
import { patch } from './handlers/patch';
import { getObject, list } from './handlers/read';
import { update } from './handlers/update';
import { watch } from './handlers/watch';
import { API_SERVER } from './identity';
import { KUBERNETES_SERVICE_INTERVAL_MS, kubernetesService } from './kubernetes-service';
import { RequestPipeline, type ApiServerOptions } from './pipeline';
import type { AdmissionContext } from './pipeline-types';
import { runSteps, type Steps } from './steps';
import { StorageCalls } from './storage-calls';
import { StorageError, type Storage } from '../etcd/storage';
import { ServiceAllocators } from './allocation/service-allocators';
import { strategyFor } from './strategies/registry';
import { SUBRESOURCES } from './subresources/registry';
import { WatchCache } from './watch-cache';

export { API_SERVER, ETCD } from './identity';

/**
 * The API server: the only door into the cluster and the only component that talks to etcd.
 *
 * Every request passes the same stages (pipeline.ts), in kube-apiserver's order, and each one
 * shows in the trace as an action of kube-apiserver tagged with its stage; then its verb
 * (handlers/) or subresource (subresources/) does the work, with what differs by kind coming
 * from the kind's strategy (strategies/):
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
 * at once or, replicated, after network round trips. Clients reach it as an ApiTransport
 * (api/transport.ts).
 *
 * Aggregated APIs (aggregation.ts): a group registered with registerAPIService, such as
 * metrics.k8s.io, is proxied to the component that serves it.
 *
 * Left out, on purpose: server-side apply and managed fields, webhooks
 * (custom admission plugins are registered in-process instead), and priority & fairness.
 */

/** How the API server calls itself (its loopback client): as system:apiserver, in system:masters. */
const LOOPBACK: Credentials = { clientCertificate: { commonName: 'system:apiserver', organizations: ['system:masters'] } };

export class ApiServer implements ApiTransport {
  readonly name = API_SERVER;
  private readonly kubelets = new Map<string, KubeletEndpoint>();
  private readonly probes: HealthProbe[] = [];
  private readonly apiServices = new Map<string, APIService>();
  private readonly watchCaches = new Map<string, WatchCache>();
  private readonly pipeline: RequestPipeline;
  private readonly server: Server;
  private readonly serviceAllocators: ServiceAllocators;

  constructor(
    private readonly sim: Simulation,
    net: Network,
    private readonly storage: Storage,
    options: ApiServerOptions = {},
  ) {
    this.pipeline = new RequestPipeline(sim, options, this.cache);
    this.serviceAllocators = new ServiceAllocators(sim, options);
    this.server = {
      sim,
      net,
      etcd: new StorageCalls(storage, () => sim.now()),
      pipeline: this.pipeline,
      kubelets: this.kubelets,
      probes: this.probes,
      serviceAllocators: this.serviceAllocators,
      watchCache: (info) => this.watchCache(info),
    };
  }

  /** Serves one request and calls `reply` once with the response (at once, or after etcd answers). */
  serve(caller: string, req: ApiRequest, reply: (res: ApiResponse) => void): void {
    runSteps(this.handle(caller, req), reply, (err) => reply(errorResponse(err)));
  }

  /**
   * Starts a watch (handlers/watch.ts), served from the resource's watch cache. Returns a
   * function that stops the watch.
   */
  watch(caller: string, req: ApiRequest, sink: WatchSink, onError: WatchError, onClosed?: () => void): () => void {
    let stopped = false;
    let stopWatch: (() => void) | undefined;
    const fail = (err: unknown) => {
      if (!stopped) onError(errorResponse(err).body as Status);
    };
    const closed = () => {
      if (!stopped) onClosed?.();
    };
    runSteps(
      this.startWatch(caller, Object.assign({}, req, { verb: 'watch' }), (event) => !stopped && sink(event), closed),
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

  private *startWatch(caller: string, req: ApiRequest, sink: WatchSink, closed: () => void): Steps<() => void> {
    const info = resourceOf(req);
    this.pipeline.authorize(this.pipeline.authenticate(req), info, req);
    return watch(this.server, caller, strategyFor(info), req, sink, closed);
  }

  /**
   * The resource's watch cache, started on first use (bootstrap starts them all). One whose
   * etcd watch or list failed lists again by itself (watch-cache.ts).
   */
  private watchCache(info: ResourceInfo): WatchCache {
    let cache = this.watchCaches.get(info.resource);
    if (cache === undefined) {
      this.watchCaches.set(info.resource, (cache = new WatchCache(this.sim, this.storage, info)));
      cache.start();
    }
    return cache;
  }

  /**
   * What the API server does when it first starts: a watch cache per resource (kube-apiserver
   * starts a cacher for each), then, like its bootstrap controller, the built-in namespaces and,
   * once `default` is there, the `kubernetes` Service on the first address of the service range;
   * then any objects it must create at start (the RBAC bootstrap policy).
   */
  bootstrap(objects: readonly KubeObject[] = []): void {
    for (const info of RESOURCES) this.watchCache(info);
    const credentials = LOOPBACK;
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      const created = name === 'default' ? () => this.createKubernetesService() : () => {};
      this.serve(API_SERVER, { verb: 'create', resource: 'namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, credentials }, created);
    }
    for (const obj of objects) {
      const info = resourceFor(obj.kind);
      this.serve(API_SERVER, { verb: 'create', resource: info.resource, namespace: obj.metadata.namespace, body: obj, credentials }, () => {});
    }
  }

  /** The `kubernetes` Service; tried again every 10 s until it is stored, as the bootstrap controller's loop does. */
  private createKubernetesService(): void {
    const body = kubernetesService(this.serviceAllocators.ips.first);
    this.serve(API_SERVER, { verb: 'create', resource: 'services', namespace: 'default', body, credentials: LOOPBACK }, (res) => {
      if (res.code !== 201 && res.code !== 409) this.sim.after(KUBERNETES_SERVICE_INTERVAL_MS, () => this.createKubernetesService());
    });
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

  /** An aggregated API (aggregation.ts): requests for its group go to its backend. */
  registerAPIService(service: APIService): void {
    this.apiServices.set(service.group, service);
  }

  addHealthProbe(probe: HealthProbe): void {
    this.probes.push(probe);
  }

  /**
   * Routes a request: through the pipeline's first stages, then to its subresource or verb.
   *
   *   create pods/binding default/web   => subresources/binding.ts
   *   get pods/log default/web          => subresources/log.ts
   *   update deployments default/web    => handlers/update.ts
   */
  private *handle(caller: string, req: ApiRequest): Steps<ApiResponse> {
    if (req.group !== undefined) return yield* proxyToAPIService(this.pipeline, this.apiServices, req);
    if (req.resource === DISCOVERY_RESOURCE) {
      // system:discovery lets every authenticated user read it.
      this.pipeline.authenticate(req);
      return apiGroups(this.apiServices);
    }
    if (req.resource === COMPONENT_STATUSES.resource) {
      this.pipeline.authorize(this.pipeline.authenticate(req), COMPONENT_STATUSES, req);
      return componentStatuses(this.server, req);
    }
    const info = resourceOf(req);
    const user = this.pipeline.authenticate(req);
    this.pipeline.authorize(user, info, req);
    const strategy = strategyFor(info);
    this.pipeline.checkShape(strategy, req);
    const call: Call = { req, user, caller, info, strategy };
    const server = this.server;
    const subresource = req.subresource === undefined ? undefined : SUBRESOURCES[req.subresource];
    if (req.subresource !== undefined) {
      // kube-apiserver installs a subresource's route only for the kinds that have it, with its verbs.
      const ref = { group: info.group, resource: info.resource, name: req.name ?? '' };
      if (subresource === undefined || !subresource.servedFor(strategy)) throw noSuchPath(ref);
      if (!subresource.verbs.includes(req.verb)) throw methodNotAllowedOn(ref);
    }
    if (subresource?.connect !== undefined) return yield* subresource.connect(server, call);
    // A subresource with its own kind (scale) answers with its view of the object.
    const shown = (answer: ApiResponse): ApiResponse => (subresource?.view === undefined ? answer : Object.assign({}, answer, { body: subresource.view(answer.body as KubeObject) }));
    switch (req.verb) {
      case 'create':
        return subresource?.create !== undefined ? yield* subresource.create(server, call) : yield* create(server, call);
      case 'get':
        return shown({ code: 200, body: yield* getObject(server, info, req) });
      case 'list':
        return { code: 200, body: yield* list(server, strategy, req) };
      case 'update':
        return shown(yield* update(server, call));
      case 'patch':
        return shown(yield* patch(server, call));
      case 'delete':
        return yield* deleteObject(server, call);
      case 'deletecollection':
        return yield* deleteCollection(server, call);
      case 'watch':
        throw badRequest('watch is a stream: use ApiServer.watch');
      default:
        throw methodNotAllowed(`the server does not allow this method on the requested resource`);
    }
  }
}

/** The resource the request names, as the API serves it, or 404. */
function resourceOf(req: ApiRequest): ResourceInfo {
  const info = findResource(req.resource);
  if (info === undefined || info.resource !== req.resource) {
    throw notFound({ group: '', resource: req.resource, name: '' });
  }
  return info;
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
