/**
 * A watchdog over a stretch of work that may run someone else's code: `guard(run)` runs
 * `run` and returns what it returns, or cuts it short with an error if it never ends.
 *
 * The simulation runs each slice of its events through the guard it was given; whoever
 * plugs a learner's code into a cluster (cluster/, the grader) gives it the exercise slots'
 * watchdog, so an endless loop in any event is cut short and named:
 *
 *   new Simulation({ seed: 1 })                                      // runs events as they are
 *   new Simulation({ seed: 1, guard: (run) => inSlotSection(run) })  // under the slots' watchdog
 *
 * The kernel itself never needs one: its own code always returns.
 */
export type Guard = <T>(run: () => T) => T;

export const unguarded: Guard = (run) => run();
