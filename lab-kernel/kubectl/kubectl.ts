import { parseAllDocuments } from 'yaml';
import { apiVersionOf, findResource, type ResourceInfo } from '../api/resources';
import type { Status } from '../api/status';
import type { KubeList, KubeObject, Pod } from '../api/types';
import type { ApiRequest, ApiResponse, ExecResult } from '../api/request';
import type { Client } from '../client/client';
import type { Simulation } from '../sim/simulation';
import { mergeKeyFor } from '../apiserver/patch';
import { autoscale, type AutoscaleOptions } from './autoscale';
import { createJobFromCronJob } from './create-job';
import { describeObject } from './describe/describe';
import type { PrintOptions } from './print-options';
import { PortForwardError, portForward, type PortForwardOutput } from './port-forward';
import { printTable } from './printers';
import { rolloutHistory } from './rollout-history';
import { rolloutPause } from './rollout-pause';
import { rolloutRestart } from './rollout-restart';
import { followRolloutStatus } from './rollout-status';
import { rolloutUndo } from './rollout-undo';
import { checked, displayName, KubectlError } from './kubectl-error';
import { LAST_APPLIED, parseLastApplied } from './last-applied';
import { Table } from './table';
import { workloadHistory, workloadUndo } from './workload-history';
import { TopError, topNodes, topPods, type TopOptions } from './top';

/**
 * A kubectl-like front end. Like the real one it is just another API client: each command
 * sends requests over the simulated network and waits — while the whole cluster keeps
 * running in virtual time — for the answer.
 *
 *   kubectl.apply(yamlText)          // => 'replicaset.apps/web created'
 *   kubectl.get('pods').toString()   // => the familiar NAME READY STATUS RESTARTS AGE table
 *   kubectl.scale('rs', 'web', 5)    // => 'replicaset.apps/web scaled'
 *   kubectl.logs('web-7bqzx')        // the API server fetches them from the pod's kubelet
 *   kubectl.top('pods')              // usage from the Metrics API (top.ts)
 *
 * A failed request throws a KubectlError carrying the API server's Status, with kubectl's
 * wording: `Error from server (NotFound): pods "nope" not found`.
 *
 * apply is client-side apply: kubectl's last-applied-configuration annotation and a
 * three-way strategic merge patch (threeWayPatch below); server-side apply is not modelled.
 */
export { KubectlError } from './kubectl-error';

export interface GetOptions extends PrintOptions {
  namespace?: string;
  allNamespaces?: boolean;
  /** A label selector, as in `-l app=web`. */
  selector?: string;
}

export interface DeleteOptions {
  namespace?: string;
  /** `--cascade`: background (the default), foreground, or orphan. */
  cascade?: 'background' | 'foreground' | 'orphan';
  /** `--grace-period` in seconds (pods). */
  gracePeriod?: number;
  /** `--dry-run=server` */
  dryRun?: boolean;
  /** `--wait` (default true): return only once the object is gone. */
  wait?: boolean;
}

const PATCH_TYPES = {
  strategic: 'application/strategic-merge-patch+json',
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
} as const;

/** How long `kubectl delete` waits for an object to go, in virtual ms (the lab's stand-in for --timeout). */
const DELETE_WAIT_LIMIT_MS = 5 * 60_000;

export { LAST_APPLIED } from './last-applied';

/**
 * kubectl's --request-timeout defaults to 0: no timeout, kubectl waits as long as it takes. A
 * simulation that nobody answers would run forever, so the lab stops waiting after an hour of
 * virtual time and says so.
 */
const NO_ANSWER_LIMIT_MS = 60 * 60_000;

export interface KubectlOptions {
  /** --request-timeout, in ms; 0 (kubectl's default): none. */
  requestTimeoutMs?: number;
}

export class Kubectl {
  constructor(
    private readonly sim: Simulation,
    private readonly client: Pick<Client, 'request' | 'watch'>,
    private readonly options: KubectlOptions = {},
  ) {}

  /** Sends one request and runs the simulation until its response arrives (or --request-timeout passes). */
  request(req: ApiRequest): ApiResponse {
    let response: ApiResponse | undefined;
    this.client.request(req, (res) => (response = res));
    const timeout = this.options.requestTimeoutMs ?? 0;
    if (!this.sim.runUntil(() => response !== undefined, timeout > 0 ? timeout : NO_ANSWER_LIMIT_MS)) {
      if (timeout > 0) throw new KubectlError(`Unable to connect to the server: the request timed out after ${timeout / 1000}s`);
      throw new KubectlError(`no answer after ${NO_ANSWER_LIMIT_MS / 60_000} min of virtual time: kubectl (--request-timeout 0) would wait forever, the lab stops here`);
    }
    return response!;
  }

