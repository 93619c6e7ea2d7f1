import { jsonEqual } from '../api/json-equal';
import type { Status } from '../api/status';
import { timestamp } from '../api/time';
import type { Condition, Node, NodeStatus } from '../api/types';
import type { Client } from '../client/client';
import type { Simulation } from '../sim/simulation';

/**
 * How the kubelet keeps its Node's status current. Every 10 s (nodeStatusUpdateFrequency) it
 * works out the status anew — conditions, capacity, images — and sends it only if something
 * changed, or if 5 minutes (nodeStatusReportFrequency) have passed since it last did. The
 * heartbeat that says "this node is alive" is the Lease (node-lease.ts), so an unchanged
 * status need not travel every 10 s.
 *
 *   0 s     register: POST nodes node-1 (status included)
 *   10 s    status unchanged: nothing sent
 *   ...
 *   300 s   5 minutes since the last report: PATCH nodes/status node-1, every lastHeartbeatTime now
 *   312 s   MemoryPressure True: PATCH at once (within 10 s)
 *
 * Each condition carries lastHeartbeatTime (the report that last carried it) and
 * lastTransitionTime (when its status last changed), as the kubelet's setters keep them.
 */
/** The kubelet's nodeStatusUpdateFrequency default. */
export const NODE_STATUS_UPDATE_FREQUENCY_MS = 10_000;
/** The kubelet's nodeStatusReportFrequency default. */
export const NODE_STATUS_REPORT_FREQUENCY_MS = 5 * 60_000;
const UPDATE_JITTER = 0.04;

/** A condition as the kubelet's setters decide it, before the times are filled in. */
export type ConditionState = Pick<Condition, 'type' | 'status' | 'reason' | 'message'>;

/**
 * The conditions as reported at `nowMs`: every lastHeartbeatTime now; lastTransitionTime kept
 * from `previous` while a condition's status holds, now when it changed or is new.
 *
 *   withTimes([{ type: 'Ready', status: 'True', lastTransitionTime: T0, ... }], [{ type: 'Ready', status: 'True', ... }], 300_000)
 *   // => [{ type: 'Ready', status: 'True', lastHeartbeatTime: '...00:05:00Z', lastTransitionTime: T0, ... }]
 */
export function withTimes(previous: readonly Condition[] | undefined, current: readonly ConditionState[], nowMs: number): Condition[] {
  const now = timestamp(nowMs);
  return current.map((c) => {
    const before = previous?.find((p) => p.type === c.type);
    const lastTransitionTime = before !== undefined && before.status === c.status ? before.lastTransitionTime : now;
    return { type: c.type, status: c.status, lastHeartbeatTime: now, lastTransitionTime, reason: c.reason, message: c.message };
  });
}

/**
 * Whether a status differs from what the API server holds in anything but heartbeat times
 * (the kubelet's nodeStatusHasChanged):
 *
 *   nodeStatusChanged(held, sameButLaterHeartbeats)   // => false
 *   nodeStatusChanged(held, withMemoryPressureTrue)   // => true
 */
export function nodeStatusChanged(held: Readonly<NodeStatus> | undefined, next: Readonly<NodeStatus>): boolean {
  if (held === undefined) return true;
  // Asked every 10 s on every node: shallow copies only, a heartbeat left out as undefined (jsonEqual's missing field).
  return !jsonEqual(Object.assign({}, held, { conditions: undefined }), Object.assign({}, next, { conditions: undefined })) || !sameApartFromHeartbeats(held.conditions, next.conditions);
}

/** The conditions equal as JSON, each condition's lastHeartbeatTime aside. */
function sameApartFromHeartbeats(a: readonly Condition[] | undefined, b: readonly Condition[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((c, i) => jsonEqual(Object.assign({}, c, { lastHeartbeatTime: undefined }), Object.assign({}, b[i], { lastHeartbeatTime: undefined })));
}

export interface NodeStatusOptions {
  node: string;
  /** The Node as the API server last told the kubelet (its own node's informer). */
  observed: () => Readonly<Node> | undefined;
  /** The status the kubelet would report now, conditions without their times. */
  compute: () => Omit<NodeStatus, 'conditions'> & { conditions: ConditionState[] };
}

export class NodeStatusReporter {
  private lastReportMs: number;
  private timer: ReturnType<Simulation['after']> | undefined;
  private readonly rng;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    private readonly options: NodeStatusOptions,
  ) {
    this.lastReportMs = sim.now();
    this.rng = sim.rng(`${client.component}/node-status`);
  }

  /** Starts the 10 s loop; `registeredAtMs` counts as the first report (registration sent the status). */
  start(registeredAtMs: number): void {
    this.lastReportMs = registeredAtMs;
    if (this.timer === undefined) this.scheduleNext();
  }

  stop(): void {
    if (this.timer !== undefined) this.sim.cancel(this.timer);
    this.timer = undefined;
  }

  /** The status the kubelet reports now, times filled in from what the API server holds. */
  current(): NodeStatus {
    const { conditions, ...rest } = this.options.compute();
    return Object.assign({}, rest, { conditions: withTimes(this.options.observed()?.status?.conditions, conditions, this.sim.now()) });
  }

  private scheduleNext(): void {
    const delay = NODE_STATUS_UPDATE_FREQUENCY_MS + Math.floor(this.rng.next() * UPDATE_JITTER * NODE_STATUS_UPDATE_FREQUENCY_MS);
    this.timer = this.sim.after(delay, () => this.sync());
  }

  private sync(): void {
    const held = this.options.observed();
    const status = this.current();
    const due = this.sim.now() - this.lastReportMs >= NODE_STATUS_REPORT_FREQUENCY_MS;
    if (held === undefined || (!due && !nodeStatusChanged(held.status, status))) return this.scheduleNext();
    this.client.request(
      { verb: 'patch', resource: 'nodes', subresource: 'status', name: this.options.node, patchType: 'application/strategic-merge-patch+json', body: { status } },
      (res) => {
        if (res.code === 200) this.lastReportMs = this.sim.now();
        else this.sim.trace.error(this.sim.now(), this.client.component, `error updating node status, will retry: ${(res.body as Status).message}`);
        this.scheduleNext();
      },
    );
  }
}
