import { describe, expect, it } from 'vitest';
import { StorageError } from './storage';
import { Network } from '../sim/network';
import { Simulation } from '../sim/simulation';
import { loadSlot } from '../slots/slots';
import type { RangeResult, TxnResult } from '../store/mvcc-store';
import { ERR_TIMEOUT } from './etcd-api';
import { EtcdClient } from './etcd-client';
import { EtcdCluster } from './etcd-cluster';

const newRaft = loadSlot('raft', 'solution');

function setup(size: number, seed = 1) {
  const sim = new Simulation({ seed });
  const net = new Network(sim);
  const etcd = new EtcdCluster(sim, net, newRaft, size);
  const client = new EtcdClient(sim, net, etcd, 'kube-apiserver');
  expect(sim.runUntil(() => etcd.leader() !== undefined, 10_000), 'a leader within 10 s').toBe(true);
  /** Runs a call to completion in virtual time and returns what it answered. */
  const wait = <T>(start: (done: (r: T | StorageError) => void) => void): T | StorageError => {
    let result: T | StorageError | undefined;
    start((r) => (result = r));
    sim.runUntil(() => result !== undefined, 30_000);
    if (result === undefined) throw new Error('no answer within 30 s of virtual time');
    return result;
  };
  const put = (key: string, value: string) =>
    wait<TxnResult>((done) => client.txn([], [{ type: 'put', key, value }], `put ${key}`, done));
  const get = (key: string) => wait<RangeResult>((done) => client.range(key, { prefix: false }, `range ${key}`, done));
  return { sim, net, etcd, client, put, get };
}

describe('replicated etcd', () => {
  it('commits a write on every member: the same revision everywhere', () => {
    const { sim, etcd, put } = setup(3);
    const r = put('/registry/a', '1');
    expect(r).toMatchObject({ succeeded: true });
    sim.runFor(1_000);
    const revisions = etcd.names.map((n) => etcd.member(n)!.store.get('/registry/a')?.modRevision);
    expect(new Set(revisions).size).toBe(1);
    expect(revisions[0]).toBe((r as TxnResult).revision);
  });

  it.each([
    [3, 1],
    [5, 2],
    [7, 3],
  ])('with %i members, losing %i keeps writes working', (size, lost) => {
    const { etcd, put, get } = setup(size);
    const leader = etcd.leader()!;
    // Crash the leader first: the hardest minority to lose.
    const victims = [leader, ...etcd.names.filter((n) => n !== leader)].slice(0, lost);
    for (const v of victims) etcd.crash(v);
    expect(put('/registry/k', 'after')).toMatchObject({ succeeded: true });
    expect((get('/registry/k') as RangeResult).kvs[0]?.value).toBe('after');
  });

  it.each([
    [3, 2],
    [5, 3],
    [7, 4],
  ])('with %i members, losing %i stops writes with a clear error', (size, lost) => {
    const { etcd, put } = setup(size);
    for (const v of etcd.names.slice(0, lost)) etcd.crash(v);
    const r = put('/registry/k', 'lost');
    expect(r).toBeInstanceOf(StorageError);
    expect((r as StorageError).message).toBe(ERR_TIMEOUT);
  });

  it.each([
    ['a write', { kind: 'txn', compares: [], success: [{ type: 'put', key: '/registry/k', value: 'v' }] }],
    ['a linearizable read', { kind: 'range', key: '/registry/k', prefix: false, serializable: false }],
  ] as const)('answers %s it cannot complete with "request timed out" after 7 s (5 s + 2 x the 1 s election timeout, the ReqTimeout of etcd), not before', (_what, req) => {
    const { sim, etcd } = setup(3);
    const leader = etcd.leader()!;
    for (const n of etcd.names.filter((m) => m !== leader)) etcd.crash(n);
    const asked = sim.now();
    let answered: { at: number; message?: string } | undefined;
    etcd.member(leader)!.handle(structuredClone(req) as never, (r) => (answered = { at: sim.now(), message: r.kind === 'error' ? r.message : undefined }), () => undefined);
    sim.runFor(6_900);
    expect(answered, 'no answer at 6.9 s').toBeUndefined();
    sim.runFor(200);
    expect(answered).toEqual({ at: asked + 7_000, message: ERR_TIMEOUT });
  });

  it('catches a restarted member up: it replays its log from disk and gets the rest from the leader', () => {
    const { sim, etcd, put } = setup(3);
    const follower = etcd.names.find((n) => n !== etcd.leader())!;
    put('/registry/before', '1');
    etcd.crash(follower);
    for (let i = 0; i < 5; i++) put(`/registry/during-${i}`, String(i));
    etcd.start(follower);
    const leaderStore = () => etcd.member(etcd.leader()!)!.store;
    expect(sim.runUntil(() => etcd.member(follower)!.store.revision === leaderStore().revision, 10_000)).toBe(true);
    expect(etcd.member(follower)!.store.get('/registry/during-4')?.value).toBe('4');
  });

  it('serves a stale value from a deposed leader on a serializable read, never on a linearizable one', () => {
    const { sim, net, etcd, client, put } = setup(3);
    put('/registry/k', 'old');
    const old = etcd.leader()!;
    const others = etcd.names.filter((n) => n !== old);
    net.partition([[old], [...others, 'kube-apiserver']]);
    expect(sim.runUntil(() => others.some((n) => etcd.member(n)!.raft.status().role === 'leader'), 10_000)).toBe(true);
    put('/registry/k', 'new');
    // Now ask the deposed leader directly, as a client stuck on its side of the partition would.
    const ask = (serializable: boolean) => {
      let answer: string | undefined;
      etcd.member(old)!.handle({ kind: 'range', key: '/registry/k', prefix: false, serializable }, (r) => (answer = r.kind === 'ok' ? (r.result as RangeResult).kvs[0]?.value : r.message), () => undefined);
      sim.runFor(8_000);
      return answer;
    };
    expect(ask(true), 'a serializable read answers from the local store: stale').toBe('old');
    expect(ask(false), 'a linearizable read cannot confirm leadership: it fails instead').toBe(ERR_TIMEOUT);
    void client;
  });

  it('resumes a watch on another member when its member crashes, without losing or repeating a change', () => {
    const { sim, etcd, client, put } = setup(3);
    const seen: number[] = [];
    client.watch('/registry/w/', { prefix: true, fromRevision: 1 }, (events) => seen.push(...events.map((e) => e.kv.modRevision)), () => undefined);
    for (let i = 0; i < 3; i++) put(`/registry/w/${i}`, '');
    sim.runFor(500);
    etcd.crash(etcd.names[0]);
    // Writes right after losing the leader may time out (they went to the old leader); like a
    // controller, keep trying until three more went through.
    for (let ok = 0, i = 3; ok < 3; i++) if (!(put(`/registry/w/${i}`, '') instanceof StorageError)) ok++;
    sim.runFor(3_000);
    // What really happened under the prefix, replayed from a surviving member's store:
    const truth: number[] = [];
    const survivor = etcd.member(etcd.leader()!)!;
    survivor.store.watch('/registry/w/', { prefix: true, fromRevision: 1 }, (events) => truth.push(...events.map((e) => e.kv.modRevision)))();
    expect(truth.length).toBeGreaterThanOrEqual(6);
    expect(seen).toEqual(truth);
  });
});

