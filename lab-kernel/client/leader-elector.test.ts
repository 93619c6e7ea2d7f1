import { describe, expect, it } from 'vitest';
import type { KubeEvent, Lease } from '../api/types';
import { ApiServer } from '../apiserver/api-server';
import { LocalEtcd } from '../etcd/storage';
import { Network } from '../sim/network';
import { Simulation } from '../sim/simulation';
import type { TraceEvent } from '../sim/trace';
import { MvccStore } from '../store/mvcc-store';
import { Client } from './client';
import { EventRecorder } from './event-recorder';
import { electionIdentity, LeaderElector } from './leader-elector';

/** At most one request and its answer, each 1..3 ms on the network, plus the API server's round trip to etcd. */
const ROUND_TRIP_MS = 12;

/** A small world: an API server on an in-process etcd, and electors for the Lease kube-system/demo. */
function world(seed = 3) {
  const sim = new Simulation({ seed });
  const net = new Network(sim);
  const api = new ApiServer(sim, net, new LocalEtcd(sim, new MvccStore(), 'kube-apiserver'));
  api.bootstrap();
  const log: string[] = [];
  const elector = (component: string) => {
    const client = new Client(component, net, api);
    return new LeaderElector(sim, client, {
      lease: 'demo',
      identity: electionIdentity(sim, component, 'host'),
      recorder: new EventRecorder(sim, client, { component }),
      onStartedLeading: () => log.push(`${component} started leading`),
      onStoppedLeading: () => log.push(`${component} stopped leading`),
    });
  };
  /** The requests `component` sent for the Lease, as `verb@ms`. */
  const requests = (component: string, since = 0): { verb: string; at: number }[] =>
    sim.trace
      .all()
      .filter((e: TraceEvent) => e.kind === 'message' && e.actor === component && e.time >= since && / leases kube-system/.test(e.summary))
      .map((e) => ({ verb: e.summary.split(' ')[0], at: e.time }));
  const lease = () => api.cache.get('leases', 'kube-system', 'demo') as Lease | undefined;
  return { sim, net, api, log, elector, requests, lease };
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]);

