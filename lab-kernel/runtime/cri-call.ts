import type { Simulation } from '../sim/simulation';
import type { CriCallback } from './cri';
import { CriError } from './cri-error';

/**
 * How the simulated runtime answers a CRI call: `work` runs when the call completes, `delayMs`
 * of virtual time later, and its result — or the CriError it throws — goes to the caller.
 *
 *   answerAfter(sim, 40, done, () => ({ containerId: id }))   // done(undefined, { containerId }) at now + 40 ms
 *   answerAfter(sim, 1, done, () => { throw containerNotFound(id); })  // done(CriError NotFound) at now + 1 ms
 */
export function answerAfter<T>(sim: Simulation, delayMs: number, done: CriCallback<T>, work: () => T): void {
  sim.after(delayMs, () => answerNow(done, work));
}

/** The same, at once (the caller has already waited). */
export function answerNow<T>(done: CriCallback<T>, work: () => T): void {
  let res: T;
  try {
    res = work();
  } catch (e) {
    if (e instanceof CriError) return done(e);
    throw e;
  }
  done(undefined, res);
}
