import * as vm from 'vm';

/**
 * Stopping synchronous code that never returns, which a try/catch cannot do:
 *
 *   runWithTimeout(() => learnerFn(input), 1000)   // its result, or throws after 1 s
 *   isTimeout(err)                                 // true for that error
 *
 * Node's vm module interrupts a script that runs past its `timeout`; the function to run is
 * parked where a tiny precompiled script finds it. Only Node built-ins: the sandbox's child
 * process loads this file too (sandbox-child.ts).
 */
// A tiny script that calls the function parked under a well-known symbol. Running it with
// vm's `timeout` interrupts synchronous code that never returns, which a try/catch cannot do.
const CALL = new vm.Script(`(function (slot) { slot.result = slot.fn(); })(globalThis[Symbol.for('kubelab.slot-call')])`, {
  filename: 'kubelab-slot-call.js',
});

/** Runs `fn` synchronously; throws an error with code ERR_SCRIPT_EXECUTION_TIMEOUT after `timeoutMs`. */
export function runWithTimeout<T>(fn: () => T, timeoutMs: number): T {
  const key = Symbol.for('kubelab.slot-call');
  const g = globalThis as unknown as Record<symbol, { fn: () => unknown; result?: unknown } | undefined>;
  const outer = g[key];
  const slot: { fn: () => unknown; result?: unknown } = { fn };
  g[key] = slot;
  try {
    CALL.runInThisContext({ timeout: timeoutMs });
    return slot.result as T;
  } finally {
    g[key] = outer;
  }
}

export function isTimeout(err: unknown): boolean {
  return (err as { code?: string })?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}
