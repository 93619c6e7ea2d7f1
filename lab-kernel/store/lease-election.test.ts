import { describe, expect, it } from 'vitest';
import { Simulation } from '../sim/simulation';
import { LeaseElection, type Campaign } from './lease-election';
import { Lessor } from './lessor';
import { MvccStore } from './mvcc-store';

const LEADER = '/election/scheduler';

/** Chapter 01's run: A wins with a 10-second lease, renews every 3 s and crashes at 20 s; B campaigns at 1 s. */
function chapterRun() {
  const sim = new Simulation({ seed: 1 });
  const store = new MvccStore();
  const lessor = new Lessor(sim, store);
  const campaign: Campaign = (name) => {
    const lease = lessor.grant(10);
    const result = store.txn(
      [{ key: LEADER, target: 'createRevision', op: '=', value: 0 }],
      [{ type: 'put', key: LEADER, value: name, lease: lease.id }],
      [{ type: 'range', key: LEADER }],
    );
    if (!result.succeeded) lessor.revoke(lease.id);
    return { leaseId: lease.id, result };
  };
  const election = new LeaseElection(sim, store, lessor, campaign, { key: LEADER, renewEveryMs: 3_000 });
  election.candidate('A', { crashAt: 20_000 });
  sim.after(1_000, () => election.candidate('B'));
  sim.runFor(35_000);
  return { sim, store, election };
}

describe('LeaseElection', () => {
  it('hands the key to the watcher one TTL after the leader’s last keep-alive', () => {
    const { election, store } = chapterRun();
    const lines = election.timeline.map((r) => `${r.time} ${r.who}: ${r.what}`);
    expect(lines.slice(0, 3)).toEqual([
      `0.0 s A: won: put ${LEADER}=A with lease 1 (revision 2)`,
      `1.0 s B: lost to A; watching ${LEADER}`,
      '3.0 s A: keep-alive: lease 1 now runs until 13.0 s',
    ]);
    expect(lines).toContain('18.0 s A: keep-alive: lease 1 now runs until 28.0 s');
    expect(lines).toContain('20.0 s A: crashes: its keep-alives stop');
    expect(lines.filter((l) => l.startsWith('28.0 s'))).toEqual([
      `28.0 s B: hears: DELETE ${LEADER} (revision 3)`,
      `28.0 s B: won: put ${LEADER}=B with lease 3 (revision 4)`,
    ]);
    expect(lines.filter((l) => l.includes(' A: keep-alive')).length).toBe(6);
    expect(lines.at(-1)).toBe('34.0 s B: keep-alive: lease 3 now runs until 44.0 s');
    expect(store.get(LEADER)?.value).toBe('B');
  });

  it('leaves the lessor’s expiry in the trace, at 28 s', () => {
    const { sim } = chapterRun();
    expect(sim.trace.format(sim.trace.all().filter((e) => e.actor === 'etcd')).trim()).toBe(
      `28.000s  etcd                                      lease 1 expired; deleted ${LEADER} at revision 3`,
    );
  });
});
