import { loadSlot, type SlotId, type SlotSource, type SlotTypes } from '../lab-kernel/slots/slots';

/**
 * What every grader suite shares: which code is under test, and the seed of its simulations.
 *
 *   KUBELAB_GRADE_SOURCE=exercise (default) | solution   — set by `npm run grade [--solutions]`
 *   KUBELAB_SEED=<n> (default 1)                          — set by `npm run grade -- <id> --seed <n>`
 *   KUBELAB_SEEDS=<n>                                     — run multi-seed scenarios on n seeds instead of their default
 *   KUBELAB_QUICK=1                                       — watch mode's quick check: scenarios marked slow are skipped
 */
export const SOURCE: SlotSource = process.env.KUBELAB_GRADE_SOURCE === 'solution' ? 'solution' : 'exercise';

export const SEED = Number(process.env.KUBELAB_SEED ?? '1');

/** Watch mode's quick check (grader/cli.ts): one seed per scenario, and the slow scenarios left for the full run. */
export const QUICK = process.env.KUBELAB_QUICK === '1';

/**
 * The slot's function as the learner wrote it. If the file cannot even be loaded (a syntax
 * error, an endless loop at top level), every call throws that same error, so each test
 * fails with the reason rather than the whole suite crashing.
 */
export function slotUnderTest<K extends SlotId>(id: K): SlotTypes[K] {
  return loaded(id, true);
}

/**
 * The slot's function for a runtime of the kernel to call (a Raft scenario's peers): the same
 * code, but a Raft node in the sandbox carries out its Readys ahead, one request per event
 * (lab-kernel/slots/sandbox.ts, DrivenRaftNode), where slotUnderTest's answers each call.
 */
export function runtimeSlot<K extends SlotId>(id: K): SlotTypes[K] {
  return loaded(id, false);
}

function loaded<K extends SlotId>(id: K, exact: boolean): SlotTypes[K] {
  try {
    return loadSlot(id, SOURCE, { exact });
  } catch (err) {
    const fail = () => {
      throw err;
    };
    return fail as unknown as SlotTypes[K];
  }
}

/** Seeds for a scenario run on several seeds: `n` from SEED on, or KUBELAB_SEEDS of them when set. */
export function seeds(n: number): number[] {
  const count = Number(process.env.KUBELAB_SEEDS) || n;
  return Array.from({ length: count }, (_, i) => SEED + i);
}

/** A test's time limit: room for its runs (about 10 s of wall time each at most), and never under 30 s. */
export function timeLimit(runs: number): number {
  return Math.max(30_000, 10_000 * seeds(runs).length);
}