  /** `kubectl apply -f -`: creates what is missing, updates what exists. One line per object. */
  apply(yamlText: string): string {
    const objects = parseManifests(yamlText);
    return objects.map((obj) => this.applyOne(obj)).join('\n');
  }

  /** `kubectl get <resource> [name]`, as a table. */
  get(resource: string, name?: string, options: GetOptions = {}): Table {
    const objects = this.getObjects(resource, name, options);
    const info = this.resource(resource);
    const namespace = info?.namespaced && !options.allNamespaces ? (options.namespace ?? 'default') : undefined;
    return printTable(info?.kind ?? 'ComponentStatus', objects, this.sim.now(), Object.assign({}, options, { withNamespace: options.allNamespaces, namespace }));
  }

  /**
   * `kubectl get <resource> --watch`: the table of what exists, then one more row each time
   * a watch event arrives, for `forMs` of virtual time (kubectl would go on until Ctrl-C).
   *
   *   kubectl.watch('pods', { forMs: 10_000 }).toString()
   *   // NAME        READY   STATUS              RESTARTS   AGE
   *   // web-7bqzx   0/1     Pending             0          0s
   *   // web-7bqzx   0/1     ContainerCreating   0          1s
   *   // web-7bqzx   1/1     Running             0          3s
   */
  watch(resource: string, options: GetOptions & { forMs: number }): Table {
    const info = this.mustResource(resource);
    const namespace = info.namespaced && !options.allNamespaces ? (options.namespace ?? 'default') : undefined;
    const list = this.check(this.request({ verb: 'list', resource: info.resource, namespace, labelSelector: options.selector })).body as KubeList;
    const seen: { obj: KubeObject; at: number }[] = list.items.map((obj) => ({ obj, at: this.sim.now() }));
    const stop = this.client.watch({ verb: 'watch', resource: info.resource, namespace, labelSelector: options.selector, resourceVersion: list.metadata.resourceVersion }, (event) => {
      if (event.type !== 'BOOKMARK') seen.push({ obj: event.object, at: this.sim.now() });
    });
    this.sim.runFor(options.forMs);
    stop();
    const tables = seen.map(({ obj, at }) => printTable(info.kind, [obj], at, Object.assign({}, options, { withNamespace: options.allNamespaces, namespace })));
    const columns = tables[0]?.columns ?? printTable(info.kind, [], this.sim.now(), options).columns;
    return new Table(columns, tables.flatMap((t) => t.rows), `No resources found${namespace ? ` in ${namespace} namespace` : ''}.`);
  }

  /** The objects behind `kubectl get`, as JSON (`-o json`). */
  getObjects<T extends KubeObject = KubeObject>(resource: string, name?: string, options: GetOptions = {}): T[] {
    const info = this.resource(resource);
    const plural = info?.resource ?? 'componentstatuses';
    const namespace = info?.namespaced && !options.allNamespaces ? (options.namespace ?? 'default') : undefined;
    const res = this.check(this.request({ verb: name ? 'get' : 'list', resource: plural, namespace, name, labelSelector: options.selector }));
    return name ? [res.body as T] : (res.body as KubeList<T>).items;
  }

  /**
   * `kubectl scale <resource> <name> --replicas=n`: as kubectl 1.32 does, it reads the object,
   * then sends a merge patch of its scale subresource, `{"spec":{"replicas":n}}`, without a
   * resourceVersion: it sets the replicas whatever else changed.
   */
  scale(resource: string, name: string, replicas: number, namespace = 'default'): string {
    const info = this.mustResource(resource);
    this.check(this.request({ verb: 'get', resource: info.resource, namespace, name }));
    this.check(this.request({ verb: 'patch', resource: info.resource, subresource: 'scale', namespace, name, patchType: 'application/merge-patch+json', body: { spec: { replicas } } }));
    return `${displayName(info)}/${name} scaled`;
  }

