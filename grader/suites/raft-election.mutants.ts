import type { Mutant } from '../mutants';

/**
 * Realistic wrong elections: each must fail grader/suites/raft-election.test.ts
 * (npm run mutants -- raft-election). The most likely mistake comes first.
 */
const file = 'raft/election.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'grants a vote to every up-to-date candidate, even after voting for another in the same term',
    file,
    find: 'const canVote = r.vote === m.from || (r.vote === null && r.lead === null) ||',
    replace: 'const canVote = true ||',
  },
  {
    name: 'does not restart its election timer when it grants a vote',
    file,
    find: '      r.electionElapsed = 0;\n      r.vote = m.from;',
    replace: '      r.vote = m.from;',
  },
  {
    name: 'forgets the election restriction: votes for a candidate whose log is behind',
    file,
    find: 'if (canVote && isUpToDate(r.log, m.index, m.logTerm)) {',
    replace: 'if (canVote) {',
  },
  {
    name: 'compares the last index before the last term: a longer log wins even with an older last term',
    file,
    find: 'return lastTerm > log.lastTerm() || (lastTerm === log.lastTerm() && lastIndex >= log.lastIndex());',
    replace: 'return lastIndex > log.lastIndex() || (lastIndex === log.lastIndex() && lastTerm >= log.lastTerm());',
  },
  {
    name: 'wins with half of the votes (n/2 instead of n/2 + 1): two leaders in one term of an even-sized cluster',
    file,
    find: "if (yes >= r.quorum()) return 'won';",
    replace: "if (yes >= r.voters.length / 2) return 'won';",
  },
  {
    name: 'waits for one vote more than a majority',
    file,
    find: "if (yes >= r.quorum()) return 'won';",
    replace: "if (yes > r.quorum()) return 'won';",
  },
  {
    name: 'gives up its election one refusal too early',
    file,
    find: "if (no > r.voters.length - r.quorum()) return 'lost';",
    replace: "if (no >= r.voters.length - r.quorum()) return 'lost';",
  },
  {
    name: 'times out after the fixed electionTimeout instead of the randomized one',
    file,
    find: 'if (r.electionElapsed >= r.randomizedElectionTimeout) {',
    replace: 'if (r.electionElapsed >= r.electionTimeout) {',
  },
  {
    name: 'a candidate forgets to vote for itself',
    file,
    find: '  r.reset(r.term + 1);\n  r.vote = r.id;',
    replace: '  r.reset(r.term + 1);',
  },
  {
    name: 'a new leader does not append an empty entry of its own term',
    file,
    find: "  self.recentActive = true;\n  r.appendEntry(['']);",
    replace: '  self.recentActive = true;',
  },
  {
    name: 'handles a message of an older term instead of dropping it',
    file,
    find: "      r.send({ type: 'MsgPreVoteResp', to: m.from, term: r.term, reject: true });\n    }\n    return false;",
    replace: "      r.send({ type: 'MsgPreVoteResp', to: m.from, term: r.term, reject: true });\n    }\n    return true;",
  },
  {
    name: 'pre-vote: a pre-vote request raises the term of the node that receives it',
    file,
    find: "const keepsTerm = m.type === 'MsgPreVote' || (m.type === 'MsgPreVoteResp' && !m.reject);",
    replace: "const keepsTerm = m.type === 'MsgPreVoteResp' && !m.reject;",
  },
  {
    name: 'pre-vote: a pre-candidate raises its own term, as a candidate does',
    file,
    find: "    becomePreCandidate(r);\n    type = 'MsgPreVote';\n    term = r.term + 1;",
    replace: "    becomePreCandidate(r);\n    r.term++;\n    r.vote = null;\n    type = 'MsgPreVote';\n    term = r.term + 1;",
  },
  {
    name: 'pre-vote: a candidate counts late pre-vote answers as real votes',
    file,
    find: '  if (m.type !== mine) return;',
    replace: "  if (m.type !== mine && m.type !== 'MsgPreVoteResp') return;",
  },
  {
    name: 'checkQuorum: never marks followers inactive again, so a leader cut off later never steps down',
    file,
    find: '      for (const id of r.voters) if (id !== r.id) r.pr(id).recentActive = false;',
    replace: '',
  },
  {
    name: 'checkQuorum: the leader does not count itself towards the quorum',
    file,
    find: 'const active = r.voters.filter((id) => id === r.id || r.pr(id).recentActive).length;',
    replace: 'const active = r.voters.filter((id) => id !== r.id && r.pr(id).recentActive).length;',
  },
  {
    name: 'checkQuorum: a follower that hears from its leader still grants votes to a disruptive candidate',
    file,
    find: '      if (inLease) return false;',
    replace: '',
  },
  {
    name: 'heartbeats carry the leader’s whole commit index, past what the follower is known to hold',
    file,
    find: "r.send({ type: 'MsgHeartbeat', to, commit: Math.min(r.pr(to).match, r.log.committed), context });",
    replace: "r.send({ type: 'MsgHeartbeat', to, commit: r.log.committed, context });",
  },
  {
    name: 'a follower does not echo the heartbeat’s context (reads are never confirmed)',
    file,
    find: "r.send({ type: 'MsgHeartbeatResp', to: m.from, context: m.context });",
    replace: "r.send({ type: 'MsgHeartbeatResp', to: m.from });",
  },
];
