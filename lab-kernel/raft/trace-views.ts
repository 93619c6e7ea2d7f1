import type { Trace, TraceEvent } from '../sim/trace';

/**
 * Two questions a chapter asks a Raft run's trace, answered in one call each.
 *
 *   raftLines(cluster.sim.trace, tCrash, /Vote/)
 *   //    3.866s  raft-2 -> raft-0  MsgVote t2 i1/1
 *   //    3.868s  raft-0 -> raft-2  MsgVoteResp t2 rejected ...
 *   votesByTerm(cluster.sim.trace, tCrash, 3)
 *   // [{ term: 2, candidate: 'raft-2', 'votes it got': 'raft-2 (itself)', 'votes needed': 2, result: 'no majority' }, ...]
 */

/** The Raft messages sent since `fromMs` whose summary matches `pattern` (default: all of them). */
export function raftMessages(trace: Trace, fromMs: number, pattern: RegExp = /^Msg/): TraceEvent[] {
  return trace.between(fromMs, Infinity).filter((e) => e.kind === 'message' && e.data?.raft !== undefined && pattern.test(e.summary));
}

/** The same messages as trace lines, one a line. */
export function raftLines(trace: Trace, fromMs: number, pattern: RegExp = /^Msg/): string {
  return trace.format(raftMessages(trace, fromMs, pattern));
}

/** One candidate in one term: who voted for it, and whether that made it leader. */
export interface CandidateVotes {
  term: number;
  candidate: string;
  'votes it got': string;
  'votes needed': number;
  result: 'leader' | 'no majority';
}

/**
 * Every candidacy since `fromMs`, term by term, from the MsgVote requests and the granted
 * MsgVoteResp answers in the trace; `members` is the cluster's size (a majority is needed).
 * A candidate's own vote counts. Pre-votes are not votes and are left out.
 */
export function votesByTerm(trace: Trace, fromMs: number, members: number): CandidateVotes[] {
  const needed = Math.floor(members / 2) + 1;
  const byTerm = new Map<number, Map<string, string[]>>();
  for (const e of trace.between(fromMs, Infinity)) {
    if (e.kind !== 'message' || e.data?.duplicateOf !== undefined) continue;
    const term = Number(e.data?.term);
    if (e.data?.raft === 'MsgVote') {
      if (!byTerm.has(term)) byTerm.set(term, new Map());
      const candidates = byTerm.get(term)!;
      if (!candidates.has(e.actor)) candidates.set(e.actor, [`${e.actor} (itself)`]);
    }
    if (e.data?.raft === 'MsgVoteResp' && e.summary.endsWith('granted') && e.to !== undefined) {
      const votes = byTerm.get(term)?.get(e.to);
      if (votes !== undefined && !votes.includes(e.actor)) votes.push(e.actor);
    }
  }
  return [...byTerm.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([term, candidates]) =>
      [...candidates.entries()].map(([candidate, votes]) => ({
        term,
        candidate,
        'votes it got': votes.join(', '),
        'votes needed': needed,
        result: votes.length >= needed ? ('leader' as const) : ('no majority' as const),
      })),
    );
}
