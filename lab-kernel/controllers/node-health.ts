import { timestamp, virtualMs } from '../api/time';
import type { Condition, Lease, Node } from '../api/types';

/**
 * How the node lifecycle controller decides that a node has gone silent: the part of its
 * tryUpdateNodeHealth (pkg/controller/nodelifecycle) that is a decision, with no I/O.
 *
 * It never compares a time the kubelet wrote with its own clock (the two machines' clocks may
 * disagree). It remembers, per node, when it last SAW something move: the Ready condition's
 * lastHeartbeatTime, or the node Lease's renewTime. That moment is the probe time; a node whose
 * probe time is older than the grace period is marked Unknown:
 *
 *   t=0     lease renewed            probe 0
 *   t=10    lease renewed            probe 10
 *   t=12    kubelet stops
 *   t=60    5 s monitor pass         60 - 10 = 50, not more than the 50 s grace: nothing yet
 *   t=65    next pass                55 > 50: Ready, MemoryPressure, DiskPressure, PIDPressure
 *                                    become Unknown, "Kubelet stopped posting node status."
 *
 * A node that never posted a Ready condition gets the startup grace period (60 s) from its
 * creation instead.
 */
/** kube-controller-manager's --node-monitor-grace-period default in 1.32 (it was 40 s before). */
export const NODE_MONITOR_GRACE_PERIOD_MS = 50_000;
/** --node-startup-grace-period default. */
export const NODE_STARTUP_GRACE_PERIOD_MS = 60_000;
/** --node-monitor-period default: how often every node's health is checked. */
export const NODE_MONITOR_PERIOD_MS = 5_000;

/** What the controller remembers of a node between passes (nodeHealthData). */
export interface NodeHealth {
  /** When the controller last saw the node's heartbeat move (its own clock). */
  readonly probeMs: number;
  /** The Ready condition it saw then, and the lease's renewTime. */
  readonly ready: Readonly<Condition> | undefined;
  readonly leaseRenewTime: string | undefined;
}

/** The conditions the controller takes over when a node goes silent; NetworkUnavailable is not one of them. */
const SILENT_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/**
 * The node's health after one look at it and its lease at `nowMs`:
 *
 *   observeHealth(undefined, node, lease, 5_000)                     // first sight: probe 5 s
 *   observeHealth({ probeMs: 5_000, ready, leaseRenewTime: 'T1' }, node, leaseRenewedAt('T2'), 10_000)  // probe 10 s
 *   observeHealth({ probeMs: 5_000, ready, leaseRenewTime: 'T1' }, node, leaseRenewedAt('T1'), 10_000)  // unchanged: probe 5 s
 */
export function observeHealth(saved: NodeHealth | undefined, node: Readonly<Node>, lease: Readonly<Lease> | undefined, nowMs: number): NodeHealth {
  const ready = readyCondition(node);
  let health: NodeHealth;
  if (saved === undefined) {
    // Never seen: a node that never posted Ready counts from its creation, any other from now.
    const since = ready === undefined && node.metadata.creationTimestamp ? virtualMs(node.metadata.creationTimestamp) : nowMs;
    health = { probeMs: since, ready, leaseRenewTime: undefined };
  } else if ((saved.ready === undefined) !== (ready === undefined) || (ready !== undefined && saved.ready?.lastHeartbeatTime !== ready.lastHeartbeatTime)) {
    health = { probeMs: nowMs, ready, leaseRenewTime: saved.leaseRenewTime };
  } else {
    health = Object.assign({}, saved, { ready });
  }
  const renewTime = lease?.spec?.renewTime;
  if (renewTime !== undefined && (health.leaseRenewTime === undefined || health.leaseRenewTime < renewTime)) {
    health = Object.assign({}, health, { probeMs: nowMs, leaseRenewTime: renewTime });
  }
  return health;
}

/**
 * The node's conditions once a silent node's grace period is over, or undefined if it is not
 * (or they say Unknown already):
 *
 *   silentConditions(node, { probeMs: 10_000, ... }, 65_000)
 *   // => Ready, MemoryPressure, DiskPressure, PIDPressure: status Unknown, reason NodeStatusUnknown,
 *   //    message 'Kubelet stopped posting node status.', lastTransitionTime now (lastHeartbeatTime kept)
 */
export function silentConditions(node: Readonly<Node>, health: NodeHealth, nowMs: number): Condition[] | undefined {
  const grace = readyCondition(node) === undefined ? NODE_STARTUP_GRACE_PERIOD_MS : NODE_MONITOR_GRACE_PERIOD_MS;
  if (nowMs <= health.probeMs + grace) return undefined;
  const now = timestamp(nowMs);
  const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c }));
  for (const type of SILENT_CONDITIONS) {
    const c = conditions.find((x) => x.type === type);
    if (c === undefined) {
      conditions.push({
        type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.',
        lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: now,
      });
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: now });
    }
  }
  const before = readyCondition(node);
  const after = conditions.find((c) => c.type === 'Ready');
  return before !== undefined && before.status === after?.status ? undefined : conditions;
}

export function readyCondition(node: Readonly<Node>): Readonly<Condition> | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready');
}
