import { it } from 'vitest';
import { slotGuard } from '../lab-kernel/cluster/exercise-code';
import { SLOTS } from '../lab-kernel/slots/registry';
import { runScenario, type RaftCluster, type RaftClusterOptions } from '../lab-kernel/raft/raft-cluster';
import { replayCommand } from './grade';
import { QUICK, runtimeSlot, seeds, SOURCE, timeLimit } from './harness';

/**
 * What the four Raft suites share: two kinds of test, each starting with the part's own check
 * (so that on an untouched stub every test fails with that part's "not implemented yet").
 *
 *   const { paper, scenario } = raftSuite('raft-replication', partCheck);
 *   paper('§5.3: ...', () => { ...one node driven by hand... });
 *   scenario('basic agreement', { peers: 3, runs: 5 }, (cluster) => { ...6.5840-style... });
 *
 * A scenario runs once per seed (KUBELAB_SEEDS for more); a failure names the seed, the
 * replay command and the last seconds of the timeline. The parts after the one graded are not
 * expected yet: in a scenario, a message whose handling reaches one of their "not implemented
 * yet" is dropped, and the cluster's trace says so (laterParts, lab-kernel/raft/raft-peer.ts).
 */
export interface ScenarioOptions {
  peers: number;
  /** How many seeds by default. */
  runs: number;
  /** False: a lossy, reordering network from the start. */
  reliable?: boolean;
  /** Options for every node (preVote, checkQuorum...). Default: etcd's defaults, both off. */
  config?: RaftClusterOptions['config'];
  /** Left out of watch mode's quick check (KUBELAB_QUICK): a long scenario whose bugs a shorter one also shows. */
  slow?: true;
}

export function raftSuite(exercise: string, partCheck: () => void, cluster: { snapshotEvery?: number } = {}) {
  const laterParts = laterRaftParts(exercise);
  const newRaft = runtimeSlot('raft');
  const paper = (name: string, body: () => void): void => {
    it(name, () => {
      partCheck();
      body();
    });
  };
  const scenario = (name: string, options: ScenarioOptions, body: (c: RaftCluster) => void): void => {
    (QUICK && options.slow ? it.skip : it)(
      name,
      () => {
        partCheck();
        const { runs, slow: _slow, ...rest } = options;
        runScenario({ ...rest, ...cluster, laterParts, newRaft, guard: slotGuard(), seeds: seeds(runs), replay: (seed) => replayCommand(exercise, seed, SOURCE) }, body);
      },
      timeLimit(options.runs),
    );
  };
  return { paper, scenario };
}

/** The Raft parts after `exercise`, in the registry's order: laterRaftParts('raft-replication') => ['raft-persistence', 'raft-snapshots']. */
export function laterRaftParts(exercise: string): string[] {
  const parts = SLOTS.raft.exercises;
  return parts.slice(parts.indexOf(exercise) + 1);
}
