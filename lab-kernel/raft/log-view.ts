import type { SimDisk } from '../sim/disk';
import { formatTime } from '../sim/trace';
import { overrideNode } from './override-node';
import type { RaftCluster } from './raft-cluster';
import type { HardState, NewRaft, Role } from './types';

/**
 * The members' logs as a chapter draws them: for each member, the term of the entry it holds at
 * each index, how far it knows the log is committed, and whether it is running. Read from each
 * member's disk, which is exactly its log: RaftPeer writes every Ready to disk before it sends
 * anything (raft-peer.ts), and the disk outlives a crash.
 *
 *   memberLogs(cluster)
 *   // [{ member: 'raft-0', role: 'leader', term: 2, entries: [{ index: 1, term: 1 }, { index: 2, term: 2 }],
 *   //    snapshotIndex: 0, commit: 2, applied: 2 }, { member: 'raft-1', role: undefined (crashed), ... }]
 */
export interface MemberLog {
  /** What the row is called: 'raft-0', or 'S1 (raft-3)' in Figure 8. */
  member: string;
  /** Its role now, or undefined while it is crashed (the row then shows its disk). */
  role: Role | undefined;
  /** Its current term (from its disk while crashed). */
  term: number;
  /** Entries after the snapshot, in index order: each one's index and term. */
  entries: { index: number; term: number }[];
  /** Entries up to here are folded into a snapshot (0: none). */
  snapshotIndex: number;
  /** Its commit index: as far as it knows, entries up to here are committed. */
  commit: number;
  /** The last index its application applied, or undefined while it is crashed. */
  applied: number | undefined;
  /** Whether it can reach a majority right now (false for a crashed member). */
  cutOff?: boolean;
}

/** What a peer's disk holds (the layout of raft-peer.ts: hardstate, snapshot, entry/<i>, last-index). */
export function persistedLog(disk: SimDisk): { hardState: HardState; entries: { index: number; term: number }[]; snapshotIndex: number } {
  const hard = disk.read('hardstate');
  const snap = disk.read('snapshot');
  const hardState: HardState = hard ? (JSON.parse(hard) as HardState) : { term: 0, vote: null, commit: 0 };
  const snapshotIndex = snap ? (JSON.parse(snap) as { metadata: { index: number } }).metadata.index : 0;
  const last = Number(disk.read('last-index') ?? '0');
  const entries: { index: number; term: number }[] = [];
  for (let i = snapshotIndex + 1; i <= last; i++) {
    const text = disk.read(`entry/${i}`);
    if (text === undefined) break;
    entries.push({ index: i, term: (JSON.parse(text) as { term: number }).term });
  }
  return { hardState, entries, snapshotIndex };
}

/** Every member's log, in member order; `label` renames rows (Figure 8's S1..S5). */
export function memberLogs(cluster: RaftCluster, label: (peer: number) => string = (i) => cluster.names[i]): MemberLog[] {
  return cluster.names.map((_, i) => {
    const onDisk = persistedLog(cluster.disk(i));
    const s = cluster.status(i);
    return {
      member: label(i),
      role: s?.role,
      term: s ? s.term : onDisk.hardState.term,
      entries: onDisk.entries,
      snapshotIndex: onDisk.snapshotIndex,
      commit: s ? s.commit : onDisk.hardState.commit,
      applied: s?.applied,
      cutOff: !cluster.isConnected(i),
    };
  });
}

/**
 * `newRaft`, wrapped so that every entry a member applies is written down with the virtual time
 * (`now`) it was handed out for applying — the "application" of a chapter's cluster, printed:
 *
 *   const applies = recordApplies(reference, () => cluster.now());
 *   const cluster = raftCluster({ seed: 5, peers: 3, newRaft: applies.newRaft });
 *   applies.lines   // ['1.234s  raft-1 applies 2: "x=1"', ...]
 */
export function recordApplies(newRaft: NewRaft, now: () => number): { newRaft: NewRaft; lines: string[] } {
  const lines: string[] = [];
  const recorded: NewRaft = (config) => {
    const node = newRaft(config);
    return overrideNode(node, {
      ready: () => {
        const rd = node.ready();
        for (const e of rd.committedEntries) lines.push(`${formatTime(now())}  ${config.id} applies ${e.index}: ${JSON.stringify(e.data)}`);
        return rd;
      },
    });
  };
  return { newRaft: recorded, lines };
}
