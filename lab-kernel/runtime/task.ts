import type { Simulation, Timer } from '../sim/simulation';
import type { ProcessPlan } from './container-process';
import type { FileChange, OutputLine } from './shell';

/**
 * A running container process — containerd's "task" — playing its ProcessPlan in virtual
 * time: it prints its lines, writes and removes its files, exits when the plan says, reacts to signals, and is OOM-killed
 * if it needs more memory than its cgroup allows.
 *
 *   const task = new Task(sim, plan, { pid: 4242, memoryLimitBytes: 104_857_600, shutdownMs: 12 }, events);
 *   task.start();
 *   task.signal('SIGTERM');  // nginx: exits 0 after shutdownMs; `sleep` as PID 1: nothing happens
 *   task.signal('SIGKILL');  // always: exits 137 (128 + 9) at once
 *   // a plan needing 250M under a 100Mi limit: OOM-killed OOM_AFTER_MS after start, 137, oomKilled
 *
 * Exit codes are a shell's: the process's own code, or 128 + the signal's number when a
 * signal killed it.
 */
export type Signal = 'SIGTERM' | 'SIGQUIT' | 'SIGKILL';

export const SIGNAL_NUMBERS: Readonly<Record<Signal, number>> = { SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };

/** How long after start a process that needs more memory than its limit reaches it and is killed. */
export const OOM_AFTER_MS = 100;

export interface TaskOptions {
  /** The host's PID of the process. */
  pid: number;
  /** The cgroup's memory limit; 0 = none. */
  memoryLimitBytes: number;
  /** How long a process with a handler takes to shut down on its stop signal. */
  shutdownMs: number;
}

export interface TaskEvents {
  output(line: OutputLine & { time: number }): void;
  exited(exitCode: number, oomKilled: boolean): void;
  /** A file it writes or removes, when it does. */
  file?(change: FileChange): void;
}

export class Task {
  state: 'created' | 'running' | 'exited' = 'created';
  exitCode: number | undefined;
  private readonly timers: Timer[] = [];
  private readonly waiters: (() => void)[] = [];

  constructor(
    private readonly sim: Simulation,
    readonly plan: ProcessPlan,
    readonly options: TaskOptions,
    private readonly events: TaskEvents,
  ) {}

  get pid(): number {
    return this.options.pid;
  }

  start(): void {
    this.state = 'running';
    const start = this.sim.now();
    for (const line of this.plan.output) this.at(line.atMs, () => this.events.output({ ...line, time: start + line.atMs }));
    for (const change of this.plan.files ?? []) this.at(change.atMs, () => this.events.file?.(change));
    const limit = this.options.memoryLimitBytes;
    if (limit > 0 && this.plan.memoryBytes > limit) this.at(OOM_AFTER_MS, () => this.exit(128 + SIGNAL_NUMBERS.SIGKILL, true));
    if (this.plan.exitAtMs !== undefined) this.at(this.plan.exitAtMs, () => this.exit(this.plan.exitCode, false));
  }

  /** Delivers a signal; returns whether the process will die of it. */
  signal(signal: Signal): boolean {
    if (this.state !== 'running') return false;
    if (signal === 'SIGKILL') {
      this.at(0, () => this.exit(128 + SIGNAL_NUMBERS.SIGKILL, false));
      return true;
    }
    const handler = this.plan.onStopSignal;
    if (handler === undefined) return false;
    this.at(this.options.shutdownMs, () => this.exit(handler.exitCode, false));
    return true;
  }

  /** Runs `fn` once the process has exited (at once if it has). */
  whenExited(fn: () => void): void {
    if (this.state === 'exited') fn();
    else this.waiters.push(fn);
  }

  private at(delayMs: number, fn: () => void): void {
    this.timers.push(this.sim.after(delayMs, () => this.state === 'running' && fn()));
  }

  private exit(code: number, oomKilled: boolean): void {
    this.state = 'exited';
    this.exitCode = code;
    for (const t of this.timers) this.sim.cancel(t);
    this.events.exited(code, oomKilled);
    for (const fn of this.waiters.splice(0)) fn();
  }
}
