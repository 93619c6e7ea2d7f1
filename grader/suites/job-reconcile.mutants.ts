import type { Mutant } from '../mutants';

/** Realistic wrong Job decisions: each must fail grader/suites/job-reconcile.test.ts (npm run mutants -- job-reconcile). */
const file = 'job/job-plan.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'doubles the back-off once too often (20 s after the first failure)',
    file,
    find: 'POD_FAILURE_BACKOFF_MS * 2 ** (b.failuresAfterLastSuccess - 1)',
    replace: 'POD_FAILURE_BACKOFF_MS * 2 ** b.failuresAfterLastSuccess',
  },
  {
    name: 'never caps the back-off at 10 minutes',
    file,
    find: 'const delay = Math.min(POD_FAILURE_BACKOFF_MS * 2 ** (b.failuresAfterLastSuccess - 1), MAX_POD_FAILURE_BACKOFF_MS);',
    replace: 'const delay = POD_FAILURE_BACKOFF_MS * 2 ** (b.failuresAfterLastSuccess - 1);',
  },
  {
    name: 'fails the Job at backoffLimit failures instead of one more',
    file,
    find: 'if (failed > backoffLimit || pastOnFailure)',
    replace: 'if (failed >= backoffLimit || pastOnFailure)',
  },
  {
    name: 'ignores the restarts of running pods under OnFailure',
    file,
    find: 'if (failed > backoffLimit || pastOnFailure)',
    replace: 'if (failed > backoffLimit)',
  },
  {
    name: 'forgets activeDeadlineSeconds',
    file,
    find: 'if (spec.activeDeadlineSeconds !== undefined && nowMs - startedMs >= spec.activeDeadlineSeconds * 1000) {',
    replace: 'if (false) {',
  },
  {
    name: 'completes a Job without completions while pods still run',
    file,
    find: ': succeeded > 0 && activePods.length === 0;',
    replace: ': succeeded > 0;',
  },
  {
    name: 'counts succeeded pods, not distinct indexes, for an Indexed Job',
    file,
    find: "const done = indexed ? [...Array(completions!).keys()].every((i) => succeededIndexes.includes(i))",
    replace: "const done = indexed ? succeeded >= completions!",
  },
  {
    name: 'runs parallelism pods even when less work is left',
    file,
    find: ': completions !== undefined ? Math.min(parallelism, completions - succeeded)',
    replace: ': completions !== undefined ? parallelism',
  },
  {
    name: 'creates pods while the back-off still runs',
    file,
    find: '  if (wait > 0) return { ...none, requeueAfterMs: wait };\n',
    replace: '',
  },
  {
    name: 'deletes the oldest pods instead of the newest',
    file,
    find: 'String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp))',
    replace: 'String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp))',
  },
  {
    name: 'gives a new pod an index that is already running',
    file,
    find: '.filter((i) => !succeededIndexes.includes(i) && !running.has(i))',
    replace: '.filter((i) => !succeededIndexes.includes(i))',
  },
];
