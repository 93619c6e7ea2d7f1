import { loadSlot, type SlotId, type SlotSource, type SlotTypes } from '../lab-kernel/slots/slots';

/**
 * What every grader suite shares: which code is under test, and the seed of its simulations.
 *
 *   KUBELAB_GRADE_SOURCE=exercise (default) | solution   — set by `npm run grade [--solutions]`
 *   KUBELAB_SEED=<n> (default 1)                          — set by `npm run grade -- <id> --seed <n>`
 */
export const SOURCE: SlotSource = process.env.KUBELAB_GRADE_SOURCE === 'solution' ? 'solution' : 'exercise';

export const SEED = Number(process.env.KUBELAB_SEED ?? '1');

/**
 * The slot's function as the learner wrote it. If the file cannot even be loaded (a syntax
 * error, an endless loop at top level), every call throws that same error, so each test
 * fails with the reason rather than the whole suite crashing.
 */
export function slotUnderTest<K extends SlotId>(id: K): SlotTypes[K] {
  try {
    return loadSlot(id, SOURCE);
  } catch (err) {
    const fail = () => {
      throw err;
    };
    return fail as unknown as SlotTypes[K];
  }
}
