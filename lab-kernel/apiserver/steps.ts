/**
 * Request handlers written as generators, so code that waits for etcd (or a kubelet) reads
 * top to bottom like ordinary code:
 *
 *   function* getPod(key: string): Steps<KubeObject> {
 *     const kv = yield* wait<KeyValue>((done) => storage.get(key, done));   // may resume later
 *     if (kv === undefined) throw notFound(...);
 *     return decode(kv);
 *   }
 *   runSteps(getPod('/registry/pods/default/web'), (obj) => reply(obj), (err) => replyError(err));
 *
 * Each `yield` hands the driver a function that starts the wait; the driver resumes the
 * generator with the result, or throws the error into it. Nothing here reads time: whether the
 * answer comes at once or after simulated network delays is up to whoever calls `done`.
 */
export type Resume = (result: unknown) => void;
/** A wait the driver starts: call `resume` exactly once with the result (an Error fails the step). */
export type Wait = (resume: Resume) => void;
export type Steps<T> = Generator<Wait, T, unknown>;

/** Waits for one callback; an Error result is thrown at the `yield*`. */
export function* wait<T>(start: (done: (result: T | Error) => void) => void): Steps<T> {
  return (yield start as Wait) as T;
}

/** Runs a generator to the end, calling `ok` with its result or `fail` with what it threw. */
export function runSteps<T>(steps: Steps<T>, ok: (value: T) => void, fail: (err: unknown) => void): void {
  const advance = (input: unknown, throwIt: boolean): void => {
    let next: IteratorResult<Wait, T>;
    try {
      next = throwIt ? steps.throw(input) : steps.next(input);
    } catch (err) {
      return fail(err);
    }
    // (Casts, because tslab's non-strict TypeScript 5.0 does not narrow IteratorResult on `done`.)
    if (next.done) return ok(next.value as T);
    let resumed = false;
    (next.value as Wait)((result) => {
      if (resumed) throw new Error('a wait was resumed twice');
      resumed = true;
      advance(result, result instanceof Error);
    });
  };
  advance(undefined, false);
}
