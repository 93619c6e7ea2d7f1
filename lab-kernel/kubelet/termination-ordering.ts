import type { Pod } from '../api/types';
import type { Simulation } from '../sim/simulation';

/**
 * The order in which a pod's running containers get their stop signal when the pod stops
 * (kuberuntime_termination_order.go, with sidecars on as in 1.32): the app containers all at
 * once; the sidecars (init containers with restartPolicy Always) only after every app container
 * has exited, and each sidecar only after the sidecars defined after it, so they go in reverse
 * order. A container never waits longer than its grace period for its turn.
 *
 *   pod: initContainers [proxy (Always), logger (Always)], containers [app]; all running
 *   prerequisites('app')     // => []
 *   prerequisites('logger')  // => ['app']
 *   prerequisites('proxy')   // => ['app', 'logger']
 *
 * A pod without running sidecars needs no ordering (terminationOrdering returns undefined).
 */
export class TerminationOrdering {
  private readonly prereqs = new Map<string, string[]>();
  private readonly running: Set<string>;
  private readonly waiters = new Map<string, (() => void)[]>();

  constructor(
    private readonly sim: Simulation,
    pod: Readonly<Pod>,
    runningNames: readonly string[],
  ) {
    this.running = new Set(runningNames);
    const main = pod.spec.containers.map((c) => c.name);
    let later: string | undefined;
    for (const ic of [...(pod.spec.initContainers ?? [])].reverse()) {
      if (ic.restartPolicy !== 'Always') continue;
      this.prereqs.set(ic.name, later === undefined ? [...main] : [...main, later]);
      later = ic.name;
    }
  }

  prerequisites(name: string): string[] {
    return this.prereqs.get(name) ?? [];
  }

  /** waitForTurn: `done` with the seconds waited, once every prerequisite has exited or the grace period is over (no wait without one). */
  waitForTurn(name: string, graceSeconds: number, done: (waitedSeconds: number) => void): void {
    const start = this.sim.now();
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      this.sim.cancel(timer);
      done((this.sim.now() - start) / 1000);
    };
    const pending = () => this.prerequisites(name).filter((p) => this.running.has(p));
    if (graceSeconds <= 0 || pending().length === 0) return done(0);
    const timer = this.sim.after(graceSeconds * 1000, finish);
    const check = () => {
      if (pending().length === 0) finish();
    };
    for (const p of pending()) this.waiters.set(p, [...(this.waiters.get(p) ?? []), check]);
  }

  /** containerTerminated: the container has exited; whoever waited on it may go on. */
  terminated(name: string): void {
    this.running.delete(name);
    const waiting = this.waiters.get(name) ?? [];
    this.waiters.delete(name);
    for (const w of waiting) w();
  }
}

/** The ordering for stopping these running containers, or undefined when none of them is a sidecar. */
export function terminationOrdering(sim: Simulation, pod: Readonly<Pod>, runningNames: readonly string[]): TerminationOrdering | undefined {
  const sidecars = new Set((pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  return runningNames.some((n) => sidecars.has(n)) ? new TerminationOrdering(sim, pod, runningNames) : undefined;
}