  /**
   * `kubectl delete <resource> <name>`. Like kubectl, it then waits (`--wait=true`, the
   * default) until the object is really gone: a pod's grace period, finalizers and, with
   * `cascade: 'foreground'`, the dependents all take their time.
   *
   *   delete('rs', 'web')                                 // => 'replicaset.apps "web" deleted' (pods go after it)
   *   delete('rs', 'web', { cascade: 'orphan' })          // the pods stay, without an owner
   *   delete('pod', 'web-x', { gracePeriod: 0 })          // no grace: gone at once
   *   delete('pod', 'web-x', { dryRun: true })            // => 'pod "web-x" deleted (server dry run)'
   */
  delete(resource: string, name: string, options: DeleteOptions | string = {}): string {
    const opts: DeleteOptions = typeof options === 'string' ? { namespace: options } : options;
    const info = this.mustResource(resource);
    const namespace = info.namespaced ? (opts.namespace ?? 'default') : undefined;
    const propagationPolicy = opts.cascade === undefined ? undefined : opts.cascade === 'orphan' ? 'Orphan' : opts.cascade === 'foreground' ? 'Foreground' : 'Background';
    const deleted = this.check(this.request({ verb: 'delete', resource: info.resource, namespace, name, gracePeriodSeconds: opts.gracePeriod, propagationPolicy, dryRun: opts.dryRun })).body as Partial<KubeObject>;
    const label = `${displayName(info)} "${name}" deleted`;
    if (opts.dryRun) return `${label} (server dry run)`;
    if (opts.wait !== false) this.waitUntilGone(info, namespace, name, deleted.kind !== 'Status' ? deleted.metadata?.uid : undefined);
    return label;
  }

  /**
   * `kubectl patch <resource> <name> -p '<patch>' [--type merge|json|strategic]`
   *   patch('deploy', 'web', { spec: { replicas: 3 } })                          // => 'deployment.apps/web patched'
   *   patch('pod', 'web', [{ op: 'remove', path: '/metadata/labels/x' }], { type: 'json' })
   */
  patch(resource: string, name: string, patch: unknown, options: { namespace?: string; type?: 'strategic' | 'merge' | 'json'; dryRun?: boolean } = {}): string {
    const info = this.mustResource(resource);
    const namespace = info.namespaced ? (options.namespace ?? 'default') : undefined;
    const patchType = PATCH_TYPES[options.type ?? 'strategic'];
    const before = this.check(this.request({ verb: 'get', resource: info.resource, namespace, name })).body as KubeObject;
    const after = this.check(this.request({ verb: 'patch', resource: info.resource, namespace, name, patchType, body: patch, dryRun: options.dryRun })).body as KubeObject;
    const changed = after.metadata.resourceVersion !== before.metadata.resourceVersion || options.dryRun;
    return `${displayName(info)}/${name} ${changed ? 'patched' : 'patched (no change)'}${options.dryRun ? ' (server dry run)' : ''}`;
  }

  /**
   * Polls once a second of virtual time until a GET says 404, or finds another object of that
   * name (another uid: a StatefulSet's pod made again), which kubectl's wait counts as deleted too.
   */
  private waitUntilGone(info: ResourceInfo, namespace: string | undefined, name: string, uid: string | undefined): void {
    for (let waited = 0; ; waited += 1000) {
      const res = this.request({ verb: 'get', resource: info.resource, namespace, name });
      if (res.code === 404 || (uid !== undefined && (res.body as KubeObject).metadata?.uid !== uid)) return;
      if (waited >= DELETE_WAIT_LIMIT_MS) throw new KubectlError(`error: timed out waiting for the condition on ${info.resource}/${name}`);
      this.sim.runFor(1000);
    }
  }

  /**
   * `kubectl rollout status deployment/<name>`: a line each time the Deployment's rollout
   * moves on (rollout-status.ts), watching it until it is done, it exceeds its progress
   * deadline, or `timeoutMs` of virtual time pass (kubectl's --timeout; 0, the default,
   * waits for ever: the lab stops after an hour).
   *
   *   kubectl.rolloutStatus('nginx-deployment')
   *   // Waiting for deployment "nginx-deployment" rollout to finish: 1 out of 3 new replicas have been updated...
   *   // ...
   *   // deployment "nginx-deployment" successfully rolled out
   */
  rolloutStatus(name: string, options: { namespace?: string; timeoutMs?: number } = {}): string {
    const limit = options.timeoutMs !== undefined && options.timeoutMs > 0 ? options.timeoutMs : NO_ANSWER_LIMIT_MS;
    return followRolloutStatus((req) => this.request(req), this.client.watch.bind(this.client), this.sim, options.namespace ?? 'default', name, limit);
  }

