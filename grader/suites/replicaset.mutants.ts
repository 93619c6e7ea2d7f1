import type { Mutant } from '../mutants';

/** Realistic wrong reconciles: each must fail grader/suites/replicaset.test.ts (npm run mutants -- replicaset). */
const file = 'replicaset/reconcile.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'counts a pod being deleted as active (it will be gone soon)',
    file,
    find: "phase !== 'Failed' && pod.metadata.deletionTimestamp === undefined",
    replace: "phase !== 'Failed'",
  },
  {
    name: 'counts a Failed pod as active',
    file,
    find: "return phase !== 'Succeeded' && phase !== 'Failed' &&",
    replace: "return phase !== 'Succeeded' &&",
  },
  {
    name: 'ignores the burst limit: creates every missing pod at once',
    file,
    find: 'i < Math.min(-diff, BURST_REPLICAS)',
    replace: 'i < -diff',
  },
  {
    name: 'deletes the oldest pods first instead of the newest',
    file,
    find: 'return createdA > createdB ? -1 : 1;',
    replace: 'return createdA < createdB ? -1 : 1;',
  },
  {
    name: 'deletes a scheduled pod before an unscheduled one',
    file,
    find: 'if (assignedA !== assignedB) return assignedA - assignedB;',
    replace: 'if (assignedA !== assignedB) return assignedB - assignedA;',
  },
  {
    name: 'counts every Ready pod as available, ignoring minReadySeconds',
    file,
    find: 'if (minReadyMs === 0) return true;',
    replace: 'return true;',
  },
  {
    name: 'reports the status over all pods, finished ones included',
    file,
    find: '    replicas: active.length,',
    replace: '    replicas: input.pods.length,',
  },
];
