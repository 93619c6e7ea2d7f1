import { microTimestamp } from '../api/time';
import type { Lease } from '../api/types';

/**
 * Leader election's decisions, after client-go v0.32 (tools/leaderelection/leaderelection.go,
 * tryAcquireOrRenew): pure functions of what the elector has observed, the clock, and what a
 * GET of the Lease returned. The runtime (leader-elector.ts) sends the requests and keeps time.
 *
 * Several instances of a component (kube-controller-manager, kube-scheduler) each try, every
 * couple of seconds, to hold one Lease in kube-system. The holder renews it; the others read
 * it and wait. The rule that decides when a standby may take over uses only its own clock:
 *
 *   A standby notes *when it saw the record change* (observedTime, on its own clock). The
 *   lease has expired once leaseDurationSeconds have passed since then without a change.
 *
 * It never compares the holder's renewTime with its own clock: the two machines' clocks may
 * disagree by minutes. A renewTime only matters by changing — a change means the holder is
 * alive. (So the election tolerates any clock skew, though not clocks that run at different rates.)
 *
 *   decide({ identity: 'cp_b', timings: DEFAULT_ELECTION_TIMINGS, now: 20_000, readAt: 20_003,
 *            observed: { record: <cp_a's record, renewed at 3 s>, at: 5_000, lastRead: <its text> },
 *            read: <the same record: cp_a has not renewed since> })
 *   // => { decision: { kind: 'update', record: { holderIdentity: 'cp_b', leaseDurationSeconds: 15,
 *   //        acquireTime: '2025-01-01T00:00:20.000000Z', renewTime: '2025-01-01T00:00:20.000000Z', leaseTransitions: 1 } },
 *   //      observed: unchanged (the record did not change) }
 *   // 15 s have passed since cp_b saw the record change (at 5 s): it takes over, one transition more.
 *   // Read at 19 s instead, it would be { kind: 'held', holder: 'cp_a' }.
 */

/** What a Lease's spec says about the election (client-go's LeaderElectionRecord). */
export interface LeaderElectionRecord {
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  /** When the holder acquired it (a MicroTime; kept as the holder renews). */
  readonly acquireTime: string;
  /** When the holder last renewed it, on the holder's clock (a MicroTime). */
  readonly renewTime: string;
  readonly leaseTransitions: number;
}

/** The --leader-elect-* flags' values, in ms. */
export interface ElectionTimings {
  /** How long a standby waits, from the last change it saw, before it takes over. */
  readonly leaseDurationMs: number;
  /** How long the leader keeps trying to renew before it gives up leading. */
  readonly renewDeadlineMs: number;
  /** How long between tries. */
  readonly retryPeriodMs: number;
}

/**
 * kube-controller-manager's and kube-scheduler's defaults: --leader-elect-lease-duration 15s,
 * --leader-elect-renew-deadline 10s, --leader-elect-retry-period 2s (component-base's
 * RecommendedDefaultLeaderElectionConfiguration).
 */
export const DEFAULT_ELECTION_TIMINGS: ElectionTimings = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

/** A standby waits RetryPeriod plus up to 1.2 times it more at random between tries: 2 to 4.4 s. */
export const JITTER_FACTOR = 1.2;

/** What an elector has seen (client-go's observedRecord, observedTime and observedRawRecord). */
export interface Observation {
  /** The record last read, or last written by this elector: its holder says who leads. */
  readonly record: LeaderElectionRecord | undefined;
  /** When that record was observed, on this elector's clock (virtual ms). */
  readonly at: number;
  /** The record the last GET returned, as text (rawRecord): the next GET's record is compared with it. */
  readonly lastRead: string | undefined;
}

export const NOTHING_OBSERVED: Observation = { record: undefined, at: 0, lastRead: undefined };

export interface ElectionInput {
  readonly identity: string;
  readonly timings: ElectionTimings;
  /** When this try began (virtual ms): the time written into the record, and the moment expiry is judged at. */
  readonly now: number;
  /** When the GET answered (virtual ms): when a changed record counts as observed. */
  readonly readAt: number;
  readonly observed: Observation;
  /** What the GET found: the Lease's record, or 'not-found' (a 404). */
  readonly read: LeaderElectionRecord | 'not-found';
}

/** What to do after a GET: create the Lease, update it (a PUT with the resourceVersion read), or wait. */
export type ElectionDecision =
  | { readonly kind: 'create'; readonly record: LeaderElectionRecord }
  | { readonly kind: 'update'; readonly record: LeaderElectionRecord }
  | { readonly kind: 'held'; readonly holder: string };

