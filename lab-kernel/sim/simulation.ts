import { performance } from 'perf_hooks';
import { EventQueue } from './event-queue';
import { unguarded, type Guard } from './guard';
import { Rng } from './rng';
import { Trace } from './trace';

/**
 * The deterministic simulation every component runs in: a virtual clock, an agenda of
 * events, seeded randomness and a trace.
 *
 * Nothing here reads the wall clock. Time only moves when the agenda says so:
 *
 *   const sim = new Simulation({ seed: 7 });
 *   sim.after(1000, () => console.log(sim.now()));   // scheduled for t = 1000 ms
 *   sim.runFor(5000);                                 // prints 1000; now() is then 5000
 *
 * The same seed and the same calls give the same trace, byte for byte.
 */
/** How long one slice of events may run before its guard's watchdog is renewed (under the slot time limit). */
const SLICE_MS = 200;

/** Where a pinning run collects the simulations it will hash (a global symbol, so it spans copies of this module). */
export const PINNED_SIMULATIONS = Symbol.for('kubelab.pinned-simulations');

export interface SimulationOptions {
  seed: number;
  /** Guard against components that schedule work forever at the same instant. */
  maxEventsPerRun?: number;
  /** The watchdog each slice of events runs under (default: none; see guard.ts). */
  guard?: Guard;
}

export interface Timer {
  readonly at: number;
  cancelled: boolean;
}

/**
 * A timer as the agenda holds it: the timer itself, with what it runs. Once it has run or is
 * cancelled, `run` lets go of the callback: a cancelled timer stays in the agenda until its
 * time, and a component may keep a timer that has fired, and neither should keep alive what
 * the callback's closure holds (a pod, a CRI callback).
 */
interface Scheduled extends Timer {
  run: () => void;
  /** It ran (cancelling it then changes nothing). */
  fired: boolean;
}

/**
 * Cancelled timers stay in the agenda until their time comes (a pod worker cancels its 60 s
 * resync at every sync); once they are most of a large agenda, it is rebuilt without them.
 */
const COMPACT_AT_LEAST = 4096;

const NOTHING = (): void => {};

export class Simulation {
  readonly seed: number;
  readonly trace = new Trace();
  private readonly agenda = new EventQueue<Scheduled>();
  private readonly streams = new Map<string, Rng>();
  private readonly root: Rng;
  private readonly maxEventsPerRun: number;
  private readonly guard: Guard;
  private clock = 0;
  /** Cancelled timers still in the agenda. */
  private cancelledInAgenda = 0;

  constructor(options: SimulationOptions) {
    this.seed = options.seed;
    this.root = new Rng(options.seed);
    this.maxEventsPerRun = options.maxEventsPerRun ?? 2_000_000;
    this.guard = options.guard ?? unguarded;
    // A pinning run (scripts/trace-pins.mjs) leaves a list here to hash every run's trace at the end.
    const pinned = (globalThis as Record<symbol, unknown>)[PINNED_SIMULATIONS];
    if (Array.isArray(pinned)) pinned.push(this);
  }

  /** Virtual time in milliseconds since the simulation started. */
  now(): number {
    return this.clock;
  }

  /** The named random stream (one per component, so components do not disturb each other). */
  rng(name: string): Rng {
    let stream = this.streams.get(name);
    if (stream === undefined) {
      stream = this.root.fork(name);
      this.streams.set(name, stream);
    }
    return stream;
  }

  /**
   * Runs `fn` after `delayMs` of virtual time (0 = after everything already due now). The
   * clock counts whole milliseconds: a fractional delay (a jittered backoff) is rounded up.
   */
  after(delayMs: number, fn: () => void): Timer {
    if (!(delayMs >= 0)) throw new RangeError(`delay must be a non-negative number of ms, got ${delayMs}`);
    const timer: Scheduled = { at: this.clock + Math.ceil(delayMs), cancelled: false, run: fn, fired: false };
    this.agenda.push(timer.at, timer);
    return timer;
  }

  cancel(timer: Timer): void {
    if (timer.cancelled) return;
    timer.cancelled = true;
    if ((timer as Scheduled).fired) return;
    (timer as Scheduled).run = NOTHING;
    this.cancelledInAgenda++;
    if (this.cancelledInAgenda >= COMPACT_AT_LEAST && this.cancelledInAgenda * 2 > this.agenda.size) {
      this.agenda.removeWhere((e) => e.cancelled);
      this.cancelledInAgenda = 0;
    }
  }

  /** Runs every event due up to now + ms, then sets the clock to now + ms. */
  runFor(ms: number): void {
    this.runUntilTime(this.clock + ms);
  }

  /** Runs every event due up to `time` (virtual ms), then sets the clock to `time`. */
  runUntilTime(time: number): void {
    if (time < this.clock) throw new RangeError(`cannot run backwards: now is ${this.clock} ms, asked for ${time} ms`);
    this.drain((next) => next <= time);
    this.clock = time;
  }

  /**
   * Runs events until `done()` holds, checking after each event; gives up at `limitMs`
   * of virtual time from now. Returns whether `done()` became true.
   */
  runUntil(done: () => boolean, limitMs: number): boolean {
    const deadline = this.clock + limitMs;
    if (done()) return true;
    let satisfied = false;
    this.drain((next) => next <= deadline, () => (satisfied = done()));
    if (!satisfied) this.clock = Math.max(this.clock, deadline);
    return satisfied;
  }

  /**
   * Runs `run` under this simulation's guard: for a component that calls pluggable code
   * outside an event (a Raft peer made or stepped by a test), so it gets the same watchdog.
   */
  guarded<T>(run: () => T): T {
    return this.guard(run);
  }

  /**
   * Runs events in slices of about SLICE_MS of wall time, each under the guard's watchdog, so
   * that a learner's endless loop in any event is cut short and named, at the cost of one
   * watchdog per slice instead of one per call.
   */
  private drain(mayRun: (time: number) => boolean, stopAfter?: () => boolean): void {
    let count = 0;
    let finished = false;
    while (!finished) {
      this.guard(() => {
        const sliceStart = performance.now(); // wall-clock: only decides when to renew the watchdog, never what runs
        for (;;) {
          const time = this.agenda.peekTime();
          if (time === undefined || !mayRun(time)) {
            finished = true;
            return;
          }
          const timer = this.agenda.pop()!;
          if (timer.cancelled) {
            this.cancelledInAgenda--;
            continue;
          }
          timer.fired = true;
          if (++count > this.maxEventsPerRun) {
            throw new Error(
              `simulation livelock: more than ${this.maxEventsPerRun} events without reaching the target time ` +
                `(virtual time stuck near ${this.clock} ms); some component keeps rescheduling itself`,
            );
          }
          this.clock = time;
          const run = timer.run;
          timer.run = NOTHING;
          run();
          if (stopAfter?.()) {
            finished = true;
            return;
          }
          // Looked at every 32 events (an event takes microseconds).
          if ((count & 31) === 0 && performance.now() - sliceStart > SLICE_MS) return; // wall-clock: only renews the watchdog, never changes what runs
        }
      });
    }
  }
}
