import { RESOURCES, type ResourceInfo } from '../api/resources';
import type { Status } from '../api/status';
import { timestamp } from '../api/time';
import type { Condition, KubeList, KubeObject, Namespace, Pod } from '../api/types';
import type { Client } from '../client/client';
import type { Informer } from '../client/informer';
import type { SharedInformerFactory } from '../client/shared-informer-factory';
import { WorkQueue } from '../client/work-queue';
import type { Simulation } from '../sim/simulation';

/**
 * kube-controller-manager's namespace controller: empties a namespace being deleted, then lets
 * the API server remove it.
 *
 * `kubectl delete namespace dev` does not delete at once: the namespace carries the finalizer
 * `kubernetes` in spec.finalizers, so the API server only sets metadata.deletionTimestamp and
 * status.phase Terminating (NamespaceLifecycle admission then refuses new content). 5 s after
 * it sees such a namespace, and for as long as it is there, each pass of the controller:
 *
 *   1. for every namespaced resource:  deletecollection, then list what is left
 *   2. records the outcome in the namespace's five deletion conditions (status subresource):
 *        NamespaceContentRemaining True, SomeResourcesRemain, 'Some resources are remaining: pods. has 2 resource instances'
 *   3. content left  => tries again: after (longest pod grace period / 2 + 1) s while pods
 *                       terminate, 15 s while finalizers hold objects, with backoff on errors
 *      nothing left  => update namespaces/dev/finalize with `kubernetes` removed from
 *                       spec.finalizers; with none left, the API server deletes the namespace
 *
 * Simplified: kube-controller-manager discovers the namespaced resources from the API server
 * (custom resources included) and runs 10 workers; the lab takes them from RESOURCES.
 */
export const NAMESPACE_CONTROLLER = 'namespace-controller';
export const KUBERNETES_FINALIZER = 'kubernetes';
/**
 * Each namespace event is handled 5 s late (namespaceDeletionGracePeriod): time for every API
 * server to see the namespace Terminating and refuse new content, so the cleanup catches all.
 */
const NAMESPACE_DELETION_GRACE_PERIOD_MS = 5_000;
/** How long to wait for objects held by finalizers (finalizerEstimateSeconds). */
const FINALIZER_ESTIMATE_SECONDS = 15;

type DeletingNamespace = Namespace & { status?: Namespace['status'] & { conditions?: Condition[] } };

/** What one pass over a namespace's content found. */
export interface ContentDeletion {
  /** Why resources could not be deleted or listed, one message per resource. */
  failures: string[];
  /** Objects still there, per resource. */
  remaining: { info: ResourceInfo; count: number }[];
  /** Remaining objects per finalizer that holds them. */
  finalizers: Record<string, number>;
  /** Seconds until the content is likely gone (0: no idea, or nothing left). */
  estimateSeconds: number;
}

