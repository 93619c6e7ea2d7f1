import { describe, expect, it } from 'vitest';
import { notImplemented } from '../sim/not-implemented';
import { check, ELECTION_TIMEOUT_MS, RaftCheckFailure, RaftCluster, runScenario } from './raft-cluster';
import { loadSlot } from '../slots/slots';
import { overrideNode } from './override-node';
import type { Entry, NewRaft, Ready } from './types';

const newRaft = loadSlot('raft', 'solution');


/** The reference, except that the node of peer `id` has its Readys altered by `alter` on the way out. */
function tampered(id: string, alter: (rd: Ready) => Ready): NewRaft {
  return (config) => {
    const node = newRaft(config);
    return config.id === id ? overrideNode(node, { ready: () => alter(node.ready()) }) : node;
  };
}

/** Replaces the entry at `index` among the committed entries of a Ready. */
function replaceCommitted(index: number, replace: (e: Entry) => Entry[]): (rd: Ready) => Ready {
  return (rd) => ({ ...rd, committedEntries: rd.committedEntries.flatMap((e) => (e.index === index ? replace(e) : [e])) });
}

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

describe('RaftCluster', () => {
  it('elects a leader and commits commands on every peer, at consecutive indexes', () => {
    const c = new RaftCluster({ seed: 1, peers: 3, newRaft });
    const leader = c.checkOneLeader();
    expect(c.isLeader(leader)).toBe(true);
    expect(c.checkTerms()).toBeGreaterThanOrEqual(1);
    const first = c.one('x', 3, false);
    expect(c.one('y', 3, false)).toBe(first + 1);
    expect(c.nCommitted(first)).toEqual({ count: 3, command: 'x' });
    expect(c.nCommitted(first + 2)).toEqual({ count: 0, command: undefined });
  });

  it('replays: the same seed gives the same run, message for message; another seed another run', () => {
    const run = (seed: number) => {
      const c = new RaftCluster({ seed, peers: 3, newRaft, reliable: false });
      c.one('a', 3, true);
      c.disconnect(c.checkOneLeader());
      c.one('b', 2, true);
      return c.sim.trace.hash();
    };
    expect(run(7)).toBe(run(7));
    expect(run(7)).not.toBe(run(8));
  });

  it('counts only peers in touch with a majority as connected: a cut-off old leader is not a leader any more for the checks', () => {
    const c = new RaftCluster({ seed: 2, peers: 3, newRaft });
    const old = c.checkOneLeader();
    c.disconnect(old);
    expect(c.isConnected(old)).toBe(false);
    const next = c.checkOneLeader();
    expect(next).not.toBe(old);
    expect(c.status(old)?.role, 'the old leader still believes it leads').toBe('leader');
    c.disconnect(next);
    c.runFor(2 * ELECTION_TIMEOUT_MS);
    expect(() => c.checkNoLeader(), 'the one peer left cannot win a majority').not.toThrow();
    c.heal();
    expect([0, 1, 2].map((i) => c.isConnected(i))).toEqual([true, true, true]);
    c.partition([[0], [1, 2]]);
    expect([0, 1, 2].map((i) => c.isConnected(i)), 'a minority side does not count').toEqual([false, true, true]);
  });

  it('says in plain words what one() expected when a command cannot be committed', () => {
    const c = new RaftCluster({ seed: 3, peers: 3, newRaft });
    const leader = c.checkOneLeader();
    c.disconnect((leader + 1) % 3);
    c.disconnect((leader + 2) % 3);
    const err = failure(() => c.one('lonely', 2, false));
    expect(err).toBeInstanceOf(RaftCheckFailure);
    expect(err.message).toBe(
      'expected "lonely" to be committed and applied by at least 2 peers within 2 s of proposing it at the leader, without retrying; no peer applied it',
    );
  });

  it('restarts crashed peers from their disks: they apply the committed entries again, and the same ones', () => {
    const c = new RaftCluster({ seed: 4, peers: 3, newRaft });
    const index = c.one('kept', 3, true);
    for (let i = 0; i < 3; i++) c.crash(i);
    expect(c.isRunning(0)).toBe(false);
    for (let i = 0; i < 3; i++) c.restart(i);
    const next = c.one('after', 3, true);
    expect(next).toBeGreaterThan(index);
    expect(c.nCommitted(index)).toEqual({ count: 3, command: 'kept' });
    expect(c.safety.violations).toEqual([]);
  });

  it('with snapshotEvery, the applications snapshot their state, and a peer that was away catches up through a snapshot', () => {
    const c = new RaftCluster({ seed: 5, peers: 3, newRaft, snapshotEvery: 5 });
    const leader = c.checkOneLeader();
    const away = (leader + 1) % 3;
    c.disconnect(away);
    for (let i = 0; i < 20; i++) c.one(`c${i}`, 2, true);
    expect(c.status(leader)!.snapshotIndex).toBeGreaterThanOrEqual(15);
    c.connect(away);
    const last = c.one('last', 3, true);
    expect(c.messagesSent('MsgSnap')).toBeGreaterThan(0);
    expect(c.nCommitted(last).count).toBe(3);
    c.restart(away);
    c.one('after restart', 3, true);
    expect(c.safety.violations).toEqual([]);
  });

  it('keeps committing on an unreliable network, slower', () => {
    const c = new RaftCluster({ seed: 6, peers: 5, newRaft, reliable: false });
    for (let i = 0; i < 10; i++) c.one(`u${i}`, 5, true);
    expect(c.net.stats().lost).toBeGreaterThan(0);
    c.setUnreliable(false);
    c.setLongReordering(true);
    c.one('long', 5, true);
  });

  it('counts messages and bytes', () => {
    const c = new RaftCluster({ seed: 1, peers: 3, newRaft });
    c.checkOneLeader();
    const [count, bytes] = [c.rpcCount(), c.bytes()];
    c.one('x'.repeat(1000), 3, false);
    expect(c.rpcCount()).toBeGreaterThan(count);
    expect(c.bytes() - bytes, 'the command went to each of 2 followers').toBeGreaterThan(2000);
    expect(c.messagesSent('MsgVote')).toBeGreaterThanOrEqual(2);
  });
});

