import type { Status } from '../api/status';
import { timestamp } from '../api/time';
import type { Node, Pod, Taint, Toleration } from '../api/types';
import type { Client } from '../client/client';
import { EventRecorder, referenceTo } from '../client/event-recorder';
import type { Informer } from '../client/informer';
import type { SharedInformerFactory } from '../client/shared-informer-factory';
import type { TaintTolerationFn } from '../scheduler/plugins/taint-toleration-contract';
import type { Simulation } from '../sim/simulation';

/**
 * The taint eviction controller (pkg/controller/tainteviction, formerly the node lifecycle
 * controller's taint manager): a NoExecute taint on a node evicts the pods there that do not
 * tolerate it. A pod that tolerates it for `tolerationSeconds` is evicted that long after the
 * controller first saw it under the taint; one that tolerates it without a limit stays.
 *
 *   node-1 tainted node.kubernetes.io/unreachable:NoExecute at t
 *     pod without a matching toleration                          => deleted at t
 *     pod with the default toleration (tolerationSeconds 300)    => deleted at t + 300 s
 *     pod with { key: unreachable, operator: Exists } (no limit)  => stays
 *   the taint goes before then                                   => deletion cancelled
 *
 * Deleting means: an event `TaintManagerEviction Marking for deletion Pod default/web-x7k2p`,
 * a DisruptionTarget condition on the pod (reason DeletionByTaintManager), then an ordinary
 * DELETE with the pod's grace period. On an unreachable node no kubelet confirms it, so the
 * pod stays Terminating; its ReplicaSet already counts it gone and makes a new one.
 *
 * Whether a toleration tolerates a taint is the taint-toleration exercise's question; the
 * controller asks the reference's answer for a one-taint, one-toleration node.
 */
export const TAINT_EVICTION_CONTROLLER = 'taint-eviction-controller';

/**
 * When a pod on a node with these NoExecute taints must go, in ms from when it was first seen
 * there: 0 (now), a delay, or undefined (never). getMatchingTolerations + getMinTolerationTime:
 *
 *   evictionDelay([unreachable], [], tolerates)                                            // => 0
 *   evictionDelay([unreachable], [{ key: unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 300 }], ...) // => 300000
 *   evictionDelay([unreachable], [{ operator: Exists }], tolerates)                        // => undefined
 */
export function evictionDelay(taints: readonly Taint[], tolerations: readonly Toleration[], tolerates: (t: Toleration, taint: Taint) => boolean): number | undefined {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const matching = tolerations.filter((t) => tolerates(t, taint));
    if (matching.length === 0) return 0;
    used.push(...matching);
  }
  const limits = used.filter((t) => t.tolerationSeconds !== undefined && t.tolerationSeconds !== null).map((t) => Math.max(0, t.tolerationSeconds!));
  return limits.length === 0 ? undefined : Math.min(...limits) * 1000;
}

