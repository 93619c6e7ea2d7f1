import type { Status } from '../api/status';
import { timestamp } from '../api/time';
import type { Lease, Node, Pod, Taint } from '../api/types';
import type { Client } from '../client/client';
import { EventRecorder } from '../client/event-recorder';
import type { Informer } from '../client/informer';
import { BucketRateLimiter } from '../client/rate-limiter';
import type { Simulation } from '../sim/simulation';
import { NODE_MONITOR_PERIOD_MS, observeHealth, readyCondition, silentConditions, type NodeHealth } from './node-health';

/**
 * The node lifecycle controller's health monitor (monitorNodeHealth): every 5 s it looks at
 * each node and its Lease, and acts on the ones that went silent or came back.
 *
 *   a node silent for more than 50 s   => its conditions become Unknown (node-health.ts)
 *   Ready True -> not True             => event NodeNotReady; its pods' Ready condition False
 *                                         (so Services stop sending them traffic)
 *   Ready Unknown                      => taint node.kubernetes.io/unreachable:NoExecute
 *   Ready False                        => taint node.kubernetes.io/not-ready:NoExecute
 *   Ready True again                   => both NoExecute taints removed
 *
 * The NoExecute taint is what evicts: the taint eviction controller deletes the pods that do
 * not tolerate it, after their tolerationSeconds (300 s, added to every pod by the
 * DefaultTolerationSeconds admission plugin). Tainting goes through a queue limited to one
 * node every 10 s (--node-eviction-rate 0.1), so a network split does not evict a whole
 * cluster at once. When no node at all is Ready (the control plane is probably the one cut
 * off), the controller stops tainting and takes the NoExecute taints off: "full disruption".
 *
 * Simplified: one zone (the lab's nodes carry no zone label), and a partial disruption
 * (more than 2 nodes and at least 55% not Ready) stops tainting unless the cluster has more
 * than 50 nodes (then 0.01 nodes per second), as --secondary-node-eviction-rate and
 * --large-cluster-size-threshold say.
 */
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
/** --node-eviction-rate, --secondary-node-eviction-rate, --unhealthy-zone-threshold, --large-cluster-size-threshold. */
const EVICTION_QPS = 0.1;
const SECONDARY_EVICTION_QPS = 0.01;
const UNHEALTHY_ZONE_THRESHOLD = 0.55;
const LARGE_CLUSTER_SIZE = 50;
/** controller utils' UpdateTaintBackoff: 5 steps of 100 ms, jitter 1.0. */
const TAINT_UPDATE_STEPS = 5;
const TAINT_UPDATE_BACKOFF_MS = 100;

type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

