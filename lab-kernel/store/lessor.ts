import type { Simulation, Timer } from '../sim/simulation';
import type { LeaseGrant, LeaseStatus, MvccStore, RevokedLease } from './mvcc-store';

/**
 * Leases on the simulation's clock: etcd's lessor. It grants and renews leases at the
 * simulation's current time, and revokes each lease when its time is up, from an event
 * scheduled at the next expiry — so a lease expires exactly on time, whatever else runs.
 *
 *   const lessor = new Lessor(sim, store);
 *   const { id } = lessor.grant(10);                       // t = 0: expires at t = 10 s
 *   store.put('/registry/events/default/web.1', '{...}', { lease: id });
 *   sim.runFor(6_000); lessor.keepAlive(id);               // t = 6 s: now expires at t = 16 s
 *   sim.runFor(10_000);                                    // t = 16 s: the key is deleted (one DELETE event)
 *   lessor.timeToLive(id)                                  // => { id, ttl: -1, grantedTtl: 0, keys: [] }: gone
 *
 * Give it every lease call (not the store directly), so it always knows the next expiry.
 * Each expiry shows in the trace as an action of `component`.
 */
export class Lessor {
  private timer: Timer | undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly store: MvccStore,
    private readonly component = 'etcd',
  ) {}

  /** A new lease of `ttlSeconds` from now; `id` 0 (the default) lets the store choose it. */
  grant(ttlSeconds: number, id = 0): LeaseGrant {
    const granted = this.store.leaseGrant(ttlSeconds, this.sim.now(), id);
    this.schedule();
    return granted;
  }

  /** Another full TTL from now; returns the TTL. Fails ("requested lease not found") once expired. */
  keepAlive(id: number): number {
    const ttl = this.store.leaseKeepAlive(id, this.sim.now());
    this.schedule();
    return ttl;
  }

  revoke(id: number): RevokedLease {
    const revoked = this.store.leaseRevoke(id);
    this.schedule();
    return revoked;
  }

  timeToLive(id: number): LeaseStatus {
    return this.store.leaseTimeToLive(id, this.sim.now());
  }

  /** Keeps exactly one event scheduled, at the next expiry. */
  private schedule(): void {
    const next = this.store.nextLeaseExpiry();
    if (this.timer !== undefined) {
      if (this.timer.at === next) return;
      this.sim.cancel(this.timer);
    }
    this.timer = next === undefined ? undefined : this.sim.after(Math.max(0, next - this.sim.now()), () => this.expire());
  }

  private expire(): void {
    this.timer = undefined;
    const now = this.sim.now();
    for (const r of this.store.expireLeases(now)) {
      const deleted = r.keys.length === 0 ? 'no keys' : `deleted ${r.keys.join(', ')} at revision ${r.revision}`;
      this.sim.trace.action(now, this.component, `lease ${r.id} expired; ${deleted}`, { lease: r.id });
    }
    this.schedule();
  }
}
