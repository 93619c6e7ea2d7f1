import { memberLogs, type MemberLog } from './log-view';
import { RaftCluster, RaftCheckFailure } from './raft-cluster';
import type { NewRaft } from './types';

/**
 * Figure 8 of the Raft paper, played on a real five-member cluster: the same crashes, restarts
 * and cut-off members, on a fixed seed, with the logs read from the members' disks at each
 * stage. The paper's names S1..S5 are given to the peers as the run casts them: S1 is whoever
 * wins term 2, S5 whoever wins term 3.
 *
 *   const f = figure8(reference, 5);
 *   f.stages.map((s) => s.label)   // ['(a)', '(b)', '(c)', '(d)', '(e)']
 *   f.stages[2].logs               // S1..S5 at (c): entry 2 of term 2 on S1, S2 and S3, S1's commit index still 1
 *
 * (d) and (e) are two futures of (c). The run is played twice on the same seed, so up to (c)
 * both runs are the same event for event (checked): one goes on to (d), the other to (e).
 *
 * One difference from the paper comes from etcd's Raft: a new leader appends an empty entry of
 * its term at once, so S5's entry 2 in (b) and S1's entry 3 in (c) are those empty entries, and
 * S1's entry 3 travels to S3 together with entry 2.
 */
export interface Figure8Stage {
  label: '(a)' | '(b)' | '(c)' | '(d)' | '(e)';
  /** What happened up to this picture, in the paper's names. */
  caption: string;
  /** Virtual time of the picture, in ms. */
  at: number;
  logs: MemberLog[];
}

export interface Figure8Run {
  seed: number;
  /** The paper's names for the peers: cast['S1'] = 'raft-3'. */
  cast: Record<string, string>;
  stages: Figure8Stage[];
  /** The cluster that went on to (d), for its trace and timeline. */
  d: RaftCluster;
  /** The cluster that went on to (e), then saw S1 crash and S5 come back: S5 cannot win. */
  e: RaftCluster;
}

/** Plays Figure 8 with `newRaft` on `seed`; throws a RaftCheckFailure if the run does not follow the figure. */
export function figure8(newRaft: NewRaft, seed: number): Figure8Run {
  const first = playToC(newRaft, seed);
  const second = playToC(newRaft, seed);
  if (first.cluster.sim.trace.hash() !== second.cluster.sim.trace.hash()) {
    throw new RaftCheckFailure(`expected two runs on seed ${seed} to be the same up to (c)`);
  }
  const { S } = first;
  const name = (i: number) => first.cluster.names[i];

  // (d): S1 crashes before its own entry is on a majority. S5 restarts; S3, whose log is more
  // up to date than S5's, is down for the election, so S5 can win with S2's and S4's votes.
  const d = first.cluster;
  d.crash(S[1]);
  d.crash(S[3]);
  d.restart(S[2]);
  d.restart(S[5]);
  d.connect(S[4]);
  d.runUntil(() => d.isLeader(S[5]), 20_000);
  check(d.isLeader(S[5]), `S5 (${name(S[5])}) to win an election once S1 was down`);
  const dTerm = d.status(S[5])!.term;
  d.restart(S[3]);
  d.runFor(1000);
  const stageD: Figure8Stage = {
    label: '(d)',
    caption: `from (c): S1 crashes, S5 comes back and wins term ${dTerm} with the votes of S2 and S4, and its entries replace entry 2 everywhere (S3, down for the election, too)`,
    at: d.now(),
    logs: first.inPaperOrder(memberLogs(d)),
  };

  // (e): S1 gets its own entry to a majority before it crashes; then S5 cannot win.
  const e = second.cluster;
  e.restart(S[2]);
  e.runUntil(() => e.status(S[1])!.commit >= 3, 2000);
  check(e.status(S[1])!.commit >= 3, `S1 (${name(S[1])}) to commit entry 3 once S2 had it`);
  e.runFor(200); // the next heartbeats tell S2 and S3 the new commit index
  const stageE: Figure8Stage = {
    label: '(e)',
    caption: `from (c): S2 comes back and takes entry 3 (term ${e.status(S[1])!.term}) from S1; now on S1, S2 and S3, it is committed, and entry 2 with it`,
    at: e.now(),
    logs: first.inPaperOrder(memberLogs(e)),
  };
  e.crash(S[1]);
  e.restart(S[5]);
  e.connect(S[4]);
  e.runFor(5000);

  return { seed, cast: first.cast, stages: [...first.stages, stageD, stageE], d, e };
}

