import type { Pod, ReplicaSet } from '../api/types';

/**
 * A rollout as its ReplicaSets saw it: a sample each time any ReplicaSet's wanted count, or the
 * number of its pods or of its ready pods, changes: read once before the cluster runs, then
 * after every event of the simulation. Pods are counted from the pods themselves (by their controller's
 * owner reference), not from the ReplicaSets' status, which lags behind them: a pod counts
 * while it exists, has not finished and is not Terminating (as a ReplicaSet counts it).
 *
 *   const samples = recordReplicaSets(cluster, () => ({ replicaSets: kubectl.getObjects('replicasets'), pods: kubectl.getObjects('pods') }), (s) => done(s));
 *   // => [{ at: 3472, sets: { 'web-655b5d595c': { wanted: 3, current: 3, ready: 3 }, 'web-5b447597bd': { wanted: 1, current: 0, ready: 0 } } }, ...]
 *
 * It stops once `done` says so for the latest sample, or after `limitMs` of virtual time.
 */
export interface ReplicaSetCounts {
  /** spec.replicas */
  wanted: number;
  /** its pods: not finished, not Terminating */
  current: number;
  /** those of them that are Ready */
  ready: number;
}
export interface ReplicaSetSample {
  at: number;
  sets: Record<string, ReplicaSetCounts>;
}
export interface Runner {
  now(): number;
  runUntil(done: () => boolean, limitMs?: number): boolean;
}

export function recordReplicaSets(
  cluster: Runner,
  read: () => { replicaSets: readonly Readonly<ReplicaSet>[]; pods: readonly Readonly<Pod>[] },
  done: (latest: ReplicaSetSample) => boolean,
  limitMs = 60_000,
): ReplicaSetSample[] {
  const samples: ReplicaSetSample[] = [];
  let last = '';
  const sample = () => {
    const sets: Record<string, ReplicaSetCounts> = {};
    const { replicaSets, pods } = read();
    for (const rs of replicaSets) {
      const own = pods.filter((p) => counts(p) && p.metadata.ownerReferences?.some((r) => r.controller && r.uid === rs.metadata.uid));
      sets[rs.metadata.name!] = { wanted: rs.spec.replicas ?? 1, current: own.length, ready: own.filter(isReady).length };
    }
    const key = JSON.stringify(sets);
    if (key !== last) samples.push({ at: cluster.now(), sets });
    last = key;
    return done(samples[samples.length - 1]);
  };
  if (!sample()) cluster.runUntil(sample, limitMs);
  return samples;
}

const counts = (p: Readonly<Pod>) => p.metadata.deletionTimestamp === undefined && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';
const isReady = (p: Readonly<Pod>) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/**
 * The samples as table rows, a column per ReplicaSet (in the order of `columns`: name => title),
 * time in seconds from `since`, and the totals a rolling update is bounded by. A ReplicaSet's
 * cell is its wanted count, then a dot per pod: ● ready, ○ not ready yet.
 *
 *   timelineRows(samples, t0, { 'web-655b5d595c': 'old', 'web-5b447597bd': 'new' })
 *   // => [{ 't (s)': '0.0', old: '3 ●●●', new: '1 ', pods: 3, ready: 3 },
 *   //     { 't (s)': '1.5', old: '3 ●●●', new: '1 ○', pods: 4, ready: 3 }, ...]
 */
export function timelineRows(samples: readonly ReplicaSetSample[], since: number, columns: Readonly<Record<string, string>>): Record<string, string | number>[] {
  return samples.map(({ at, sets }) => {
    const row: Record<string, string | number> = { 't (s)': ((at - since) / 1000).toFixed(1) };
    for (const [name, title] of Object.entries(columns)) {
      const c = sets[name] ?? { wanted: 0, current: 0, ready: 0 };
      row[title] = `${c.wanted} ${'●'.repeat(c.ready)}${'○'.repeat(Math.max(0, c.current - c.ready))}`;
    }
    const all = Object.values(sets);
    row.pods = all.reduce((n, c) => n + c.current, 0);
    row.ready = all.reduce((n, c) => n + c.ready, 0);
    return row;
  });
}
