import { workerData } from 'worker_threads';

/**
 * The sandbox's watchdog: a thread of the grader's process that kills the child when a
 * request overruns its time limit (sandbox.ts). The child then reads as dead, and the parent
 * reports the call as an endless loop.
 *
 * Timing from outside costs the child nothing per call (vm's own timeout would start a
 * thread on every call), and looking every few milliseconds costs the parent nothing per call
 * either: it only writes the number of the request in flight. A request is stopped between
 * its limit and its limit plus one look.
 *
 * The parent and this thread share four numbers:
 *   [0] the request in flight (0: none)   [1] its time limit in ms   [2] the request killed
 *   [3] never written: this thread sleeps on it
 */
const LOOK_EVERY_MS = 20;
const { control, pid } = workerData as { control: SharedArrayBuffer; pid: number };
const cells = new Int32Array(control);

let seen = 0;
let since = 0;
for (;;) {
  Atomics.wait(cells, 3, 0, LOOK_EVERY_MS);
  const current = Atomics.load(cells, 0);
  const now = performance.now(); // wall-clock: a time limit on real code running in another process, not simulated time
  if (current === 0 || current !== seen) {
    seen = current;
    since = now;
  } else if (now - since >= Atomics.load(cells, 1)) {
    Atomics.store(cells, 2, current);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    break;
  }
}