function check(ok: boolean, expectation: string): void {
  if (!ok) throw new RaftCheckFailure(`Figure 8: expected ${expectation}`);
}

/** Stages (a) to (c), on a fresh cluster; S[k] is the peer number of Sk. */
function playToC(newRaft: NewRaft, seed: number) {
  const c = new RaftCluster({ seed, peers: 5, newRaft });
  const all = [0, 1, 2, 3, 4];
  const S: number[] = [];
  const cast: Record<string, string> = {};
  const label = (i: number) => `S${S.indexOf(i)} = ${c.names[i]}`;
  const leaderOf = (peers: number[], term: number) => peers.find((i) => c.isLeader(i) && c.status(i)!.term === term);

  // Term 1: a leader, and its empty entry 1 on every member.
  c.checkOneLeader();
  c.runUntil(() => all.every((i) => c.status(i)!.commit >= 1), 2000);
  check(all.every((i) => c.status(i)!.commit >= 1), 'entry 1 committed everywhere in term 1');
  // A new election: the leader of term 1 reboots (it keeps its disk).
  const first = all.find((i) => c.isLeader(i))!;
  c.restart(first);
  c.runUntil(() => all.some((i) => c.isLeader(i) && c.status(i)!.term >= 2), 10_000);
  const s1 = leaderOf(all, 2);
  check(s1 !== undefined, 'a leader in term 2 (this seed split the vote: try another)');
  S[1] = s1!;
  // At the instant S1 wins, it is cut off with one other member: its entry 2 reaches S2 alone.
  S[2] = all.find((i) => i !== S[1])!;
  const rest = all.filter((i) => i !== S[1] && i !== S[2]);
  c.partition([[S[1], S[2]], rest]);
  c.runFor(20);
  const stages: Figure8Stage[] = [];
  const snap = (l: Figure8Stage['label'], caption: string) => stages.push({ label: l, caption, at: c.now(), logs: memberLogs(c) });
  snap('(a)', 'S1 leads term 2; its entry 2 reached S2 only');
  check(c.status(S[2])!.lastIndex === 2 && rest.every((i) => c.status(i)!.lastIndex === 1), 'entry 2 on S1 and S2 only at (a)');

  // (b): S1 crashes (and S2 with it, so that it stays as it was); the other three elect S5 in
  // term 3, which writes its entry 2 and crashes at once, before sending it.
  c.crash(S[1]);
  c.crash(S[2]);
  c.heal();
  c.runUntil(() => rest.some((i) => c.isLeader(i)), 10_000);
  const s5 = leaderOf(rest, 3);
  check(s5 !== undefined, 'S3, S4 and S5 to elect a leader in term 3');
  S[5] = s5!;
  [S[3], S[4]] = rest.filter((i) => i !== S[5]);
  cast.S1 = c.names[S[1]];
  cast.S2 = c.names[S[2]];
  cast.S3 = c.names[S[3]];
  cast.S4 = c.names[S[4]];
  cast.S5 = c.names[S[5]];
  snap('(b)', 'S1 crashes; S5 wins term 3 with the votes of S3 and S4, writes its own entry 2, and crashes before sending it');
  c.crash(S[5]);

  // (c): S1 comes back and wins term 4 (S2 stays down). At the instant it wins, S4 is cut off:
  // only S3 gets S1's entries, entry 2 of term 2 and its own empty entry 3.
  c.restart(S[1]);
  c.runUntil(() => c.isLeader(S[1]) || [S[3], S[4]].some((i) => c.isLeader(i)), 20_000);
  check(c.isLeader(S[1]), `S1 (${c.names[S[1]]}) to win the election after its restart`);
  c.disconnect(S[4]);
  c.runFor(50);
  snap('(c)', `S5 is down and S1 comes back: it wins term ${c.status(S[1])!.term}, and S3 takes its entries 2 and 3. Entry 2 is on a majority (S1, S2, S3), not committed`);
  // Rows in the paper's order, S1 to S5, each named after its part and its peer.
  const inPaperOrder = (logs: MemberLog[]) => S.slice(1).map((i) => (Object.assign({}, logs[i], { member: label(i) })));
  return { cluster: c, S, cast, label, stages: stages.map((s) => (Object.assign({}, s, { logs: inPaperOrder(s.logs) }))), inPaperOrder };
}