  /**
   * `kubectl rollout history <resource>/<name> [--revision=N]`: the REVISION / CHANGE-CAUSE
   * table, or one revision's pod template; a Deployment's from its ReplicaSets
   * (rollout-history.ts), a DaemonSet's or StatefulSet's from its ControllerRevisions (workload-history.ts).
   */
  rolloutHistory(resource: string, name: string, options: { namespace?: string; revision?: number } = {}): string {
    const info = this.rolloutTarget(resource, 'history');
    const send = (req: ApiRequest) => this.request(req);
    const namespace = options.namespace ?? 'default';
    return info.kind === 'Deployment' ? rolloutHistory(send, namespace, name, options.revision) : workloadHistory(send, info, namespace, name, options.revision);
  }

  /** `kubectl rollout undo <resource>/<name> [--to-revision=N]` (rollout-undo.ts, workload-history.ts): `deployment.apps/web rolled back`. */
  rolloutUndo(resource: string, name: string, options: { namespace?: string; toRevision?: number } = {}): string {
    const info = this.rolloutTarget(resource, 'undo');
    const send = (req: ApiRequest) => this.request(req);
    const namespace = options.namespace ?? 'default';
    return info.kind === 'Deployment' ? rolloutUndo(send, namespace, name, options.toRevision) : workloadUndo(send, info, namespace, name, options.toRevision);
  }

  /** `kubectl rollout pause <resource>/<name>` (rollout-pause.ts): `deployment.apps/web paused`. */
  rolloutPause(resource: string, name: string, options: { namespace?: string } = {}): string {
    return rolloutPause((req) => this.request(req), resource, options.namespace ?? 'default', name, true);
  }

  /** `kubectl rollout resume <resource>/<name>` (rollout-pause.ts): `deployment.apps/web resumed`. */
  rolloutResume(resource: string, name: string, options: { namespace?: string } = {}): string {
    return rolloutPause((req) => this.request(req), resource, options.namespace ?? 'default', name, false);
  }

  /** `kubectl rollout restart <resource>/<name>` (rollout-restart.ts): `deployment.apps/web restarted`, stamped with the virtual clock. */
  rolloutRestart(resource: string, name: string, options: { namespace?: string } = {}): string {
    return rolloutRestart((req) => this.request(req), resource, options.namespace ?? 'default', name, this.sim.now());
  }

  /** `kubectl autoscale <resource>/<name> --min --max --cpu-percent` (autoscale.ts): `horizontalpodautoscaler.autoscaling/web autoscaled`. */
  autoscale(resource: string, name: string, options: AutoscaleOptions): string {
    return autoscale((req) => this.request(req), resource, name, options);
  }

  /** `kubectl create job <name> --from=cronjob/<cronJob>` (create-job.ts): `job.batch/<name> created`. */
  createJobFromCronJob(name: string, cronJob: string, options: { namespace?: string } = {}): string {
    return createJobFromCronJob((req) => this.request(req), options.namespace ?? 'default', name, cronJob);
  }

  /**
   * `kubectl top pods` (top.ts): each pod's CPU and memory from the Metrics API, or kubectl's
   * error ("error: Metrics API not available" until an add-on such as metrics-server serves it).
   */
  top(what: 'pods' | 'nodes', options: TopOptions = {}): string {
    try {
      return what === 'pods' ? topPods((req) => this.request(req), this.sim.now(), options) : topNodes((req) => this.request(req));
    } catch (err) {
      if (err instanceof TopError) throw new KubectlError(err.message);
      throw err;
    }
  }

  /** kubectl port-forward <pod> <local>:<remote>, and one `curl localhost:<local>` through it (port-forward.ts). */
  portForward(pod: string, ports: string, options: { namespace?: string } = {}): PortForwardOutput {
    try {
      return portForward((req) => this.request(req), pod, ports, options.namespace);
    } catch (err) {
      if (err instanceof PortForwardError) throw new KubectlError(err.message, err.status);
      throw err;
    }
  }

  /**
   * `kubectl describe <resource> <name>` (describe/): the object and what its kind's describer
   * gathers beside it, with its Events, aligned as kubectl 1.32 prints it.
   */
  describe(resource: string, name: string, options: { namespace?: string } = {}): string {
    return describeObject((req) => this.request(req), this.sim.now(), this.mustResource(resource), options.namespace ?? 'default', name);
  }