describe('safety, checked on every apply', () => {
  it('catches two peers applying different commands at one index, at once, naming the peers, the index and the commands', () => {
    const c = new RaftCluster({ seed: 1, peers: 3, newRaft: tampered('raft-1', replaceCommitted(3, (e) => [{ ...e, data: 'forged' }])) });
    c.one('first', 3, true);
    const err = failure(() => c.one('second', 3, true));
    expect(err).toBeInstanceOf(RaftCheckFailure);
    expect(err.message).toMatch(/^safety violation: raft-1 applied "forged" \(term \d+\) at index 3, but raft-\d applied "second" \(term \d+\) there: .*State Machine Safety/);
    const stoppedAt = c.now();
    expect(() => c.runFor(1000), 'the run stays stopped').toThrow(RaftCheckFailure);
    expect(c.now()).toBe(stoppedAt);
  });

  it('catches a peer that skips an entry', () => {
    const c = new RaftCluster({ seed: 1, peers: 3, newRaft: tampered('raft-2', replaceCommitted(2, () => [])) });
    const err = failure(() => {
      c.one('a', 3, true);
      c.one('b', 3, true);
    });
    expect(err.message).toBe('safety violation: raft-2 applied index 3 right after index 1, skipping 2: each peer must apply every committed entry once, in index order');
  });

  it('catches a snapshot whose data does not match its index', () => {
    const mislabel = (rd: Ready): Ready => (rd.snapshot ? { ...rd, snapshot: { ...rd.snapshot, metadata: { ...rd.snapshot.metadata, index: rd.snapshot.metadata.index + 1 } } } : rd);
    const c = new RaftCluster({ seed: 5, peers: 3, newRaft: tampered('raft-0', mislabel), snapshotEvery: 5 });
    c.disconnect(0);
    const err = failure(() => {
      for (let i = 0; i < 20; i++) c.one(`c${i}`, 2, true);
      c.connect(0);
      c.one('last', 3, true);
    });
    expect(err.message).toMatch(/^safety violation: raft-0 was handed a snapshot labelled index \d+ whose data is not the application's state at \d+/);
  });
});

describe('runScenario', () => {
  const replay = (seed: number) => `npm run grade -- raft-election --seed ${seed}`;

  it('runs the scenario once per seed, each on a fresh cluster', () => {
    const seen: number[] = [];
    runScenario({ peers: 3, newRaft, seeds: [4, 5, 6], replay }, (c) => {
      seen.push(c.sim.seed);
      expect(c.now()).toBe(0);
    });
    expect(seen).toEqual([4, 5, 6]);
  });

  it('adds to a failure the seed, the command that replays it and the timeline of the last seconds', () => {
    const err = failure(() =>
      runScenario({ peers: 3, newRaft, seeds: [1, 2], replay }, (c) => {
        c.checkOneLeader();
        check(c.sim.seed !== 2, 'the second seed to pass');
      }),
    );
    expect(err).toBeInstanceOf(RaftCheckFailure);
    const [expectation, where, title, , row] = err.message.split('\n');
    expect(expectation).toBe('expected the second seed to pass');
    expect(where).toMatch(/^seed 2, stopped at \d+\.\d{3} s of virtual time; replay: npm run grade -- raft-election --seed 2$/);
    expect(title).toMatch(/^what the peers did in the last 5 s: virtual time 0\.000s to \d+\.\d{3}s, one column = 100 ms$/);
    expect(row).toMatch(/^raft-0 +[FCL]+$/);
  });

  it('lets "not implemented yet" through unchanged, so the grader sees an untouched stub', () => {
    const unfinished: NewRaft = (config) =>
      overrideNode(newRaft(config), {
        tick: () => {
          throw notImplemented('raft-election');
        },
      });
    const err = failure(() => runScenario({ peers: 3, newRaft: unfinished, seeds: [1], replay }, (c) => c.checkOneLeader()));
    expect(err.message).toBe('not implemented yet: raft-election');
  });
});