export class NodeMonitor {
  private readonly health = new Map<string, NodeHealth>();
  /** Nodes waiting for their NoExecute taint, in the order they went bad, with the taint they need. */
  private readonly taintQueue = new Map<string, string>();
  /** undefined: tainting stopped (a rate of 0, flowcontrol's never-limiter). */
  private limiter: BucketRateLimiter | undefined;
  private zoneState: ZoneState = 'Normal';
  private taintPass: ReturnType<Simulation['after']> | undefined;
  private passTimer: ReturnType<Simulation['after']> | undefined;
  private readonly rng;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    private readonly nodes: Informer<Node>,
    private readonly leases: Informer<Lease>,
    private readonly pods: Informer<Pod>,
    private readonly recorder: EventRecorder,
    private readonly controller: string,
  ) {
    this.limiter = new BucketRateLimiter(sim, EVICTION_QPS, 1);
    this.rng = sim.rng(`${client.component}/${controller}`);
  }

  start(): void {
    const pass = () => {
      if (this.nodes.hasSynced() && this.leases.hasSynced() && this.pods.hasSynced()) this.monitor();
      this.passTimer = this.sim.after(NODE_MONITOR_PERIOD_MS, pass);
    };
    this.passTimer = this.sim.after(NODE_MONITOR_PERIOD_MS, pass);
  }

  /** Its process is exiting: no more passes, no more tainting. */
  stop(): void {
    if (this.passTimer !== undefined) this.sim.cancel(this.passTimer);
    if (this.taintPass !== undefined) this.sim.cancel(this.taintPass);
    this.passTimer = undefined;
    this.taintPass = undefined;
    this.limiter = undefined;
  }

  /** One pass over every node: health, events, pods, taints. */
  private monitor(): void {
    const now = this.sim.now();
    const readiness: ('True' | 'False' | 'Unknown')[] = [];
    for (const node of this.nodes.lister.list()) {
      const name = node.metadata.name!;
      const before = this.health.get(name);
      const health = observeHealth(before, node, this.leases.lister.get(`kube-node-lease/${name}`), now);
      this.health.set(name, health);
      const wasReady = readyCondition(node)?.status;
      const conditions = silentConditions(node, health, now);
      if (conditions !== undefined) {
        this.markUnknown(node, conditions);
        // What it wrote is what it has seen (nodeHealth takes the updated status).
        this.health.set(name, Object.assign({}, health, { ready: conditions.find((c) => c.type === 'Ready') }));
      }
      const ready = conditions?.find((c) => c.type === 'Ready')?.status ?? wasReady ?? 'Unknown';
      readiness.push(ready);
      this.taintForReadiness(node, ready);
      if (before?.ready?.status === 'True' && ready !== 'True') this.nodeNotReady(node);
    }
    this.handleDisruption(readiness);
  }

  private markUnknown(node: Readonly<Node>, conditions: NonNullable<Node['status']>['conditions']): void {
    const name = node.metadata.name!;
    this.sim.trace.action(this.sim.now(), this.client.component, `${this.controller}: node ${name} hasn't been updated for more than the grace period: conditions Unknown`);
    this.client.request({ verb: 'update', resource: 'nodes', subresource: 'status', name, body: Object.assign({}, node, { status: Object.assign({}, node.status, { conditions }) }) }, (res) => {
      if (res.code !== 200) this.sim.trace.error(this.sim.now(), this.client.component, `${this.controller}: error updating node ${name}: ${(res.body as Status).message}`);
    });
  }

  /** Ready True -> not True: the event, and every pod on the node marked not Ready (MarkPodsNotReady). */
  private nodeNotReady(node: Readonly<Node>): void {
    const name = node.metadata.name!;
    this.recorder.event({ kind: 'Node', name, uid: node.metadata.uid }, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    for (const pod of this.pods.lister.list().filter((p) => p.spec.nodeName === name)) {
      const conditions = pod.status?.conditions ?? [];
      if (!conditions.some((c) => c.type === 'Ready' && c.status !== 'False')) continue;
      const now = timestamp(this.sim.now());
      const status = Object.assign({}, pod.status, { conditions: conditions.map((c) => (c.type === 'Ready' ? Object.assign({}, c, { status: 'False' as const, lastTransitionTime: now }) : c)) });
      this.client.request({ verb: 'update', resource: 'pods', subresource: 'status', namespace: pod.metadata.namespace, name: pod.metadata.name, body: Object.assign({}, pod, { status }) }, (res) => {
        if (res.code !== 200 && res.code !== 404) this.sim.trace.error(this.sim.now(), this.client.component, `${this.controller}: marking pod ${pod.metadata.name} not ready: ${(res.body as Status).message}`);
      });
    }
  }

  /** processTaintBaseEviction: queue the NoExecute taint the Ready status calls for, or lift both. */
  private taintForReadiness(node: Readonly<Node>, ready: 'True' | 'False' | 'Unknown'): void {
    const name = node.metadata.name!;
    const has = (key: string) => (node.spec.taints ?? []).some((t) => t.key === key && t.effect === 'NoExecute');
    if (ready === 'True') {
      this.taintQueue.delete(name);
      if (has(UNREACHABLE_TAINT) || has(NOT_READY_TAINT)) this.setNoExecute(name, undefined);
      return;
    }
    const want = ready === 'False' ? NOT_READY_TAINT : UNREACHABLE_TAINT;
    const other = ready === 'False' ? UNREACHABLE_TAINT : NOT_READY_TAINT;
    if (has(want)) return;
    // Already evicting under the other taint: swap at once, no new wait in the queue.
    if (has(other)) return this.setNoExecute(name, want);
    if (!this.taintQueue.has(name)) this.taintQueue.set(name, want);
    this.scheduleTaintPass();
  }

  /** The tainting pass (doNoExecuteTaintingPass): as many queued nodes as the limiter allows, then wait for the next token. */
  private scheduleTaintPass(): void {
    const limiter = this.limiter;
    if (this.taintPass !== undefined || this.taintQueue.size === 0 || limiter === undefined) return;
    this.taintPass = this.sim.after(limiter.msUntilToken(), () => {
      this.taintPass = undefined;
      if (limiter !== this.limiter) return this.scheduleTaintPass();
      for (const [name, taint] of this.taintQueue) {
        if (!limiter.tryAccept()) break;
        this.taintQueue.delete(name);
        this.setNoExecute(name, taint);
      }
      this.scheduleTaintPass();
    });
  }

  /**
   * The node's NoExecute taints set to `key` alone (with timeAdded now), or to none, from the
   * cached node; a conflict (the node changed meanwhile) tries again from the newer copy after
   * 100-200 ms, up to 5 times (UpdateTaintBackoff).
   */
  private setNoExecute(name: string, key: string | undefined, attempt = 1): void {
    const node = this.nodes.lister.get(name);
    if (node === undefined) return;
    const kept = (node.spec.taints ?? []).filter((t) => !(t.effect === 'NoExecute' && (t.key === UNREACHABLE_TAINT || t.key === NOT_READY_TAINT)));
    const taints: Taint[] = key === undefined ? kept : [...kept, { key, effect: 'NoExecute', timeAdded: timestamp(this.sim.now()) }];
    this.sim.trace.action(this.sim.now(), this.client.component, `${this.controller}: ${key === undefined ? `node ${name} is healthy again: NoExecute taints removed` : `node ${name}: taint ${key}:NoExecute`}`);
    this.client.request(
      { verb: 'patch', resource: 'nodes', name, patchType: 'application/merge-patch+json', body: { metadata: { resourceVersion: node.metadata.resourceVersion }, spec: { taints: taints.length > 0 ? taints : null } } },
      (res) => {
        if (res.code === 409 && attempt < TAINT_UPDATE_STEPS) {
          this.sim.after(TAINT_UPDATE_BACKOFF_MS + Math.floor(this.rng.next() * TAINT_UPDATE_BACKOFF_MS), () => this.setNoExecute(name, key, attempt + 1));
        } else if (res.code >= 300) {
          this.sim.trace.error(this.sim.now(), this.client.component, `${this.controller}: tainting ${name}: ${(res.body as Status).message}`);
        }
      },
    );
  }

  /** handleDisruption for the one zone: how fast tainting may go, and full disruption's reprieve. */
  private handleDisruption(readiness: readonly string[]): void {
    const notReady = readiness.filter((r) => r !== 'True').length;
    const state: ZoneState =
      readiness.length > 0 && notReady === readiness.length ? 'FullDisruption'
      : notReady > 2 && notReady / readiness.length >= UNHEALTHY_ZONE_THRESHOLD ? 'PartialDisruption'
      : 'Normal';
    if (state === this.zoneState) return;
    // Leaving full disruption: every node starts its grace period over (updateNodeHealth's probe reset).
    if (this.zoneState === 'FullDisruption') for (const [name, h] of this.health) this.health.set(name, Object.assign({}, h, { probeMs: this.sim.now() }));
    this.zoneState = state;
    this.sim.trace.action(this.sim.now(), this.client.component, `${this.controller}: zone state ${state}`);
    const qps = state === 'Normal' ? EVICTION_QPS : state === 'PartialDisruption' && readiness.length > LARGE_CLUSTER_SIZE ? SECONDARY_EVICTION_QPS : 0;
    this.limiter = qps > 0 ? new BucketRateLimiter(this.sim, qps, 1) : undefined;
    if (state === 'FullDisruption') {
      this.taintQueue.clear();
      for (const node of this.nodes.lister.list()) {
        if ((node.spec.taints ?? []).some((t) => t.effect === 'NoExecute' && (t.key === UNREACHABLE_TAINT || t.key === NOT_READY_TAINT))) this.setNoExecute(node.metadata.name!, undefined);
      }
    }
    this.scheduleTaintPass();
  }
}