  /** kubectl logs <pod> [-c <container>] [--previous]. */
  logs(pod: string, options: { namespace?: string; container?: string; previous?: boolean } = {}): string {
    const res = this.check(this.request({ verb: 'get', resource: 'pods', subresource: 'log', namespace: options.namespace ?? 'default', name: pod, container: options.container, ...(options.previous ? { previous: true } : {}) }));
    return res.body as string;
  }

  /**
   * kubectl exec <pod> [-c <container>] -- <command...>: what the terminal shows, stdout then
   * stderr, and "command terminated with exit code N" when it failed. The first container is
   * the default, as kubectl's "Defaulted container" notice says for a pod with several.
   *
   *   kubectl.exec('web', ['hostname'])                 // => 'web\n'
   *   kubectl.exec('web', ['sh', '-c', 'exit 3'])       // => 'command terminated with exit code 3'
   */
  exec(pod: string, command: string[], options: { namespace?: string; container?: string } = {}): string {
    const namespace = options.namespace ?? 'default';
    // kubectl reads the pod first: to refuse a finished one, and to pick the container.
    const found = this.check(this.request({ verb: 'get', resource: 'pods', namespace, name: pod })).body as Pod;
    const phase = found.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') throw new KubectlError(`error: cannot exec into a container in a completed pod; current phase is ${phase}`);
    const names = found.spec.containers.map((c) => c.name);
    const container = options.container ?? names[0];
    const notice = options.container === undefined && names.length > 1 ? `Defaulted container "${container}" out of: ${names.join(', ')}\n` : '';
    const res = this.request({ verb: 'create', resource: 'pods', subresource: 'exec', namespace, name: pod, container, command });
    if (res.code === 500) throw new KubectlError(`${notice}error: unable to upgrade connection: ${(res.body as Status).message}`, res.body as Status);
    const { stdout, stderr, exitCode } = this.check(res).body as ExecResult;
    return `${notice}${stdout}${stderr}${exitCode === 0 ? '' : `command terminated with exit code ${exitCode}`}`;
  }

  private applyOne(manifest: KubeObject): string {
    const info = findResource(manifest.kind ?? '');
    if (info === undefined || info.kind !== manifest.kind) {
      throw new KubectlError(
        `error: resource mapping not found for name: "${manifest.metadata?.name ?? ''}" namespace: "${manifest.metadata?.namespace ?? ''}" from "STDIN": ` +
          `no matches for kind "${manifest.kind}" in version "${manifest.apiVersion}"`,
      );
    }
    if (manifest.apiVersion !== apiVersionOf(info)) {
      throw new KubectlError(`error: resource mapping not found for name: "${manifest.metadata?.name ?? ''}" namespace: "" from "STDIN": no matches for kind "${manifest.kind}" in version "${manifest.apiVersion}"`);
    }
    const name = manifest.metadata?.name;
    const namespace = info.namespaced ? (manifest.metadata?.namespace ?? 'default') : undefined;
    const label = `${displayName(info)}/${name ?? manifest.metadata?.generateName ?? ''}`;
    // Like kubectl, remember what was applied in an annotation: the next apply compares with it.
    const applied = JSON.stringify(manifest);
    const annotations = Object.assign({}, manifest.metadata?.annotations, { [LAST_APPLIED]: applied });
    const existing = name ? this.request({ verb: 'get', resource: info.resource, namespace, name }) : undefined;
    if (existing === undefined || existing.code === 404) {
      const body = Object.assign({}, manifest, { metadata: Object.assign({}, manifest.metadata, { annotations }) });
      this.check(this.request({ verb: 'create', resource: info.resource, namespace, body }), 'creating');
      return `${label} created`;
    }
    const current = this.check(existing).body as KubeObject;
    // Like kubectl apply: a strategic merge patch of what the manifest says, plus a null for
    // each field the last apply set and this manifest no longer has. Fields others set (a
    // controller's, admission's, the API server's) are left alone.
    const previous = parseLastApplied(current.metadata.annotations?.[LAST_APPLIED]);
    const patch = threeWayPatch(previous, Object.assign({}, manifest, { metadata: Object.assign({}, manifest.metadata, { annotations }) })) as Record<string, unknown>;
    // Nothing in the patch that the live object does not already say: kubectl sends nothing.
    if (coveredBy(patch, current)) return `${label} unchanged`;
    this.check(this.request({ verb: 'patch', resource: info.resource, namespace, name, patchType: 'application/strategic-merge-patch+json', body: patch }), 'applying patch');
    return `${label} configured`;
  }

