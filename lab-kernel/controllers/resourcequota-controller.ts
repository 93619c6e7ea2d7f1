import { addQuantities, compareQuantities, formatQuantity, parseQuantity, ZERO_QUANTITY } from '../api/quantity';
import { objectKey, RESOURCES, type ResourceInfo } from '../api/resources';
import type { Status } from '../api/status';
import type { KubeObject, ResourceList, ResourceQuota } from '../api/types';
import { LEGACY_OBJECT_COUNTS, usageOf } from '../apiserver/admission/resource-quota-contract';
import type { Client } from '../client/client';
import { PendingRequests, runWorker, type ReconcileOutcome } from '../client/controller-runner';
import type { Informer } from '../client/informer';
import type { SharedInformerFactory } from '../client/shared-informer-factory';
import { WorkQueue } from '../client/work-queue';
import type { Simulation, Timer } from '../sim/simulation';

/**
 * The ResourceQuota controller (in kube-controller-manager): keeps every quota's status true.
 *
 *   status.hard = spec.hard       (admission checks against status.hard: a new or changed
 *                                   limit takes effect once the controller has copied it)
 *   status.used = what the objects that exist now use, recounted from the informers' caches
 *
 * Admission only ever raises status.used; this controller is what lowers it again when a
 * pod is deleted or finishes. It writes through the resourcequotas/status subresource with the
 * cached resourceVersion, so a write that races an admission charge fails with 409 and is retried.
 *
 * When it syncs a quota:
 *   - the quota is added, or its spec.hard changes           (status-only changes are its own or admission's)
 *   - an object it counts is deleted, or its usage changes   (a pod reaching Succeeded or Failed)
 *   - every RESOURCE_QUOTA_SYNC_PERIOD_MS, all quotas        (--resource-quota-sync-period, 5 min)
 *
 * Pods are always watched; a quota that counts another resource (`count/configmaps`,
 * `services`, `requests.storage`, ...) starts an informer on it, as the controller's quota
 * monitor does.
 *
 * Simplified: no quota scopes, and a new object is not recounted on its own (admission has
 * already charged it; the periodic sync catches anything missed).
 */
export const RESOURCEQUOTA_CONTROLLER = 'resourcequota-controller';
/** kube-controller-manager's --concurrent-resource-quota-syncs default. */
export const RESOURCEQUOTA_WORKERS = 5;

/** kube-controller-manager's --resource-quota-sync-period default: 5 minutes. */
export const RESOURCE_QUOTA_SYNC_PERIOD_MS = 5 * 60_000;

/** How long to wait before syncing a quota again while an informer it needs is still listing. */
const WAIT_FOR_SYNC_MS = 1000;

export class ResourceQuotaController {
  readonly quotas: Informer<ResourceQuota>;
  /** The pods informer: always there, since most quotas count pods. */
  readonly pods: Informer<KubeObject>;
  private readonly queue: WorkQueue;
  /** One informer per counted resource, by `resource.group`; pods among them. */
  private readonly monitors = new Map<string, { info: ResourceInfo; informer: Informer<KubeObject> }>();
  private resyncTimer: Timer | undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    private readonly informers: SharedInformerFactory,
  ) {
    this.queue = new WorkQueue(sim);
    this.quotas = informers.informerFor<ResourceQuota>('resourcequotas');
    this.quotas.addEventHandler({
      onAdd: (q) => this.queue.add(objectKey(q)),
      onUpdate: (old, q) => {
        if (!sameResourceList(old.spec?.hard, q.spec?.hard)) this.queue.add(objectKey(q));
      },
      onDelete: (q) => this.queue.add(objectKey(q)),
    });
    this.pods = this.monitor(resourceInfo('pods', ''));
    runWorker(sim, client.component, this.queue, (key) => this.sync(key), { controller: RESOURCEQUOTA_CONTROLLER, workers: RESOURCEQUOTA_WORKERS });
  }

  /** The full resync every 5 minutes (the informers are the factory's to start). */
  start(): void {
    const resyncAll = () => {
      for (const q of this.quotas.lister.list()) this.queue.add(objectKey(q));
      this.resyncTimer = this.sim.after(RESOURCE_QUOTA_SYNC_PERIOD_MS, resyncAll);
    };
    this.resyncTimer = this.sim.after(RESOURCE_QUOTA_SYNC_PERIOD_MS, resyncAll);
  }

  /** Its process is exiting: the queue takes nothing more, and the resync stops. */
  shutDown(): void {
    this.queue.shutDown();
    if (this.resyncTimer !== undefined) this.sim.cancel(this.resyncTimer);
  }

  hasSynced(): boolean {
    return this.quotas.hasSynced() && this.pods.hasSynced();
  }

  /** The informer on a counted resource, asked of the factory on first need (it starts at once if the factory has). */
  private monitor(info: ResourceInfo): Informer<KubeObject> {
    const id = `${info.resource}.${info.group}`;
    const existing = this.monitors.get(id);
    if (existing !== undefined) return existing.informer;
    const informer = this.informers.informerFor<KubeObject>(info.resource);
    informer.addEventHandler({
      onUpdate: (old, obj) => {
        // A namespace without quotas has nothing to replenish (replenishQuota's first check): skip the usage sums.
        if (this.quotas.lister.list(obj.metadata.namespace).length === 0) return;
        if (!sameResourceList(usageOf(old, info), usageOf(obj, info))) this.enqueueNamespace(obj.metadata.namespace);
      },
      onDelete: (obj) => this.enqueueNamespace(obj.metadata.namespace),
    });
    this.monitors.set(id, { info, informer });
    return informer;
  }

  /** Usage in a namespace changed: every quota there may be affected. */
  private enqueueNamespace(namespace: string | undefined): void {
    for (const q of this.quotas.lister.list(namespace)) this.queue.add(objectKey(q));
  }

  private sync(key: string): ReconcileOutcome | PendingRequests {
    const quota = this.quotas.lister.get(key);
    if (quota === undefined) return 'done';
    const hard = quota.spec?.hard ?? {};
    const counted = [...new Map(Object.keys(hard).map((name) => countedIn(name)).map((info) => [`${info.resource}.${info.group}`, info])).values()];
    const monitors = counted.map((info) => ({ info, informer: this.monitor(info) }));
    if (monitors.some((m) => !m.informer.hasSynced())) {
      this.queue.addAfter(key, WAIT_FOR_SYNC_MS);
      return 'done';
    }

    const used = calculateUsage(
      hard,
      monitors.flatMap(({ info, informer }) => informer.lister.list(quota.metadata.namespace).map((obj) => usageOf(obj, info))),
    );
    const status = { hard: { ...hard }, used };
    if (quota.status !== undefined && sameResourceList(quota.status.hard, status.hard) && sameResourceList(quota.status.used, status.used)) return 'done';

    this.sim.trace.action(this.sim.now(), this.client.component, `${RESOURCEQUOTA_CONTROLLER}: ${key} used ${describe(used)}`, { key });
    const body: ResourceQuota = Object.assign({}, quota, { status });
    const ns = quota.metadata.namespace;
    // The sync ends with the update's answer. A failure, even a 409 (admission charged the quota
    // meanwhile, a status change that does not requeue it), retries with backoff: recount.
    const requests = new PendingRequests();
    const answered = requests.start();
    this.client.request({ verb: 'update', resource: 'resourcequotas', subresource: 'status', namespace: ns, name: quota.metadata.name, body }, (res) => {
      answered(res.code === 200 ? undefined : `update status of ${key}: ${(res.body as Status).message}`);
    });
    return requests;
  }
}

