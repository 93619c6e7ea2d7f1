import type { Mutant } from '../mutants';

/**
 * Realistic wrong replications: each must fail grader/suites/raft-replication.test.ts
 * (npm run mutants -- raft-replication). The most likely mistake comes first.
 */
const file = 'raft/replication.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'Figure 8: commits an entry of an earlier term by counting its replicas',
    file,
    find: 'if (index > log.committed && log.term(index) === term) {',
    replace: 'if (index > log.committed) {',
  },
  {
    name: 'a follower commits up to min(leaderCommit, its own last index), not the last index this message vouches for',
    file,
    find: 'log.commitTo(Math.min(commit, lastNew));',
    replace: 'log.commitTo(Math.min(commit, log.lastIndex()));',
  },
  {
    name: 'truncates the log at every AppendEntries that matches, even a stale one that holds nothing new',
    file,
    find: 'if (conflict !== 0) log.append(entries.slice(conflict - prevIndex - 1));',
    replace: 'log.append(entries);',
  },
  {
    name: 'looks only at where the log ends, never at terms: keeps an entry that conflicts with the leader’s',
    file,
    find: 'if (!log.matchTerm(e.index, e.term)) return e.index;',
    replace: 'if (e.index > log.lastIndex()) return e.index;',
  },
  {
    name: 'the consistency check only asks that the log be long enough, not that the term at prevLogIndex match',
    file,
    find: 'if (!log.matchTerm(prevIndex, prevTerm)) return -1;',
    replace: 'if (prevIndex > log.lastIndex()) return -1;',
  },
  {
    name: 'commits at the median match ((n-1)/2): half of an even-sized cluster is not a majority',
    file,
    find: 'return commitIfOfTerm(r.log, matches[r.quorum() - 1], r.term);',
    replace: 'return commitIfOfTerm(r.log, matches[Math.floor((r.voters.length - 1) / 2)], r.term);',
  },
  {
    name: 'sorts the matches low to high before taking the quorum-th (right only for odd sizes)',
    file,
    find: '.sort((x, y) => y - x);',
    replace: '.sort((x, y) => x - y);',
  },
  {
    name: 'leaves the leader’s own log out of the commit count',
    file,
    find: 'const matches = r.voters.map((id) => r.pr(id).match)',
    replace: 'const matches = r.voters.filter((id) => id !== r.id).map((id) => r.pr(id).match)',
  },
  {
    name: 'ReadIndex: serves a read before the new leader committed an entry of its own term',
    file,
    find: '  } else if (r.log.term(r.log.committed) !== r.term) {\n    r.pendingReads.push(m);\n  } else {',
    replace: '  } else {',
  },
  {
    name: 'ReadIndex: answers a read at once from the commit index, without a heartbeat round',
    file,
    find: '    r.readOnly.add(r.log.committed, m.from, m.context);\n    r.confirmReads();',
    replace: '    r.answerRead(m.from, r.log.committed, m.context);',
  },
  {
    name: 'ReadIndex: one follower’s echo confirms a read, whatever the size of the cluster',
    file,
    find: 'for (const req of r.readOnly.confirmed(r.voters))',
    replace: 'for (const req of r.readOnly.confirmed([r.id, m.from]))',
  },
  {
    name: 'backs up nextIndex one entry per rejection, ignoring the follower’s hint',
    file,
    find: 'if (pr.maybeDecrTo(m.index, hint)) {',
    replace: 'if (pr.maybeDecrTo(m.index, m.index - 1)) {',
  },
  {
    name: 'a heartbeat answer never prompts the leader to send what the follower still lacks',
    file,
    find: "  if (pr.match < r.log.lastIndex() || pr.state === 'probe') r.sendAppend(m.from);",
    replace: '',
  },
  {
    name: 'keeps streaming to a follower that rejected an append, instead of probing it again',
    file,
    find: "      if (pr.state === 'replicate') pr.becomeProbe();",
    replace: '',
  },
  {
    name: 'ReadIndex: reads that waited for the first commit of the term are never released',
    file,
    find: '      r.releasePendingReads();',
    replace: '',
  },
];
