import type { Status } from '../api/status';
import { microTimestamp } from '../api/time';
import type { Lease } from '../api/types';
import type { Client } from '../client/client';
import type { Simulation } from '../sim/simulation';

/**
 * The kubelet's heartbeat: a Lease named after its node in the namespace kube-node-lease,
 * renewed every 10 s. The node lifecycle controller reads the renewTime to know the node is
 * alive; a node whose lease stops moving for node-monitor-grace-period (50 s) is marked
 * Unknown.
 *
 * A Lease is small and its update is cheap, so it can be sent often; the node's full status
 * (conditions, images, addresses) is sent only when it changes, or every 5 minutes
 * (node-status.ts). Before leases (Kubernetes 1.14), every heartbeat was a full node status
 * update, which cost large clusters dearly.
 *
 *   kubelet/node-1 -> PUT leases kube-node-lease/node-1
 *     { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2025-01-01T00:00:12.345000Z',
 *       ownerReferences: [{ kind: 'Node', name: 'node-1', uid: ... }] }   every 10 to 10.4 s
 *
 * As component-helpers' lease controller (apimachinery/lease/controller.go) runs it for the
 * kubelet: the first renewal reads the lease (GET) and creates it if absent; later renewals
 * update the lease it last wrote, with no GET; a conflict or any failure makes the next one
 * read again. The period is renewInterval = 0.25 × the 40 s duration, with wait.JitterUntil's
 * jitter of 0.04. The owner reference to the Node (so the lease goes with its node) is set
 * once the kubelet knows its node's uid.
 */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** The kubelet's nodeLeaseDurationSeconds default. */
export const NODE_LEASE_DURATION_SECONDS = 40;
/** renewInterval: a quarter of the lease duration (kubelet's nodeLeaseRenewIntervalFraction 0.25). */
export const NODE_LEASE_RENEW_INTERVAL_MS = 10_000;
const RENEW_JITTER = 0.04;

export interface NodeLeaseOptions {
  node: string;
  /** The Node object's uid, once the kubelet has seen its Node (for the owner reference). */
  nodeUid: () => string | undefined;
}

export class NodeLease {
  /** The lease as last written (or read): the next renewal updates it without a GET. */
  private latest: Lease | undefined;
  private timer: ReturnType<Simulation['after']> | undefined;
  private readonly rng;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    private readonly options: NodeLeaseOptions,
  ) {
    this.rng = sim.rng(`${client.component}/node-lease`);
  }

  /** The lease as last written or read (for tests and notebooks). */
  lease(): Readonly<Lease> | undefined {
    return this.latest;
  }

  start(): void {
    if (this.timer === undefined) this.sync();
  }

  /** The kubelet stops (its process is gone): no more heartbeats. */
  stop(): void {
    if (this.timer !== undefined) this.sim.cancel(this.timer);
    this.timer = undefined;
  }

  private sync(): void {
    this.timer = undefined;
    const next = () => this.scheduleNext();
    if (this.latest !== undefined) this.update(this.latest, next);
    else this.ensureThenUpdate(next);
  }

  /** wait.JitterUntil(sync, 10 s, 0.04, sliding): the next renewal 10 to 10.4 s after this one ended. */
  private scheduleNext(): void {
    const delay = NODE_LEASE_RENEW_INTERVAL_MS + Math.floor(this.rng.next() * RENEW_JITTER * NODE_LEASE_RENEW_INTERVAL_MS);
    this.timer = this.sim.after(delay, () => this.sync());
  }

  private ensureThenUpdate(done: () => void): void {
    const { node } = this.options;
    this.client.request({ verb: 'get', resource: 'leases', namespace: NODE_LEASE_NAMESPACE, name: node }, (res) => {
      if (res.code === 200) return this.update(res.body as Lease, done);
      if (res.code !== 404) return this.failed(`get`, res.body as Status, done);
      this.client.request({ verb: 'create', resource: 'leases', namespace: NODE_LEASE_NAMESPACE, body: this.renewed(undefined) }, (created) => {
        if (created.code !== 201) return this.failed('create', created.body as Status, done);
        this.latest = created.body as Lease;
        done();
      });
    });
  }

  private update(base: Lease, done: () => void): void {
    const body = this.renewed(base);
    this.client.request({ verb: 'update', resource: 'leases', namespace: NODE_LEASE_NAMESPACE, name: this.options.node, body }, (res) => {
      if (res.code !== 200) return this.failed('update', res.body as Status, done);
      this.latest = res.body as Lease;
      done();
    });
  }

  /** The lease renewed now: holder, duration and renewTime set, the owner reference added once known. */
  private renewed(base: Lease | undefined): Lease {
    const { node } = this.options;
    const uid = this.options.nodeUid();
    const owners = base?.metadata.ownerReferences ?? (uid === undefined ? undefined : [{ apiVersion: 'v1', kind: 'Node', name: node, uid }]);
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: Object.assign({}, base?.metadata, { name: node, namespace: NODE_LEASE_NAMESPACE }, owners ? { ownerReferences: owners } : {}),
      spec: Object.assign({}, base?.spec, { holderIdentity: node, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime: microTimestamp(this.sim.now()) }),
    };
  }

  /** A failed heartbeat: read the lease again next time (a conflict means someone else wrote it). */
  private failed(what: string, status: Status | undefined, done: () => void): void {
    this.latest = undefined;
    this.sim.trace.error(this.sim.now(), this.client.component, `failed to ${what} lease ${NODE_LEASE_NAMESPACE}/${this.options.node}: ${status?.message ?? 'no answer'}`);
    done();
  }
}
