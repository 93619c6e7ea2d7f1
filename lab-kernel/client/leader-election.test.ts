import { describe, expect, it } from 'vitest';
import { microTimestamp } from '../api/time';
import {
  decide,
  DEFAULT_ELECTION_TIMINGS,
  NOTHING_OBSERVED,
  observeWrite,
  optimisticRenewal,
  type ElectionDecision,
  type LeaderElectionRecord,
  type Observation,
} from './leader-election';

const T = DEFAULT_ELECTION_TIMINGS;

/** cp_a's record: acquired at 1 s, renewed at `renewed` (virtual ms, or a MicroTime off cp_a's clock), after `transitions` changes of holder. */
function heldByA(renewed: number | string, transitions = 0): LeaderElectionRecord {
  const renewTime = typeof renewed === 'string' ? renewed : microTimestamp(renewed);
  return { holderIdentity: 'cp_a', leaseDurationSeconds: 15, acquireTime: microTimestamp(1_000), renewTime, leaseTransitions: transitions };
}

/** Renew times off a clock an hour behind, and one an hour ahead, of the standby's (which reads 2025-01-01T00:00:xx). */
const HOUR_BEHIND = '2024-12-31T23:00:11.000000Z';
const HOUR_AHEAD = '2025-01-01T01:00:03.000000Z';

/** What an elector has after reading `record` at `at` (a GET, through decide). */
function afterReading(identity: string, record: LeaderElectionRecord, at: number): Observation {
  return decide({ identity, timings: T, now: at, readAt: at, observed: NOTHING_OBSERVED, read: record }).observed;
}

interface Row {
  question: string;
  identity: string;
  observed: Observation;
  now: number;
  read: LeaderElectionRecord | 'not-found';
  decision: ElectionDecision;
  /** When the observation stands after the read. */
  observedAt: number;
}

const rows: Row[] = [
  {
    question: 'does the first to find no Lease create one, holding it from now with no transitions?',
    identity: 'cp_a',
    observed: NOTHING_OBSERVED,
    now: 1_000,
    read: 'not-found',
    decision: { kind: 'create', record: heldByA(1_000) },
    observedAt: 0,
  },
  {
    question: 'does a standby that saw the lease change 14.999 s ago wait?',
    identity: 'cp_b',
    observed: afterReading('cp_b', heldByA(3_000), 5_000),
    now: 19_999,
    read: heldByA(3_000),
    decision: { kind: 'held', holder: 'cp_a' },
    observedAt: 5_000,
  },
  {
    question: 'does a standby take over only once the lease it observed is 15 s old, whatever renewTime says?',
    identity: 'cp_b',
    observed: afterReading('cp_b', heldByA(3_000), 5_000),
    now: 20_000,
    read: heldByA(3_000),
    decision: {
      kind: 'update',
      record: { holderIdentity: 'cp_b', leaseDurationSeconds: 15, acquireTime: microTimestamp(20_000), renewTime: microTimestamp(20_000), leaseTransitions: 1 },
    },
    observedAt: 5_000,
  },
  {
    question: 'does a record that changed start the 15 s over, from when it was read?',
    identity: 'cp_b',
    observed: afterReading('cp_b', heldByA(3_000), 5_000),
    now: 20_000,
    read: heldByA(18_000),
    decision: { kind: 'held', holder: 'cp_a' },
    observedAt: 20_003,
  },
  {
    question: 'does a renewTime an hour in the past (a holder whose clock is behind) change nothing?',
    identity: 'cp_b',
    observed: afterReading('cp_b', heldByA(3_000), 5_000),
    now: 12_000,
    read: heldByA(HOUR_BEHIND),
    decision: { kind: 'held', holder: 'cp_a' },
    observedAt: 12_003,
  },
  {
    question: 'does a renewTime an hour in the future (a holder whose clock is ahead) keep a standby waiting no longer than 15 s?',
    identity: 'cp_b',
    observed: afterReading('cp_b', heldByA(HOUR_AHEAD), 5_000),
    now: 20_000,
    read: heldByA(HOUR_AHEAD),
    decision: {
      kind: 'update',
      record: { holderIdentity: 'cp_b', leaseDurationSeconds: 15, acquireTime: microTimestamp(20_000), renewTime: microTimestamp(20_000), leaseTransitions: 1 },
    },
    observedAt: 5_000,
  },
  {
    question: 'does the holder renew its own lease keeping acquireTime and leaseTransitions?',
    identity: 'cp_a',
    observed: afterReading('cp_a', heldByA(3_000, 4), 3_000),
    now: 5_000,
    read: heldByA(3_000, 4),
    decision: { kind: 'update', record: heldByA(5_000, 4) },
    observedAt: 3_000,
  },
  {
    question: 'does the holder renew even a lease it observed 15 s ago (nobody took it meanwhile)?',
    identity: 'cp_a',
    observed: afterReading('cp_a', heldByA(3_000, 4), 3_000),
    now: 30_000,
    read: heldByA(3_000, 4),
    decision: { kind: 'update', record: heldByA(30_000, 4) },
    observedAt: 3_000,
  },
  {
    question: 'does a Lease with no holder (released) go to whoever reads it, one transition more?',
    identity: 'cp_b',
    observed: NOTHING_OBSERVED,
    now: 7_000,
    read: { ...heldByA(6_000, 2), holderIdentity: '' },
    decision: {
      kind: 'update',
      record: { holderIdentity: 'cp_b', leaseDurationSeconds: 15, acquireTime: microTimestamp(7_000), renewTime: microTimestamp(7_000), leaseTransitions: 3 },
    },
    observedAt: 7_003,
  },
];

describe('leader election: what to do after reading the Lease (tryAcquireOrRenew)', () => {
  for (const row of rows) {
    it(row.question, () => {
      const { decision, observed } = decide({ identity: row.identity, timings: T, now: row.now, readAt: row.now + 3, observed: row.observed, read: row.read });
      expect(decision).toEqual(row.decision);
      expect(observed.at).toBe(row.observedAt);
    });
  }

  it('does the elector observe its own write at once, so that it leads without reading the Lease again?', () => {
    const observed = observeWrite(NOTHING_OBSERVED, heldByA(1_000), 1_004);
    expect(observed).toMatchObject({ record: heldByA(1_000), at: 1_004 });
    expect(optimisticRenewal('cp_a', T, 3_004, observed)).toEqual(heldByA(3_004));
  });
});

describe('the fast path: renewing without a GET', () => {
  it('does a leader whose observed lease is still valid renew at once, keeping acquireTime and transitions?', () => {
    const observed = afterReading('cp_a', heldByA(3_000, 2), 3_000);
    expect(optimisticRenewal('cp_a', T, 17_999, observed)).toEqual(heldByA(17_999, 2));
  });

  it('does a leader whose observed lease ran out go back to reading first?', () => {
    const observed = afterReading('cp_a', heldByA(3_000, 2), 3_000);
    expect(optimisticRenewal('cp_a', T, 18_000, observed)).toBeUndefined();
  });

  it('does a standby never take the fast path?', () => {
    expect(optimisticRenewal('cp_b', T, 4_000, afterReading('cp_b', heldByA(3_000), 3_000))).toBeUndefined();
    expect(optimisticRenewal('cp_b', T, 4_000, NOTHING_OBSERVED)).toBeUndefined();
  });
});
