import { EventQueue } from '../sim/event-queue';
import { ERR_LEASE_EXIST, ERR_LEASE_TTL_TOO_LARGE, leaseNotFoundError, StoreError } from './store-errors';

/**
 * etcd's leases, as bookkeeping: which leases exist, when each one expires, and which keys
 * are attached to it. Time is an input (ms of virtual time): this table never reads a clock.
 *
 *   table.grant(0, 10, 1000)      // => { id: 1, ttl: 10 }: lease 1 expires at t = 11 000 ms
 *   table.attach(1, '/registry/leases/web')
 *   table.renew(1, 6000)          // => 10: a keep-alive; now it expires at t = 16 000 ms
 *   table.expired(16000)          // => [1]: its keys must go (the store deletes them)
 *
 * A lease asked for with a TTL below the minimum gets the minimum: etcd's is 1.5 election
 * timeouts, rounded up to whole seconds (2 s with the default 1 s election timeout), so a
 * lease cannot expire while a new leader is still being elected. A lease whose time is up is
 * expired even before it is revoked: keep-alives fail from that moment.
 */
export interface Lease {
  readonly id: number;
  /** The TTL granted, in seconds. */
  readonly ttl: number;
  /** When it expires, in ms of virtual time. */
  expiresAt: number;
  readonly keys: Set<string>;
}

/** etcd's MaxLeaseTTL, in seconds. */
export const MAX_LEASE_TTL = 9_000_000_000;
export const DEFAULT_MIN_LEASE_TTL = 2;

export class LeaseTable {
  private readonly leases = new Map<number, Lease>();
  private readonly byKey = new Map<string, number>();
  /**
   * Each lease's id at its expiry time, soonest first, so the next expiry is found without
   * looking at every lease (an API server writing Events holds thousands). A renewal adds a
   * new entry; entries that no longer match their lease are skipped.
   */
  private readonly expiries = new EventQueue<number>();
  private lastId = 0;

  constructor(private readonly minTtl: number) {}

  /** A new lease; `id` 0 lets the table choose one (the next unused number, from 1). */
  grant(id: number, ttlSeconds: number, nowMs: number): Lease {
    if (ttlSeconds > MAX_LEASE_TTL) throw new StoreError('lease-ttl-too-large', ERR_LEASE_TTL_TOO_LARGE);
    if (id !== 0 && this.leases.has(id)) throw new StoreError('lease-exists', ERR_LEASE_EXIST);
    if (id === 0) {
      do {
        id = ++this.lastId;
      } while (this.leases.has(id));
    }
    const ttl = Math.max(ttlSeconds, this.minTtl);
    const lease: Lease = { id, ttl, expiresAt: nowMs + ttl * 1000, keys: new Set() };
    this.leases.set(id, lease);
    this.expiries.push(lease.expiresAt, id);
    return lease;
  }

  /** The lease, if it exists and has not expired at `nowMs`. */
  live(id: number, nowMs: number): Lease | undefined {
    const lease = this.leases.get(id);
    return lease !== undefined && nowMs < lease.expiresAt ? lease : undefined;
  }

  /** The lease, expired or not, as long as it has not been removed. */
  get(id: number): Lease | undefined {
    return this.leases.get(id);
  }

  /** A keep-alive: the lease lives a full TTL from now. Returns the TTL. */
  renew(id: number, nowMs: number): number {
    const lease = this.live(id, nowMs);
    if (lease === undefined) throw leaseNotFoundError();
    lease.expiresAt = nowMs + lease.ttl * 1000;
    this.expiries.push(lease.expiresAt, id);
    return lease.ttl;
  }

  /** Forgets the lease (its keys are the caller's to delete). */
  remove(id: number): void {
    const lease = this.leases.get(id);
    if (lease === undefined) throw leaseNotFoundError();
    for (const key of lease.keys) this.byKey.delete(key);
    this.leases.delete(id);
  }

  /** Ties `key` to lease `id` (or to no lease, with undefined), untying it from any other. */
  attach(key: string, id: number | undefined): void {
    const old = this.byKey.get(key);
    if (old !== undefined) this.leases.get(old)?.keys.delete(key);
    if (id === undefined) {
      this.byKey.delete(key);
    } else {
      this.leases.get(id)!.keys.add(key);
      this.byKey.set(key, id);
    }
  }

  /** Every lease id, in order. */
  ids(): number[] {
    return [...this.leases.keys()].sort((a, b) => a - b);
  }

  /** The leases whose time is up at `nowMs`, soonest expiry first. */
  expired(nowMs: number): number[] {
    const found = new Set<Lease>();
    for (let e = this.soonest(); e !== undefined && e.time <= nowMs; e = this.soonest()) {
      this.expiries.pop();
      found.add(this.leases.get(e.id)!);
    }
    // Still leases until the caller removes them: keep them findable.
    const due = [...found];
    for (const l of due) this.expiries.push(l.expiresAt, l.id);
    return due.sort((a, b) => a.expiresAt - b.expiresAt || a.id - b.id).map((l) => l.id);
  }

  /** When the next lease expires (ms), if any lease exists. */
  nextExpiry(): number | undefined {
    return this.soonest()?.time;
  }

  /** The soonest entry that still matches its lease (stale ones are dropped on the way). */
  private soonest(): { time: number; id: number } | undefined {
    for (let time = this.expiries.peekTime(); time !== undefined; time = this.expiries.peekTime()) {
      const id = this.expiries.peek()!;
      if (this.leases.get(id)?.expiresAt === time) return { time, id };
      this.expiries.pop();
    }
    return undefined;
  }
}