export class NamespaceController {
  readonly namespaces: Informer<DeletingNamespace>;
  private readonly queue: WorkQueue;
  private scheduled = false;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
  ) {
    this.queue = new WorkQueue(sim);
    this.namespaces = informers.informerFor<DeletingNamespace>('namespaces');
    const enqueue = (ns: Readonly<DeletingNamespace>) => {
      if (ns.metadata.deletionTimestamp) this.queue.addAfter(ns.metadata.name!, NAMESPACE_DELETION_GRACE_PERIOD_MS);
    };
    this.namespaces.addEventHandler({ onAdd: enqueue, onUpdate: (_old, ns) => enqueue(ns) });
    this.queue.onReady(() => this.wake());
  }

  hasSynced(): boolean {
    return this.namespaces.hasSynced();
  }

  /** Its process is exiting: the queue takes nothing more, so its workers stop. */
  shutDown(): void {
    this.queue.shutDown();
  }

  /**
   * The worker. A pass spans many API calls, so its key stays in flight until the pass ends
   * (events meanwhile queue it once more), as with client-go's blocking worker.
   */
  private wake(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.sim.after(0, () => {
      this.scheduled = false;
      for (let key = this.queue.get(); key !== undefined; key = this.queue.get()) {
        const name = key;
        this.sync(name, (retry) => {
          if (retry === undefined) this.queue.forget(name);
          else retry();
          this.queue.done(name);
        });
      }
    });
  }

  /** One pass; `finish` gets undefined when the namespace needs nothing more, else how to retry. */
  private sync(name: string, finish: (retry?: () => void) => void): void {
    const ns = this.namespaces.lister.get(name);
    if (ns === undefined || !ns.metadata.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes(KUBERNETES_FINALIZER)) return finish();
    this.sim.trace.action(this.sim.now(), this.client.component, `${NAMESPACE_CONTROLLER}: deleting the content of namespace ${name}`, { namespace: name });
    this.deleteContent(name, (deletion) => {
      this.recordConditions(ns, deletion, (latest) => {
        if (deletion.failures.length > 0) return finish(() => this.retryWithBackoff(name, deletion.failures.join('; ')));
        const left = deletion.remaining.reduce((sum, r) => sum + r.count, 0);
        if (left > 0) {
          const delayMs = (Math.floor(deletion.estimateSeconds / 2) + 1) * 1000;
          this.sim.trace.action(this.sim.now(), this.client.component, `${NAMESPACE_CONTROLLER}: namespace ${name} still has ${left} objects; checking again in ${delayMs / 1000} s`, { namespace: name });
          return finish(() => this.queue.addAfter(name, delayMs));
        }
        this.finalize(latest, finish);
      });
    });
  }

  /** deletecollection, then list, for every namespaced resource; `done` gets the totals. */
  private deleteContent(namespace: string, done: (deletion: ContentDeletion) => void): void {
    const deletion: ContentDeletion = { failures: [], remaining: [], finalizers: {}, estimateSeconds: 0 };
    const resources = RESOURCES.filter((r) => r.namespaced);
    let pending = resources.length;
    const resourceDone = () => {
      if (--pending === 0) done(deletion);
    };
    for (const info of resources) {
      this.client.request({ verb: 'deletecollection', resource: info.resource, namespace }, (deleted) => {
        if (deleted.code !== 200) {
          deletion.failures.push((deleted.body as Status).message ?? `deletecollection ${info.resource}: ${deleted.code}`);
          return resourceDone();
        }
        this.client.request({ verb: 'list', resource: info.resource, namespace }, (listed) => {
          if (listed.code !== 200) deletion.failures.push((listed.body as Status).message ?? `list ${info.resource}: ${listed.code}`);
          else countRemaining(namespace, info, (listed.body as KubeList).items, deletion);
          resourceDone();
        });
      });
    }
  }

  /** Writes the deletion conditions if they changed; `then` gets the namespace as now stored. */
  private recordConditions(ns: Readonly<DeletingNamespace>, deletion: ContentDeletion, then: (latest: Readonly<DeletingNamespace>) => void): void {
    const conditions = deletionConditions(ns.status?.conditions ?? [], deletion, timestamp(this.sim.now()));
    if (JSON.stringify(conditions) === JSON.stringify(ns.status?.conditions ?? [])) return then(ns);
    const body: DeletingNamespace = Object.assign({}, ns, { status: Object.assign({}, ns.status, { conditions }) });
    this.client.request({ verb: 'update', resource: 'namespaces', subresource: 'status', name: ns.metadata.name, body }, (res) => {
      // 409: the namespace changed meanwhile; the next pass writes the conditions again.
      then(res.code === 200 ? (res.body as DeletingNamespace) : ns);
    });
  }

  /** Content gone: remove our finalizer; the API server deletes a namespace with none left. */
  private finalize(ns: Readonly<DeletingNamespace>, finish: (retry?: () => void) => void): void {
    const name = ns.metadata.name!;
    const body: DeletingNamespace = Object.assign({}, ns, { spec: Object.assign({}, ns.spec, { finalizers: (ns.spec?.finalizers ?? []).filter((f) => f !== KUBERNETES_FINALIZER) }) });
    this.client.request({ verb: 'update', resource: 'namespaces', subresource: 'finalize', name, body }, (res) => {
      if (res.code === 200 || res.code === 404) {
        this.sim.trace.action(this.sim.now(), this.client.component, `${NAMESPACE_CONTROLLER}: namespace ${name} is empty; removed finalizer ${KUBERNETES_FINALIZER}`, { namespace: name });
        return finish();
      }
      finish(() => this.retryWithBackoff(name, `finalize: ${(res.body as Status).message}`));
    });
  }

  private retryWithBackoff(name: string, why: string): void {
    const delay = this.queue.addRateLimited(name);
    this.sim.trace.error(this.sim.now(), this.client.component, `${NAMESPACE_CONTROLLER}: ${why}; requeued ${name} in ${delay} ms`, { namespace: name });
  }
}

