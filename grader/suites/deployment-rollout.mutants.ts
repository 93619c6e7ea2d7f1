import type { Mutant } from '../mutants';

/** Realistic wrong rolling-update steps: each must fail grader/suites/deployment-rollout.test.ts (npm run mutants -- deployment-rollout). */
const file = 'deployment/rollout.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'rounds maxSurge down (2.5 becomes 2)',
    file,
    find: 'const surge = scaled(maxSurge, true);',
    replace: 'const surge = scaled(maxSurge, false);',
  },
  {
    name: 'rounds maxUnavailable up (2.5 becomes 3)',
    file,
    find: 'let unavailable = scaled(maxUnavailable, false);',
    replace: 'let unavailable = scaled(maxUnavailable, true);',
  },
  {
    name: 'forgets the rule that both 0 make maxUnavailable 1',
    file,
    find: '  if (surge === 0 && unavailable === 0) unavailable = 1;\n',
    replace: '',
  },
  {
    name: 'lets the new ReplicaSet grow past spec.replicas when the surge allows',
    file,
    find: 'Math.min(maxTotal - current, replicas - newRS.replicas)',
    replace: 'maxTotal - current',
  },
  {
    name: 'counts only the new ReplicaSet against the surge, not the old ones',
    file,
    find: 'const current = input.oldRSs.reduce((sum, rs) => sum + rs.replicas, newRS.replicas);',
    replace: 'const current = newRS.replicas;',
  },
  {
    name: 'scales old ones down before the new pods are available (ignores the new unavailable pods)',
    file,
    find: 'const maxScaledDown = oldPods + newRS.replicas - minAvailable - newUnavailable;',
    replace: 'const maxScaledDown = oldPods + newRS.replicas - minAvailable;',
  },
  {
    name: 'scales down below replicas - maxUnavailable available: counts pods, not available pods',
    file,
    find: 'const available = old.reduce((sum, rs) => sum + rs.available, newRS.available);',
    replace: 'const available = old.reduce((sum, rs) => sum + rs.replicas, newRS.replicas);',
  },
  {
    name: 'counts the available pods of old ReplicaSets already at 0 (their status lags)',
    file,
    find: 'const available = old.reduce((sum, rs) => sum + rs.available, newRS.available);',
    replace: 'const available = input.oldRSs.reduce((sum, rs) => sum + rs.available, newRS.available);',
  },
  {
    name: 'does not stop when an old ReplicaSet reports more available pods than replicas',
    file,
    find: '    if (rs.available > rs.replicas) return steps;\n',
    replace: '    if (rs.available > rs.replicas) continue;\n',
  },
  {
    name: 'never cleans up unhealthy old replicas first',
    file,
    find: '    if (rs.replicas === rs.available) continue;\n',
    replace: '    continue;\n',
  },
  {
    name: 'scales the newest old ReplicaSet down first',
    file,
    find: 'const old = input.oldRSs.filter((rs) => rs.replicas > 0).map((rs) => ({ ...rs }));',
    replace: 'const old = input.oldRSs.filter((rs) => rs.replicas > 0).map((rs) => ({ ...rs })).reverse();',
  },
];
