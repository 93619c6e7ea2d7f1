/**
 * Which etcd lease a write with a time to live gets: kube-apiserver's lease manager
 * (k8s.io/apiserver/pkg/storage/etcd3/lease_manager.go). Granting a lease costs etcd a
 * Raft round, and Events (the only kind written with a TTL) come in floods, so the API
 * server asks for a little more time than needed and hands the same lease to every write
 * of the next minute:
 *
 *   reuse window = min(5% of the TTL, 60 s)              an Event's 1 h TTL => 60 s
 *   a new lease lives TTL + window                        => 3,660 s
 *   the last lease is reused while it still outlives TTL, and dies within TTL + window of now,
 *   for at most 1,000 objects
 *
 *   t = 0 s    Event A   => grant lease 1, expires at 3,660 s
 *   t = 30 s   Event B   => lease 1 again (B lives 3,630 s: between 1 h and 1 h 01 min)
 *   t = 61 s   Event C   => grant lease 2: lease 1 would not last C's hour
 *
 * So an Event is deleted 1 h to 1 h 01 min after its last write.
 */
export const LEASE_REUSE_DURATION_SECONDS = 60;
export const LEASE_REUSE_DURATION_PERCENT = 0.05;
export const LEASE_MAX_OBJECT_COUNT = 1000;

export class LeaseManager {
  private previous: { id: number; expiresAtMs: number; objects: number } | undefined;

  /** The TTL to grant for a write that asks for `ttlSeconds`: the TTL plus the reuse window. */
  static grantTtl(ttlSeconds: number): number {
    return ttlSeconds + LeaseManager.window(ttlSeconds);
  }

  private static window(ttlSeconds: number): number {
    return Math.min(Math.floor(LEASE_REUSE_DURATION_PERCENT * ttlSeconds), LEASE_REUSE_DURATION_SECONDS);
  }

  /** The last lease, if a write at `nowMs` asking for `ttlSeconds` may use it (and counts it). */
  reusable(ttlSeconds: number, nowMs: number): number | undefined {
    const p = this.previous;
    if (p === undefined) return undefined;
    const valid = nowMs + ttlSeconds * 1000 < p.expiresAtMs;
    const sufficient = nowMs + LeaseManager.grantTtl(ttlSeconds) * 1000 > p.expiresAtMs;
    if (!valid || !sufficient || p.objects >= LEASE_MAX_OBJECT_COUNT) return undefined;
    p.objects++;
    return p.id;
  }

  /** A lease just granted at `nowMs` for `grantedTtlSeconds` (from grantTtl): the one to reuse next. */
  granted(id: number, grantedTtlSeconds: number, nowMs: number): void {
    this.previous = { id, expiresAtMs: nowMs + grantedTtlSeconds * 1000, objects: 1 };
  }
}