/**
 * Adds what a list found to the totals, as the namespace deleter counts it: pods still
 * terminating give an estimate (their longest grace period), objects held by finalizers 15 s;
 * objects left with neither are an error.
 */
function countRemaining(namespace: string, info: ResourceInfo, items: readonly KubeObject[], deletion: ContentDeletion): void {
  if (items.length === 0) return;
  deletion.remaining.push({ info, count: items.length });
  let estimate = 0;
  if (info.resource === 'pods') {
    for (const pod of items as Pod[]) {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
      estimate = Math.max(estimate, pod.spec.terminationGracePeriodSeconds ?? 0);
    }
  }
  let heldByFinalizers = false;
  for (const item of items) {
    for (const finalizer of item.metadata.finalizers ?? []) {
      deletion.finalizers[finalizer] = (deletion.finalizers[finalizer] ?? 0) + 1;
      heldByFinalizers = true;
    }
  }
  if (estimate === 0 && heldByFinalizers) estimate = FINALIZER_ESTIMATE_SECONDS;
  if (estimate === 0) deletion.failures.push(`unexpected items still remain in namespace: ${namespace} for gvr: ${info.group}/${info.version}, Resource=${info.resource}`);
  deletion.estimateSeconds = Math.max(deletion.estimateSeconds, estimate);
}

const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
];

/** Each condition when all is well: status False, with these reasons and messages. */
const OK: Record<string, { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

/**
 * The namespace's five deletion conditions after a pass (the namespace deleter's
 * namespaceConditionUpdater). A condition keeps its lastTransitionTime unless its status flips.
 *
 *   deletionConditions([], { failures: [], remaining: [{ info: <pods>, count: 2 }], finalizers: {}, estimateSeconds: 30 }, now)
 *   // => [..., { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain',
 *   //            message: 'Some resources are remaining: pods. has 2 resource instances', lastTransitionTime: now }, ...]
 *
 * (`pods.` with a trailing dot: Kubernetes prints resource.group, and the core group is empty.)
 */
export function deletionConditions(current: readonly Condition[], deletion: ContentDeletion, now: string): Condition[] {
  const failing: Record<string, { reason: string; message: string }> = {};
  if (deletion.failures.length > 0) {
    const messages = [...deletion.failures].sort();
    failing.NamespaceDeletionContentFailure = {
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${messages.length} remaining: ${messages.join(', ')}`,
    };
  }
  const remaining = deletion.remaining.filter((r) => r.count > 0).map((r) => `${r.info.resource}.${r.info.group} has ${r.count} resource instances`);
  if (remaining.length > 0) failing.NamespaceContentRemaining = { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${remaining.sort().join(', ')}` };
  const held = Object.entries(deletion.finalizers).map(([finalizer, count]) => `${finalizer} in ${count} resource instances`);
  if (held.length > 0) {
    failing.NamespaceFinalizersRemaining = { reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${held.sort().join(', ')}` };
  }

  const updated = CONDITION_TYPES.map((type): Condition => {
    const status = failing[type] !== undefined ? 'True' : 'False';
    const { reason, message } = failing[type] ?? OK[type];
    const old = current.find((c) => c.type === type);
    const lastTransitionTime = old !== undefined && old.status === status ? old.lastTransitionTime : now;
    return { type, status, lastTransitionTime, reason, message };
  });
  // Conditions already there are updated in place; missing ones are appended in the deleter's order.
  const result = current.map((c) => updated.find((u) => u.type === c.type) ?? c);
  return [...result, ...updated.filter((u) => !current.some((c) => c.type === u.type))];
}
