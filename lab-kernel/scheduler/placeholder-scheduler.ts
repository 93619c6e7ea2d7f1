import { objectKey } from '../api/resources';
import type { Status } from '../api/status';
import type { Binding, Node, Pod } from '../api/types';
import type { Client } from '../client/client';
import { runWorker, type ReconcileOutcome } from '../client/controller-runner';
import { EventRecorder } from '../client/event-recorder';
import { Informer } from '../client/informer';
import { WorkQueue } from '../client/work-queue';
import type { Simulation } from '../sim/simulation';

/**
 * PLACEHOLDER scheduler — just enough to move pods from Pending to a node.
 *
 * What it already does the way kube-scheduler does: it watches pods with no spec.nodeName
 * and schedulerName "default-scheduler", and places each one by POSTing a Binding to the
 * API server. It never talks to a kubelet.
 *
 * What it does not do yet: filter and score plugins, resources, affinity, a real queue.
 * It picks a Ready node without a NoSchedule taint, preferring the node with the fewest
 * pods, ties broken by the seeded random stream. The scheduler chapter replaces this file
 * with the scheduling framework.
 *
 * Once a binding succeeds it records kube-scheduler's Event about the pod:
 * `Normal Scheduled Successfully assigned default/web-x7k2p to node-1`, from
 * `default-scheduler`. (kube-scheduler writes it through the events.k8s.io API, which fills
 * only reportingController; the lab writes the same Event through core/v1, with the name in
 * source.component too.)
 */
export const SCHEDULER = 'kube-scheduler';
/** The scheduler's name in pods' spec.schedulerName and in its Events. */
export const DEFAULT_SCHEDULER = 'default-scheduler';
const RETRY_MS = 1000;

export class PlaceholderScheduler {
  readonly pods: Informer<Pod>;
  readonly nodes: Informer<Node>;
  private readonly queue: WorkQueue;
  /** Pods bound by this scheduler but not yet seen bound in the cache (its "assumed" pods). */
  private readonly assumed = new Map<string, string>();
  private readonly recorder: EventRecorder;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
  ) {
    this.queue = new WorkQueue(sim);
    this.recorder = new EventRecorder(sim, client, { component: DEFAULT_SCHEDULER });
    this.pods = new Informer<Pod>(sim, client, { resource: 'pods' });
    this.nodes = new Informer<Node>(sim, client, { resource: 'nodes' });
    const consider = (pod: Readonly<Pod>) => {
      if (!pod.spec.nodeName && pod.spec.schedulerName === DEFAULT_SCHEDULER) this.queue.add(objectKey(pod));
      else this.assumed.delete(objectKey(pod));
    };
    this.pods.addEventHandler({ onAdd: consider, onUpdate: (_o, p) => consider(p), onDelete: (p) => this.assumed.delete(objectKey(p)) });
    runWorker(sim, SCHEDULER, this.queue, (key) => this.scheduleOne(key));
  }

  start(): void {
    this.pods.start();
    this.nodes.start();
  }

  hasSynced(): boolean {
    return this.pods.hasSynced() && this.nodes.hasSynced();
  }

  private scheduleOne(key: string): ReconcileOutcome {
    const pod = this.pods.lister.get(key);
    if (pod === undefined || pod.spec.nodeName || this.assumed.has(key)) return 'done';
    const nodes = this.nodes.lister.list().filter(isSchedulable);
    if (nodes.length === 0) {
      const total = this.nodes.lister.list().length;
      this.queue.addAfter(key, RETRY_MS);
      this.sim.trace.error(this.sim.now(), SCHEDULER, `0/${total} nodes are available to ${key}; retrying in ${RETRY_MS} ms`);
      return 'done';
    }
    const load = new Map<string, number>();
    for (const p of this.pods.lister.list()) if (p.spec.nodeName) load.set(p.spec.nodeName, (load.get(p.spec.nodeName) ?? 0) + 1);
    for (const nodeName of this.assumed.values()) load.set(nodeName, (load.get(nodeName) ?? 0) + 1);
    const fewest = Math.min(...nodes.map((n) => load.get(n.metadata.name!) ?? 0));
    const best = nodes.filter((n) => (load.get(n.metadata.name!) ?? 0) === fewest);
    const node = this.sim.rng(SCHEDULER).pick(best).metadata.name!;
    this.assumed.set(key, node);
    this.sim.trace.action(this.sim.now(), SCHEDULER, `schedule ${key} -> ${node} (${nodes.length} feasible nodes, placeholder: fewest pods)`);
    const binding: Binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace },
      target: { apiVersion: 'v1', kind: 'Node', name: node },
    };
    this.client.request({ verb: 'create', resource: 'pods', subresource: 'binding', namespace: pod.metadata.namespace, name: pod.metadata.name, body: binding }, (res) => {
      if (res.code === 201) {
        this.recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${key} to ${node}`);
      } else {
        this.assumed.delete(key);
        this.sim.trace.error(this.sim.now(), SCHEDULER, `binding ${key} failed: ${(res.body as Status).message}`);
        this.queue.addRateLimited(key);
      }
    });
    return 'done';
  }
}

function isSchedulable(node: Readonly<Node>): boolean {
  const ready = node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const tainted = (node.spec.taints ?? []).some((t) => t.effect === 'NoSchedule');
  return ready && !node.spec.unschedulable && !tainted;
}
