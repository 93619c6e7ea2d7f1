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
  private startedAt = 0;

  constructor(
    private readonly sim: Simulation,
    private current: ProcessPlan,
    readonly options: TaskOptions,
    private readonly events: TaskEvents,
  ) {}

  /** What it does: its plan, or the latest one continueWith gave it. */
  get plan(): ProcessPlan {
    return this.current;
  }

  get pid(): number {
    return this.options.pid;
  }

  start(): void {
    this.state = 'running';
    this.startedAt = this.sim.now();
    this.play(this.current, 0, 0);
    const limit = this.options.memoryLimitBytes;
    if (limit > 0 && this.current.memoryBytes > limit) this.at(OOM_AFTER_MS, () => this.exit(128 + SIGNAL_NUMBERS.SIGKILL, true));
  }

  /**
   * The rest of a command that stopped at a wget (shell-network.ts): `plan` repeats the plan so
   * far and goes further; its new lines and files, and its exit, play at their times from the start.
   */
  continueWith(plan: ProcessPlan): void {
    if (this.state !== 'running') return;
    const before = this.current;
    this.current = plan;
    this.play(plan, before.output.length, before.files?.length ?? 0);
  }

  private play(plan: ProcessPlan, fromLine: number, fromFile: number): void {
    const offset = this.startedAt - this.sim.now();
    for (const line of plan.output.slice(fromLine)) this.at(offset + line.atMs, () => this.events.output(Object.assign({}, line, { time: this.startedAt + line.atMs })));
    for (const change of (plan.files ?? []).slice(fromFile)) this.at(offset + change.atMs, () => this.events.file?.(change));
    if (plan.exitAtMs !== undefined) this.at(offset + plan.exitAtMs, () => this.exit(plan.exitCode, false));
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
