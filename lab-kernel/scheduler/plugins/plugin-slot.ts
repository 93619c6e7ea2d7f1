import { loadSlot, SlotError, type SlotId, type SlotSource, type SlotTypes } from '../../slots/slots';
import { error, type Status } from '../framework-types';

/**
 * How a kernel plugin gets the pure function it wraps from an exercise slot: the reference
 * solution, called directly (the scheduler calls plugins once per node per pod), or the
 * learner's code, always guarded.
 *
 *   const fit = pluginSlot('node-resources-fit', 'exercise');   // exercises/scheduler/node-resources-fit.ts, guarded
 *   const fit = pluginSlot('node-resources-fit');               // solutions/..., unguarded
 */
export function pluginSlot<K extends SlotId>(id: K, source: SlotSource = 'solution'): SlotTypes[K] {
  return loadSlot(id, source, source === 'solution' ? { trustSolution: true } : {});
}

/** The arguments every slot-backed plugin factory accepts: which code runs its slot. */
export interface SlotPluginArgs {
  source?: SlotSource;
}

/**
 * Runs a slot call; learner code that fails (not implemented, throws, loops) becomes the
 * framework's Error status, which sends the pod back to the queue with backoff, as a
 * plugin error does in kube-scheduler.
 *
 *   guardedCall(() => fit(input))   // => { value: result } or { failure: Error status "node-resources-fit (exercise): ..." }
 */
export function guardedCall<T>(call: () => T): { value?: T; failure?: Status } {
  try {
    return { value: call() };
  } catch (err) {
    if (err instanceof SlotError) return { failure: error(err.message) };
    throw err;
  }
}
