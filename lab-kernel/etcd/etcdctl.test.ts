import { describe, expect, it } from 'vitest';
import { Network } from '../sim/network';
import { Simulation } from '../sim/simulation';
import { loadSlot } from '../slots/slots';
import type { EtcdReply } from './etcd-api';
import { EtcdCluster } from './etcd-cluster';
import { etcdctlGet } from './etcdctl';

const reference = loadSlot('raft', 'solution');

function cluster(): EtcdCluster {
  const sim = new Simulation({ seed: 1 });
  const etcd = new EtcdCluster(sim, new Network(sim), reference, 3);
  sim.runUntil(() => etcd.leader() !== undefined, 10_000);
  return etcd;
}

function put(etcd: EtcdCluster, key: string, value: string, member = etcd.leader()!): void {
  let reply: EtcdReply | undefined;
  etcd.member(member)!.handle({ kind: 'txn', compares: [], success: [{ type: 'put', key, value }] }, (r) => (reply = r), () => undefined);
  etcd.sim.runUntil(() => reply !== undefined, 10_000);
  expect(reply?.kind).toBe('ok');
  etcd.sim.runFor(300); // every member applies it
}

describe('etcdctlGet', () => {
  it('reads through the network, and shows in the trace as etcdctl', () => {
    const etcd = cluster();
    put(etcd, '/config/color', 'blue');
    const since = etcd.sim.now();
    const follower = etcd.names.find((n) => n !== etcd.leader())!;
    expect(etcdctlGet(etcd, follower, '/config/color')).toMatch(/^blue \(revision \d+\)$/);
    expect(etcdctlGet(etcd, follower, '/config/missing', { serializable: true })).toBe('(not found)');
    const lines = etcd.sim.trace.between(since, Infinity).filter((e) => e.kind === 'message' && (e.actor === 'etcdctl' || e.to === 'etcdctl'));
    expect(lines.map((e) => `${e.actor} -> ${e.to}: ${e.summary}`)).toEqual([
      `etcdctl -> ${follower}: range /config/color`,
      expect.stringMatching(new RegExp(`^${follower} -> etcdctl: blue \\(revision \\d+\\)$`)),
      `etcdctl -> ${follower}: range /config/missing (serializable)`,
      `${follower} -> etcdctl: (not found)`,
    ]);
  });

  it('cut off with an old leader: the serializable read answers stale, the linearizable one times out', () => {
    const etcd = cluster();
    put(etcd, '/config/color', 'blue');
    const oldLeader = etcd.leader()!;
    const majority = etcd.names.filter((n) => n !== oldLeader);
    etcd.net.partition([[oldLeader, 'etcdctl'], majority]);
    expect(etcd.sim.runUntil(() => etcd.leader(majority) !== undefined, 10_000)).toBe(true);
    put(etcd, '/config/color', 'green', etcd.leader(majority));
    const show = (kv: { value: string }) => `color=${kv.value}`;
    expect(etcdctlGet(etcd, oldLeader, '/config/color', { serializable: true, show })).toBe('color=blue');
    expect(etcdctlGet(etcd, oldLeader, '/config/color', { show })).toBe('etcdserver: request timed out');
    expect(etcdctlGet(etcd, majority[0], '/config/color', { show })).toBe('(no answer within 10 s)');
  });
});