describe('a watch through the etcd client never silently loses a change', () => {
  /**
   * A watcher on /registry/w/ through its own client (it watches etcd-0, the client's first
   * member), and a check that it saw exactly what the store holds under the prefix.
   */
  function watched(seed = 1) {
    const cluster = setup(3, seed);
    const watcher = new EtcdClient(cluster.sim, cluster.net, cluster.etcd, 'watcher');
    const seen: number[] = [];
    watcher.watch('/registry/w/', { prefix: true, fromRevision: 1 }, (events) => seen.push(...events.map((e) => e.kv.modRevision)), () => undefined);
    const truth = () => {
      const revisions: number[] = [];
      cluster.etcd.member(cluster.etcd.leader()!)!.store.watch('/registry/w/', { prefix: true, fromRevision: 1 }, (events) => revisions.push(...events.map((e) => e.kv.modRevision)))();
      return revisions;
    };
    return { ...cluster, seen, truth };
  }

  it('opens the watch again when the request that opened it was lost, even if the member is reachable again by the next check', () => {
    const { sim, net, put, seen, truth } = watched();
    // The watch request is on its way to etcd-0: cut the link now, and mend it well before
    // the client's next look at its connections (once a second).
    net.partition([['watcher'], ['etcd-0']]);
    sim.runFor(100);
    net.heal();
    for (let i = 0; i < 3; i++) put(`/registry/w/${i}`, '');
    sim.runFor(3_000);
    expect(truth()).toHaveLength(3);
    expect(seen).toEqual(truth());
  });

  it('opens the watch again from the first change it missed when a change sent on it was lost', () => {
    const { sim, net, put, seen, truth } = watched();
    put('/registry/w/0', '');
    sim.runFor(100);
    // The change at the next revision is sent while the watcher cannot hear etcd-0 ...
    net.partition([['watcher'], ['etcd-0']]);
    put('/registry/w/1', '');
    sim.runFor(100);
    // ... and the link is mended before the client next looks; later changes flow again.
    net.heal();
    put('/registry/w/2', '');
    sim.runFor(3_000);
    expect(truth()).toHaveLength(3);
    expect(seen).toEqual(truth());
  });

  it('opens the watch again when its member restarted between two checks (the restarted member knows nothing of the watch)', () => {
    const { sim, etcd, put, seen, truth } = watched();
    sim.runFor(100);
    etcd.restart('etcd-0');
    // etcd-0 may have led: keep writing until three changes went through.
    for (let ok = 0, i = 0; ok < 3; i++) if (!(put(`/registry/w/${i}`, '') instanceof StorageError)) ok++;
    sim.runFor(3_000);
    expect(truth().length).toBeGreaterThanOrEqual(3);
    expect(seen).toEqual(truth());
  });
});

describe("etcd 3.5's Raft options (pre-vote, check-quorum), on request", () => {
  /** A 3-member etcd; one follower is cut off for 5 s and comes back: the leader's term after. */
  function termAfterAFollowerRejoins(raft: { preVote?: boolean; checkQuorum?: boolean }): { before: number; after: number } {
    const sim = new Simulation({ seed: 3 });
    const net = new Network(sim);
    const etcd = new EtcdCluster(sim, net, newRaft, 3, undefined, raft);
    sim.runUntil(() => etcd.leader() !== undefined, 10_000);
    const before = etcd.member(etcd.leader()!)!.raft.status().term;
    const follower = etcd.names.find((n) => n !== etcd.leader())!;
    net.isolate(follower);
    sim.runFor(5_000);
    net.reconnect(follower);
    sim.runFor(3_000);
    return { before, after: etcd.member(etcd.leader()!)!.raft.status().term };
  }

  it('with pre-vote, a follower cut off for 5 s rejoins without raising the term (the leader leads on)', () => {
    const { before, after } = termAfterAFollowerRejoins({ preVote: true, checkQuorum: true });
    expect(after).toBe(before);
  });

  it('without it, the same follower comes back with a higher term and forces a new election', () => {
    const { before, after } = termAfterAFollowerRejoins({});
    expect(after).toBeGreaterThan(before);
  });
});
