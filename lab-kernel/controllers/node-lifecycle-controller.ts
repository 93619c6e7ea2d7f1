import type { Status } from '../api/status';
import type { Lease, Node, Pod, Taint } from '../api/types';
import type { Client } from '../client/client';
import { PendingRequests, runWorker, type ReconcileOutcome } from '../client/controller-runner';
import { EventRecorder } from '../client/event-recorder';
import type { Informer } from '../client/informer';
import type { SharedInformerFactory } from '../client/shared-informer-factory';
import { WorkQueue } from '../client/work-queue';
import type { Simulation } from '../sim/simulation';
import { NodeMonitor } from './node-monitor';

/**
 * The part of kube-controller-manager's node lifecycle controller that turns a node's
 * conditions into taints (TaintNodesByCondition), so the scheduler needs only one mechanism —
 * taints and tolerations — to keep pods off a node under pressure:
 *
 *   condition MemoryPressure=True      => taint node.kubernetes.io/memory-pressure:NoSchedule
 *   condition DiskPressure=True        => taint node.kubernetes.io/disk-pressure:NoSchedule
 *   condition PIDPressure=True         => taint node.kubernetes.io/pid-pressure:NoSchedule
 *   condition NetworkUnavailable=True  => taint node.kubernetes.io/network-unavailable:NoSchedule
 *   condition Ready=False              => taint node.kubernetes.io/not-ready:NoSchedule
 *   condition Ready=Unknown            => taint node.kubernetes.io/unreachable:NoSchedule
 *   spec.unschedulable (kubectl cordon) => taint node.kubernetes.io/unschedulable:NoSchedule
 *
 * When the condition clears, the taint goes. Taints it does not manage are left alone.
 *
 * Its other half watches the nodes' heartbeats (node-monitor.ts): a node whose Lease stops
 * moving is marked Unknown after 50 s, then tainted NoExecute, which evicts its pods.
 */
export const NODE_LIFECYCLE_CONTROLLER = 'node-lifecycle-controller';
/** The node lifecycle controller's nodeUpdateWorkerSize (workers processing node updates). */
export const NODE_UPDATE_WORKERS = 8;

/** The NoSchedule taints a node's conditions and spec call for, in kube-controller-manager's order. */
export function taintsByCondition(node: Readonly<Node>): Taint[] {
  const condition = (type: string) => node.status?.conditions?.find((c) => c.type === type)?.status;
  const taints: Taint[] = [];
  const add = (key: string) => taints.push({ key: `node.kubernetes.io/${key}`, effect: 'NoSchedule' });
  if (condition('Ready') === 'False') add('not-ready');
  if (condition('Ready') === 'Unknown') add('unreachable');
  if (condition('MemoryPressure') === 'True') add('memory-pressure');
  if (condition('DiskPressure') === 'True') add('disk-pressure');
  if (condition('PIDPressure') === 'True') add('pid-pressure');
  if (condition('NetworkUnavailable') === 'True') add('network-unavailable');
  if (node.spec?.unschedulable) add('unschedulable');
  return taints;
}

const MANAGED = new Set(['not-ready', 'unreachable', 'memory-pressure', 'disk-pressure', 'pid-pressure', 'network-unavailable', 'unschedulable'].map((k) => `node.kubernetes.io/${k}`));

/** The node's taints with the managed NoSchedule ones replaced by what its conditions call for. */
export function desiredTaints(node: Readonly<Node>): Taint[] {
  const others = (node.spec?.taints ?? []).filter((t) => !(MANAGED.has(t.key) && t.effect === 'NoSchedule'));
  return [...others, ...taintsByCondition(node)];
}

/** The name its events carry (the recorder's component, as kube-controller-manager sets it). */
export const NODE_CONTROLLER_EVENT_SOURCE = 'node-controller';

export class NodeLifecycleController {
  readonly nodes: Informer<Node>;
  readonly monitor: NodeMonitor;
  private readonly queue: WorkQueue;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
  ) {
    this.queue = new WorkQueue(sim);
    this.nodes = informers.informerFor<Node>('nodes');
    const recorder = new EventRecorder(sim, client, { component: NODE_CONTROLLER_EVENT_SOURCE });
    this.monitor = new NodeMonitor(sim, client, this.nodes, informers.informerFor<Lease>('leases'), informers.informerFor<Pod>('pods'), recorder, NODE_LIFECYCLE_CONTROLLER);
    this.nodes.addEventHandler({ onAdd: (n) => this.queue.add(n.metadata.name!), onUpdate: (_old, n) => this.queue.add(n.metadata.name!) });
    runWorker(sim, client.component, this.queue, (name) => this.sync(name), { controller: NODE_LIFECYCLE_CONTROLLER, workers: NODE_UPDATE_WORKERS });
  }

  /** Starts the 5 s health monitor (the informers are the factory's to start). */
  start(): void {
    this.monitor.start();
  }

  hasSynced(): boolean {
    return this.nodes.hasSynced();
  }

  /** Its process is exiting: the queue takes nothing more, so its workers stop. */
  shutDown(): void {
    this.queue.shutDown();
    this.monitor.stop();
  }

  /** Node gone: done. Taints already right: done. Otherwise patch them (a failure retries with backoff). */
  private sync(name: string): ReconcileOutcome | PendingRequests {
    const node = this.nodes.lister.get(name);
    if (node === undefined) return 'done';
    const taints = desiredTaints(node);
    if (JSON.stringify(taints) === JSON.stringify(node.spec?.taints ?? [])) return 'done';
    this.sim.trace.action(this.sim.now(), this.client.component, `${NODE_LIFECYCLE_CONTROLLER}: taints of ${name} -> ${taints.map((t) => `${t.key}:${t.effect}`).join(', ') || 'none'}`);
    const requests = new PendingRequests();
    const answered = requests.start();
    this.client.request(
      { verb: 'patch', resource: 'nodes', name, patchType: 'application/merge-patch+json', body: { metadata: { resourceVersion: node.metadata.resourceVersion }, spec: { taints: taints.length > 0 ? taints : null } } },
      (res) => {
        // 409: the node changed meanwhile; its update event has already queued it again.
        answered(res.code >= 300 && res.code !== 409 ? `patch ${name}: ${(res.body as Status).message}` : undefined);
      },
    );
    return requests;
  }
}