/** tryAcquireOrRenew from its GET on: the decision, and the observation as it stands after the read. */
export function decide(input: ElectionInput): { decision: ElectionDecision; observed: Observation } {
  const { identity, now, read } = input;
  const mine = ownRecord(identity, input.timings, now);
  // 1. No Lease yet: create it, holding it from now on.
  if (read === 'not-found') return { decision: { kind: 'create', record: mine }, observed: input.observed };

  // 2. A record that differs from the last one read is observed now, on the local clock.
  const text = rawRecord(read);
  const observed = text === input.observed.lastRead ? input.observed : { record: read, at: input.readAt, lastRead: text };
  const leading = isLeader(identity, observed);
  if (read.holderIdentity !== '' && leaseValid(observed, now) && !leading) return { decision: { kind: 'held', holder: read.holderIdentity }, observed };

  // 3. Ours to renew (acquireTime and transitions kept), or ours to take (one transition more).
  const record = leading
    ? Object.assign({}, mine, { acquireTime: read.acquireTime, leaseTransitions: read.leaseTransitions })
    : Object.assign({}, mine, { leaseTransitions: read.leaseTransitions + 1 });
  return { decision: { kind: 'update', record }, observed };
}

/**
 * The fast path (client-go 1.30 on): a leader whose observed lease is still valid renews
 * without reading first, assuming the Lease is still the one it last wrote. The PUT carries
 * that write's resourceVersion, so if anyone else wrote since, it fails (409) and the elector
 * falls back to the GET of decide(). Undefined when the fast path does not apply.
 *
 *   optimisticRenewal('cp_a', DEFAULT_ELECTION_TIMINGS, 4_000, { record: <cp_a's, acquired at 1 s>, at: 2_000, ... })
 *   // => { holderIdentity: 'cp_a', acquireTime: <1 s>, renewTime: '2025-01-01T00:00:04.000000Z', leaseTransitions: <kept>, ... }
 */
export function optimisticRenewal(identity: string, timings: ElectionTimings, now: number, observed: Observation): LeaderElectionRecord | undefined {
  if (!isLeader(identity, observed) || !leaseValid(observed, now)) return undefined;
  const last = observed.record!;
  return Object.assign({}, ownRecord(identity, timings, now), { acquireTime: last.acquireTime, leaseTransitions: last.leaseTransitions });
}

/** After a create or an update succeeded: what was written is observed now (setObservedRecord). */
export function observeWrite(observed: Observation, record: LeaderElectionRecord, at: number): Observation {
  return { record, at, lastRead: observed.lastRead };
}

/** Whether the last record observed names this elector (IsLeader). */
export function isLeader(identity: string, observed: Observation): boolean {
  return observed.record?.holderIdentity === identity;
}

/** Whether the observed record's duration has not yet run out since it was observed (isLeaseValid). */
export function leaseValid(observed: Observation, now: number): boolean {
  return observed.at + (observed.record?.leaseDurationSeconds ?? 0) * 1000 > now;
}

/** The record a Lease's spec holds; a missing field reads as empty or zero (LeaseSpecToLeaderElectionRecord). */
export function recordOf(lease: Readonly<Lease>): LeaderElectionRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity ?? '',
    leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
    acquireTime: spec.acquireTime ?? '',
    renewTime: spec.renewTime ?? '',
    leaseTransitions: spec.leaseTransitions ?? 0,
  };
}

/** The Lease spec for a record (LeaderElectionRecordToLeaseSpec): every field set. */
export function leaseSpec(record: LeaderElectionRecord): NonNullable<Lease['spec']> {
  const { holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions } = record;
  return { holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions };
}

/** What this elector would write now: holding the lease from now on, for the configured duration. */
function ownRecord(identity: string, timings: ElectionTimings, now: number): LeaderElectionRecord {
  const at = microTimestamp(now);
  return { holderIdentity: identity, leaseDurationSeconds: Math.floor(timings.leaseDurationMs / 1000), acquireTime: at, renewTime: at, leaseTransitions: 0 };
}

/**
 * A record as client-go compares two reads: marshalled to JSON, where its times are
 * metav1.Time, in whole seconds.
 */
function rawRecord(record: LeaderElectionRecord): string {
  const seconds = (t: string) => t.replace(/\.\d+Z$/, 'Z');
  return JSON.stringify(Object.assign({}, record, { acquireTime: seconds(record.acquireTime), renewTime: seconds(record.renewTime) }));
}