describe('LeaderElector in a small simulation', () => {
  it('does the first elector find no Lease, create it and lead, then renew every 2 s with one PUT and no GET?', () => {
    const { sim, log, elector, requests, lease } = world();
    const a = elector('a');
    a.run();
    sim.runFor(20_000);
    expect(log).toEqual(['a started leading']);
    expect(a.isLeader()).toBe(true);
    const sent = requests('a');
    expect(sent.slice(0, 3).map((r) => r.verb)).toEqual(['get', 'create', 'update']);
    const renewals = sent.slice(2);
    expect(renewals.every((r) => r.verb === 'update'), 'the fast path: no GET while the lease holds').toBe(true);
    for (const gap of gaps(renewals.map((r) => r.at))) {
      expect(gap).toBeGreaterThan(2_000);
      expect(gap).toBeLessThanOrEqual(2_000 + ROUND_TRIP_MS);
    }
    expect(lease()?.spec).toMatchObject({ holderIdentity: a.identity, leaseDurationSeconds: 15, leaseTransitions: 0 });
  });

  it('does a leader cut off from the API server try every 2 s and give up 10 s after its failing round began?', () => {
    const { sim, net, log, elector, requests } = world();
    const a = elector('a');
    a.run();
    sim.runFor(7_000);
    const lastSuccess = requests('a').at(-1)!.at;
    net.isolate('a');
    sim.runFor(20_000);

    const failing = requests('a', lastSuccess + 1);
    const roundStart = failing[0].at;
    expect(roundStart - lastSuccess, 'the round begins 2 s after the last success ended').toBeGreaterThan(2_000);
    expect(roundStart - lastSuccess).toBeLessThanOrEqual(2_000 + ROUND_TRIP_MS);
    // Each try: the fast path's PUT, then the GET of the slow path; tries on the round's 2 s beat.
    const puts = failing.filter((r) => r.verb === 'update').map((r) => r.at - roundStart);
    expect(puts).toEqual([0, 2_000, 4_000, 6_000, 8_000]);
    expect(failing.filter((r) => r.verb === 'get')).toHaveLength(5);

    const gaveUp = sim.trace.all().find((e) => e.actor === 'a' && e.summary.startsWith('failed to renew lease'))!;
    expect(gaveUp.summary).toBe('failed to renew lease kube-system/demo: context deadline exceeded');
    expect(gaveUp.time - roundStart).toBe(10_000);
    expect(log).toEqual(['a started leading', 'a stopped leading']);
  });

  it('does a standby try again 2 to 4.4 s after each try ends, at random?', () => {
    const { sim, elector, requests } = world();
    const a = elector('a');
    a.run();
    sim.runFor(1_000);
    const b = elector('b');
    b.run();
    sim.runFor(120_000);
    expect(b.isLeader()).toBe(false);
    expect(b.leader()).toBe(a.identity);
    const waits = gaps(requests('b').map((r) => r.at));
    expect(waits.length).toBeGreaterThan(25);
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(2_000);
      expect(wait).toBeLessThanOrEqual(4_400 + ROUND_TRIP_MS);
    }
    expect(Math.min(...waits), 'jittered: some waits near 2 s').toBeLessThan(2_600);
    expect(Math.max(...waits), 'and some near 4.4 s').toBeGreaterThan(3_800);
  });

  it('does a standby take over 15 to 19.4 s after it last saw the lease change, with leaseTransitions 1 and a new acquireTime?', () => {
    const { sim, log, elector, lease } = world();
    const a = elector('a');
    a.run();
    sim.runFor(1_000);
    const b = elector('b');
    b.run();
    sim.runFor(9_000);
    const acquiredByA = lease()!.spec!.acquireTime;
    a.stop();
    let lastChangeSeen = b.observation().at;
    const acquired = sim.runUntil(() => {
      if (!b.isLeader()) lastChangeSeen = b.observation().at;
      return b.isLeader();
    }, 30_000);
    expect(acquired).toBe(true);
    expect(sim.now() - lastChangeSeen).toBeGreaterThanOrEqual(15_000);
    expect(sim.now() - lastChangeSeen).toBeLessThanOrEqual(15_000 + 4_400 + 2 * ROUND_TRIP_MS);
    expect(lease()!.spec).toMatchObject({ holderIdentity: b.identity, leaseTransitions: 1 });
    expect(lease()!.spec!.acquireTime).not.toBe(acquiredByA);
    expect(log).toEqual(['a started leading', 'b started leading']);
  });

  it('does a leader whose Lease someone else rewrote fall back from the failed PUT (409) to a GET, then stop leading?', () => {
    const { sim, api, elector, requests, lease, log } = world();
    const a = elector('a');
    a.run();
    sim.runFor(5_000);
    const taken: Lease = { ...lease()!, spec: { ...lease()!.spec, holderIdentity: 'intruder' } };
    let answer = 0;
    api.serve('intruder', { verb: 'update', resource: 'leases', namespace: 'kube-system', name: 'demo', body: taken }, (res) => (answer = res.code));
    sim.runFor(1);
    expect(answer).toBe(200);
    const since = sim.now();
    sim.runFor(15_000);

    const after = requests('a', since);
    expect(after.slice(0, 2).map((r) => r.verb)).toEqual(['update', 'get']);
    const conflict = sim.trace.all().find((e) => e.actor === 'a' && e.time >= since && e.summary.startsWith('Failed to update lock optimistically'))!;
    expect(conflict.summary).toMatch(/the object has been modified.*falling back to slow path$/);
    // Held by the intruder now: a reads it every 2 s and never writes again, then gives up leading.
    expect(after.slice(2).every((r) => r.verb === 'get')).toBe(true);
    expect(a.isLeader()).toBe(false);
    expect(a.leader()).toBe('intruder');
    expect(log).toEqual(['a started leading', 'a stopped leading']);
    const events = (api.cache.list('events') as KubeEvent[]).filter((e) => e.reason === 'LeaderElection');
    expect(events.map((e) => [e.type, e.involvedObject.kind, e.involvedObject.name, e.message])).toEqual([
      ['Normal', 'Lease', 'demo', `${a.identity} became leader`],
      ['Normal', 'Lease', 'demo', `${a.identity} stopped leading`],
    ]);
  });
});
