import type { Mutant } from '../mutants';

/**
 * Realistic wrong restarts: each must fail grader/suites/raft-persistence.test.ts
 * (npm run mutants -- raft-persistence). The most likely mistake comes first.
 */
const file = 'raft/persistence.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'forgets the vote on restart: only the term comes back, so it can vote twice in a term',
    file,
    find: '  r.vote = hs.vote;',
    replace: '',
  },
  {
    name: 'restores without the snapshot: ignores the snapshot on disk and starts the log at 1',
    file,
    find: '  if (snapshot !== null) {\n    log.offset = snapshot.metadata.index + 1;',
    replace: '  if (snapshot !== null && false) {\n    log.offset = snapshot.metadata.index + 1;',
  },
  {
    name: 'forgets the snapshot’s term: the log after a snapshot looks as if it started at term 0',
    file,
    find: '    log.snapshotTerm = snapshot.metadata.term;',
    replace: '',
  },
  {
    name: 'keeps the stored entries that the snapshot already covers',
    file,
    find: 'log.entries = entries.filter((e) => e.index >= log.offset);',
    replace: 'log.entries = [...entries];',
  },
  {
    name: 'accepts stored entries with a gap in them',
    file,
    find: "    if (e.index !== log.offset + i) throw new Error(`raft log: stored entries must follow on from ${log.offset - 1}; found ${e.index} at position ${i}`);",
    replace: '',
  },
  {
    name: 'trusts a disk that says more is committed than its log holds',
    file,
    find: "  if (hs.commit > r.log.lastIndex()) throw new Error(`raft: persisted commit ${hs.commit} is past the last persisted entry ${r.log.lastIndex()}`);",
    replace: '',
  },
  {
    name: 'restores the commit index below the snapshot (a snapshot is committed by definition)',
    file,
    find: 'r.log.committed = Math.max(hs.commit, r.log.snapshotIndex());',
    replace: 'r.log.committed = hs.commit;',
  },
  {
    name: 'does not restore the commit index: applies nothing again until a leader says so',
    file,
    find: 'r.log.committed = Math.max(hs.commit, r.log.snapshotIndex());',
    replace: 'r.log.committed = r.log.snapshotIndex();',
  },
  {
    name: 'thinks the application kept its state across the crash: marks the committed entries as applied',
    file,
    find: 'r.log.committed = Math.max(hs.commit, r.log.snapshotIndex());',
    replace: 'r.log.committed = r.log.applying = r.log.applied = Math.max(hs.commit, r.log.snapshotIndex());',
  },
  {
    name: 'marks nothing read from disk as stable: hands the whole log out to be persisted again',
    file,
    find: '  log.stabled = log.lastIndex();',
    replace: '  log.stabled = log.offset - 1;',
  },
  {
    name: 'loads the hard state before the log, so the commit index is checked against an empty log',
    file,
    find: '  loadLog(r.log, state.snapshot, state.entries);\n  loadState(r, state.hardState);',
    replace: '  loadState(r, state.hardState);\n  loadLog(r.log, state.snapshot, state.entries);',
  },
  {
    name: 'starts the log at the snapshot’s index rather than right after it',
    file,
    find: '    log.offset = snapshot.metadata.index + 1;',
    replace: '    log.offset = snapshot.metadata.index;',
  },
];
