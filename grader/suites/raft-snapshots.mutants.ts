import type { Mutant } from '../mutants';

/**
 * Realistic wrong snapshots: each must fail grader/suites/raft-snapshots.test.ts
 * (npm run mutants -- raft-snapshots). The most likely mistake comes first.
 */
const file = 'raft/snapshots.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'installs a snapshot at or below its commit index, rolling back what it had committed',
    file,
    find: '  if (s.metadata.index <= r.log.committed) return false;',
    replace: '',
  },
  {
    name: 'does not discard the log after installing a snapshot: keeps old entries past its index',
    file,
    find: '  log.entries = [];\n  log.offset = index + 1;',
    replace: '  log.entries = log.entries.slice(index + 1 - log.offset);\n  log.offset = index + 1;',
  },
  {
    name: 'discards its whole log even when the log holds the snapshot’s last entry',
    file,
    find: '  if (r.log.matchTerm(s.metadata.index, s.metadata.term)) {\n    r.log.commitTo(s.metadata.index);\n    return false;\n  }',
    replace: '',
  },
  {
    name: 'holding the snapshot’s last entry, does not commit up to it',
    file,
    find: '    r.log.commitTo(s.metadata.index);\n    return false;',
    replace: '    return false;',
  },
  {
    name: 'compaction records the snapshot but never drops the entries it covers',
    file,
    find: '  log.entries = log.entries.slice(index + 1 - log.offset);\n  log.offset = index + 1;\n  log.snapshotTerm = term;\n',
    replace: '',
  },
  {
    name: 'does not commit the installed snapshot’s index',
    file,
    find: '  log.committed = index;\n  log.stabled = index;',
    replace: '  log.stabled = index;',
  },
  {
    name: 'compaction takes the term of the last entry as the snapshot’s term',
    file,
    find: '  const term = log.term(index) as number;',
    replace: '  const term = log.lastTerm();',
  },
  {
    name: 'compacts past what the application has applied',
    file,
    find: '  if (index > r.log.applied) throw new RangeError',
    replace: '  if (index > r.log.committed) throw new RangeError',
  },
  {
    name: 'keeps replicating to a follower while its snapshot is on the way (sends it again and again)',
    file,
    find: '  pr.becomeSnapshot(snapshot.metadata.index);',
    replace: '',
  },
  {
    name: 'answers a snapshot it did not need with its last index rather than its commit index',
    file,
    find: "    r.send({ type: 'MsgAppResp', to: m.from, index: r.log.committed });",
    replace: "    r.send({ type: 'MsgAppResp', to: m.from, index: r.log.lastIndex() });",
  },
];