  private check(res: ApiResponse, doing?: string): ApiResponse {
    return checked(res, doing);
  }

  /** HistoryViewerFor / RollbackerFor: Deployments, DaemonSets and StatefulSets have a history. */
  private rolloutTarget(resource: string, verb: 'history' | 'undo'): ResourceInfo {
    const info = this.mustResource(resource);
    const groupKind = info.group === '' ? info.kind : `${info.kind}.${info.group}`;
    if (!['Deployment', 'DaemonSet', 'StatefulSet'].includes(info.kind)) throw new KubectlError(`error: no ${verb === 'history' ? 'history viewer' : 'rollbacker'} has been implemented for "${groupKind}"`);
    return info;
  }

  private resource(name: string): ResourceInfo | undefined {
    if (['componentstatuses', 'componentstatus', 'cs'].includes(name)) return undefined;
    return this.mustResource(name);
  }

  private mustResource(name: string): ResourceInfo {
    const info = findResource(name);
    if (info === undefined) throw new KubectlError(`error: the server doesn't have a resource type "${name}"`);
    return info;
  }
}

/**
 * The patch kubectl apply sends: the new manifest, with `null` for every field the previous
 * apply set that the new one dropped (maps recursively; lists are sent whole and merged by
 * the server, by key where the type has one).
 *
 *   previous { labels: { app: web, tier: fe } }, now { labels: { app: web } }  => { labels: { app: web, tier: null } }
 */
export function threeWayPatch(previous: unknown, now: unknown, path: readonly string[] = []): unknown {
  const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(now) && Array.isArray(previous)) return keyedListPatch(previous, now, path);
  if (!isMap(now)) return now;
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(now)) patch[key] = isMap(previous) ? threeWayPatch(previous[key], value, [...path, key]) : value;
  if (isMap(previous)) for (const key of Object.keys(previous)) if (!(key in now)) patch[key] = null;
  return patch;
}

/**
 * A list that merges by key: the new items (each patched against the item of the same key
 * last applied), then a `$patch: delete` for each item the last apply had and this one drops.
 *   previous env [A, B], now [A]  => [A, { name: B, $patch: delete }]
 */
function keyedListPatch(previous: unknown[], now: unknown[], path: readonly string[]): unknown[] {
  const key = mergeKeyFor(path);
  if (key === undefined) return now;
  const idOf = (item: unknown) => (item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[key] : undefined);
  const kept = now.map((item) => threeWayPatch(previous.find((p) => idOf(p) !== undefined && idOf(p) === idOf(item)), item, path));
  const dropped = previous.filter((p) => idOf(p) !== undefined && !now.some((n) => idOf(n) === idOf(p))).map((p) => ({ [key]: idOf(p), $patch: 'delete' }));
  return [...kept, ...dropped];
}

/**
 * Whether applying `patch` to `live` would change nothing: every value it sets is already
 * there (lists item by item, as the server merges them), and every field it deletes is absent.
 *   coveredBy({ spec: { replicas: 2 } }, { spec: { replicas: 2, selector: ... } })   // => true
 *   coveredBy({ metadata: { labels: { tier: null } } }, { metadata: { labels: { tier: 'fe' } } })  // => false
 */
export function coveredBy(patch: unknown, live: unknown): boolean {
  const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (patch === null) return live === undefined || live === null;
  if (isMap(patch)) return isMap(live) && Object.entries(patch).every(([k, v]) => coveredBy(v, live[k]));
  if (Array.isArray(patch)) return Array.isArray(live) && patch.length === live.length && patch.every((item, i) => coveredBy(item, live[i]));
  return patch === live;
}

/** Parses one or more YAML documents (separated by ---) into objects. */
export function parseManifests(yamlText: string): KubeObject[] {
  const docs = parseAllDocuments(yamlText);
  const objects: KubeObject[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) throw new KubectlError(`error: error parsing STDIN: ${doc.errors[0].message}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new KubectlError('error: error validating "STDIN": a manifest must be a YAML mapping');
    const obj = value as KubeObject;
    if (!obj.kind) throw new KubectlError('error: error validating "STDIN": error validating data: kind not set');
    if (!obj.apiVersion) throw new KubectlError('error: error validating "STDIN": error validating data: apiVersion not set');
    obj.metadata ??= {};
    objects.push(obj);
  }
  return objects;
}
