import type { Mutant } from '../mutants';

/** Realistic wrong retries: each must fail grader/suites/retry-on-conflict.test.ts (npm run mutants -- retry-on-conflict). */
const file = 'retry/retry-on-conflict.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'retries every 409, AlreadyExists too (looks at the code, not the reason)',
    file,
    find: "return status.reason === 'Conflict';",
    replace: 'return status.code === 409;',
  },
  {
    name: 'retries any failed update, not only a conflict',
    file,
    find: 'if (!isConflict(input.status) || state.attempt >= state.backoff.steps) {',
    replace: 'if (state.attempt >= state.backoff.steps) {',
  },
  {
    name: 'no backoff: reads again at once after a conflict',
    file,
    find: "return { state: { ...state, phase: 'waiting', delayMs: state.delayMs * state.backoff.factor }, action: { kind: 'wait', ms } };",
    replace: "return { state: { ...state, phase: 'getting', attempt: state.attempt + 1 }, action: { kind: 'get' } };",
  },
  {
    name: 'makes one attempt too many (attempt > steps instead of >=)',
    file,
    find: 'state.attempt >= state.backoff.steps',
    replace: 'state.attempt > state.backoff.steps',
  },
  {
    name: 'adds the jitter as milliseconds instead of a fraction of the delay',
    file,
    find: 'const ms = state.delayMs + input.random * state.backoff.jitter * state.delayMs;',
    replace: 'const ms = state.delayMs + input.random * state.backoff.jitter;',
  },
  {
    name: 'never grows the delay by the backoff factor',
    file,
    find: 'delayMs: state.delayMs * state.backoff.factor',
    replace: 'delayMs: state.delayMs',
  },
  {
    name: 'changes the object it was given instead of a copy',
    file,
    find: 'const next = structuredClone(object);',
    replace: 'const next = object as typeof object;',
  },
  {
    name: 'does not count the attempts: a retry stays attempt 1',
    file,
    find: "return { state: { ...state, phase: 'getting', attempt: state.attempt + 1 }, action: { kind: 'get' } };",
    replace: "return { state: { ...state, phase: 'getting' }, action: { kind: 'get' } };",
  },
];
