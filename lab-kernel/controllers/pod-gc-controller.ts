import type { Status } from '../api/status';
import { timestamp } from '../api/time';
import type { Node, Pod } from '../api/types';
import type { Client } from '../client/client';
import type { Informer } from '../client/informer';
import type { SharedInformerFactory } from '../client/shared-informer-factory';
import type { Simulation } from '../sim/simulation';
import { missingNodes, POD_GC_PERIOD_MS, POD_GC_QUARANTINE_MS, podGcPlan, TERMINATED_POD_GC_THRESHOLD, type PodGcDeletion } from './pod-gc-plan';

/**
 * kube-controller-manager's pod garbage collector: every 20 s, a pass over the pods and nodes
 * its informers hold (pod-gc-plan.ts says which pods a pass deletes, and why). A node that pods
 * are bound to but the informer lacks waits 40 s in quarantine; then a GET asks the API
 * server whether it is really gone (404), so a node informer that is merely behind deletes
 * nothing. Each pod it deletes is first marked Failed, then deleted with grace period 0:
 *
 *   node-2 deleted while web-x7k2p ran on it
 *   => within 60-80 s: update pods/status (phase Failed, DisruptionTarget DeletionByPodGC), delete (grace 0)
 */
export const POD_GC_CONTROLLER = 'pod-garbage-collector';

export class PodGcController {
  readonly pods: Informer<Pod>;
  readonly nodes: Informer<Node>;
  /** Missing nodes in quarantine: when each may be checked with a GET. */
  private readonly quarantine = new Map<string, number>();
  /** Nodes a GET found gone, for the next pass. */
  private readonly gone = new Set<string>();
  /** Pods whose deletion is under way (its status update and delete not answered yet). */
  private readonly deleting = new Set<string>();
  private timer: ReturnType<Simulation['after']> | undefined;
  private stopped = false;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
    private readonly threshold = TERMINATED_POD_GC_THRESHOLD,
  ) {
    this.pods = informers.informerFor<Pod>('pods');
    this.nodes = informers.informerFor<Node>('nodes');
  }

  /** Starts the 20 s passes (wait.UntilWithContext: the first right away, once the caches have synced). */
  start(): void {
    const pass = () => {
      if (this.stopped) return;
      if (this.hasSynced()) this.gc();
      this.timer = this.sim.after(POD_GC_PERIOD_MS, pass);
    };
    this.timer = this.sim.after(0, pass);
  }

  hasSynced(): boolean {
    return this.pods.hasSynced() && this.nodes.hasSynced();
  }

  shutDown(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.sim.cancel(this.timer);
    this.timer = undefined;
  }

  /** One pass: delete what the plan says, and put newly missing nodes in quarantine. */
  private gc(): void {
    const pods = this.pods.lister.list();
    const nodes = this.nodes.lister.list();
    const now = this.sim.now();
    for (const name of missingNodes(pods, nodes)) if (!this.quarantine.has(name)) this.quarantine.set(name, now + POD_GC_QUARANTINE_MS);
    for (const deletion of podGcPlan({ pods, nodes, goneNodes: this.gone, threshold: this.threshold })) this.delete(deletion);
    this.gone.clear();
    const known = new Set(nodes.map((n) => n.metadata.name!));
    for (const [name, due] of this.quarantine) {
      if (known.has(name)) this.quarantine.delete(name);
      else if (due <= now) this.checkGone(name);
    }
  }

  /** checkIfNodeExists: a 404 means gone; the pods go on the next pass. */
  private checkGone(name: string): void {
    this.quarantine.delete(name);
    this.client.request({ verb: 'get', resource: 'nodes', name }, (res) => {
      if (res.code === 404) this.gone.add(name);
    });
  }

  /** markFailedAndDeletePodWithCondition: phase Failed (and the condition), then DELETE with grace 0. */
  private delete({ pod, why, condition }: PodGcDeletion): void {
    const { namespace, name } = pod.metadata;
    const key = `${namespace}/${name}`;
    if (this.deleting.has(key)) return;
    this.deleting.add(key);
    this.sim.trace.action(this.sim.now(), this.client.component, `${POD_GC_CONTROLLER}: force deleting pod ${key} (${why})`, { key });
    const failed = (message: string) => {
      this.deleting.delete(key);
      this.sim.trace.error(this.sim.now(), this.client.component, `${POD_GC_CONTROLLER}: deleting ${key}: ${message}`);
    };
    const remove = () =>
      this.client.request({ verb: 'delete', resource: 'pods', namespace, name, gracePeriodSeconds: 0 }, (res) => {
        if (res.code >= 300 && res.code !== 404) return failed((res.body as Status).message ?? `HTTP ${res.code}`);
        this.deleting.delete(key);
      });
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return remove();
    // Marked Failed first: an orphaned pod would otherwise stay Running for good, with no kubelet to end it.
    const conditions = condition === undefined ? pod.status?.conditions : [...(pod.status?.conditions ?? []).filter((c) => c.type !== condition.type), Object.assign({}, condition, { lastTransitionTime: timestamp(this.sim.now()) })];
    const status = Object.assign({}, pod.status, { phase: 'Failed' as const }, conditions !== undefined ? { conditions } : {});
    this.client.request({ verb: 'update', resource: 'pods', subresource: 'status', namespace, name, body: Object.assign({}, pod, { status }) }, (res) => {
      if (res.code === 404) return this.deleting.delete(key);
      if (res.code >= 300) return failed((res.body as Status).message ?? `HTTP ${res.code}`);
      remove();
    });
  }
}