export class TaintEvictionController {
  readonly pods: Informer<Pod>;
  readonly nodes: Informer<Node>;
  /** Pending evictions by pod key: when first seen under the taint, and the timer. */
  private readonly scheduled = new Map<string, { since: number; at: number; timer: ReturnType<Simulation['after']> }>();
  private readonly recorder: EventRecorder;
  private readonly tolerates: (t: Toleration, taint: Taint) => boolean;
  private stopped = false;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
    taintToleration: TaintTolerationFn,
  ) {
    this.recorder = new EventRecorder(sim, client, { component: TAINT_EVICTION_CONTROLLER });
    this.tolerates = (t, taint) => taintToleration({ taints: [taint], tolerations: [t] }).status.code === 'Success';
    this.pods = informers.informerFor<Pod>('pods');
    this.nodes = informers.informerFor<Node>('nodes');
    this.pods.addEventHandler({
      onAdd: (pod) => this.podChanged(pod),
      onUpdate: (_old, pod) => this.podChanged(pod),
      onDelete: (pod) => this.cancel(key(pod), false),
    });
    this.nodes.addEventHandler({
      onAdd: (node) => this.nodeChanged(node),
      onUpdate: (old, node) => {
        if (JSON.stringify(noExecute(old)) !== JSON.stringify(noExecute(node))) this.nodeChanged(node);
      },
    });
  }

  /** Its process is exiting: no scheduled eviction fires. */
  shutDown(): void {
    for (const { timer } of this.scheduled.values()) this.sim.cancel(timer);
    this.scheduled.clear();
    this.stopped = true;
  }

  hasSynced(): boolean {
    return this.pods.hasSynced() && this.nodes.hasSynced();
  }

  private podChanged(pod: Readonly<Pod>): void {
    const node = pod.spec.nodeName ? this.nodes.lister.get(pod.spec.nodeName) : undefined;
    if (node !== undefined) this.process(pod, noExecute(node));
  }

  private nodeChanged(node: Readonly<Node>): void {
    const taints = noExecute(node);
    for (const pod of this.pods.lister.list().filter((p) => p.spec.nodeName === node.metadata.name)) this.process(pod, taints);
  }

  /** processPodOnNode: schedule, keep, or cancel the pod's eviction. */
  private process(pod: Readonly<Pod>, taints: readonly Taint[]): void {
    if (this.stopped) return;
    const podKey = key(pod);
    if (pod.metadata.deletionTimestamp !== undefined) return;
    if (taints.length === 0) return this.cancel(podKey, true);
    const delay = evictionDelay(taints, pod.spec.tolerations ?? [], this.tolerates);
    if (delay === undefined) return this.cancel(podKey, true);
    const now = this.sim.now();
    const pending = this.scheduled.get(podKey);
    const since = pending?.since ?? now;
    if (pending !== undefined) {
      if (since + delay >= pending.at) return; // what is scheduled comes first: keep it
      this.cancel(podKey, false);
    }
    const at = Math.max(now, since + delay);
    this.scheduled.set(podKey, { since, at, timer: this.sim.after(at - now, () => this.evict(podKey)) });
  }

  private cancel(podKey: string, withEvent: boolean): void {
    const pending = this.scheduled.get(podKey);
    if (pending === undefined) return;
    this.sim.cancel(pending.timer);
    this.scheduled.delete(podKey);
    const pod = this.pods.lister.get(podKey);
    if (withEvent && pod !== undefined) this.recorder.event(referenceTo(pod), 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${podKey}`);
  }

  /** The eviction: event, DisruptionTarget condition, then DELETE. */
  private evict(podKey: string): void {
    this.scheduled.delete(podKey);
    const pod = this.pods.lister.get(podKey);
    if (pod === undefined) return;
    this.recorder.event(referenceTo(pod), 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${podKey}`);
    this.sim.trace.action(this.sim.now(), this.client.component, `${TAINT_EVICTION_CONTROLLER}: deleting pod ${podKey} (NoExecute taint on ${pod.spec.nodeName})`, { key: podKey });
    const disruption = { type: 'DisruptionTarget', status: 'True' as const, reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: timestamp(this.sim.now()) };
    const status = Object.assign({}, pod.status, { conditions: [...(pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget'), disruption] });
    const { namespace, name } = pod.metadata;
    this.client.request({ verb: 'update', resource: 'pods', subresource: 'status', namespace, name, body: Object.assign({}, pod, { status }) }, () => {
      this.client.request({ verb: 'delete', resource: 'pods', namespace, name }, (res) => {
        if (res.code >= 300 && res.code !== 404) this.sim.trace.error(this.sim.now(), this.client.component, `${TAINT_EVICTION_CONTROLLER}: deleting ${podKey}: ${(res.body as Status).message}`);
      });
    });
  }
}

function key(pod: Readonly<Pod>): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}

function noExecute(node: Readonly<Node>): Taint[] {
  return (node.spec.taints ?? []).filter((t) => t.effect === 'NoExecute');
}