/**
 * A quota's status.used: for every resource in hard, the sum of the objects' usage of it
 * ('0' when none uses it), as the controller's CalculateUsage.
 *   calculateUsage({ pods: '3', 'requests.cpu': '2' }, [podUsage(a), podUsage(b)])
 *   // => { pods: '2', 'requests.cpu': '750m' }
 */
export function calculateUsage(hard: Readonly<ResourceList>, usages: readonly Readonly<ResourceList>[]): ResourceList {
  const used: ResourceList = {};
  for (const name of Object.keys(hard)) {
    let total = ZERO_QUANTITY;
    for (const usage of usages) {
      const q = usage[name];
      if (q !== undefined) total = addQuantities(total, parseQuantity(q));
    }
    used[name] = formatQuantity(total);
  }
  return used;
}

/**
 * Which resource's objects a quota entry counts:
 *   'count/deployments.apps' => deployments; 'services.nodeports' => services;
 *   'requests.storage' => persistentvolumeclaims; 'configmaps' => configmaps;
 *   anything else ('pods', 'requests.cpu', 'memory', ...) => pods.
 */
function countedIn(name: string): ResourceInfo {
  if (name.startsWith('count/')) {
    const [resource, ...group] = name.slice('count/'.length).split('.');
    return resourceInfo(resource, group.join('.'));
  }
  if (name === 'services.nodeports' || name === 'services.loadbalancers') return resourceInfo('services', '');
  if (name === 'requests.storage' || name.endsWith('.storageclass.storage.k8s.io/requests.storage')) return resourceInfo('persistentvolumeclaims', '');
  if (LEGACY_OBJECT_COUNTS.includes(name)) return resourceInfo(name, '');
  return resourceInfo('pods', '');
}

/** The served resource, or (for a `count/` of something the lab does not serve) pods, which never use it. */
function resourceInfo(resource: string, group: string): ResourceInfo {
  return RESOURCES.find((r) => r.resource === resource && r.group === group) ?? RESOURCES.find((r) => r.resource === 'pods')!;
}

/** Same names with equal quantities (1 and 1000m are equal), as Kubernetes' quota.Equals. */
function sameResourceList(a: Readonly<ResourceList> | undefined, b: Readonly<ResourceList> | undefined): boolean {
  const left = Object.entries(a ?? {}).filter(([, q]) => q !== undefined);
  const right = b ?? {};
  if (left.length !== Object.values(right).filter((q) => q !== undefined).length) return false;
  return left.every(([name, q]) => right[name] !== undefined && compareQuantities(parseQuantity(q!), parseQuantity(right[name]!)) === 0);
}

function describe(list: Readonly<ResourceList>): string {
  return Object.keys(list)
    .sort()
    .map((name) => `${name}=${list[name]}`)
    .join(',');
}
