import type { Mutant } from '../mutants';

/** Realistic wrong HPA replica calculations: each must fail grader/suites/hpa-replicas.test.ts (npm run mutants -- hpa-replicas). */
const file = 'podautoscaler/hpa-replicas.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'rounds the replicas down (floor instead of ceil)',
    file,
    find: 'return { replicas: Math.ceil(ratio * groups.readyCount), utilization, averageMilli };',
    replace: 'return { replicas: Math.floor(ratio * groups.readyCount), utilization, averageMilli };',
  },
  {
    name: 'applies the tolerance to the utilization in percentage points instead of the ratio',
    file,
    find: 'if (Math.abs(1 - ratio) <= TOLERANCE) return keep;',
    replace: 'if (Math.abs(utilization - target) <= TOLERANCE) return keep;',
  },
  {
    name: 'takes the tolerance as 10 (percent) instead of 0.1',
    file,
    find: 'if (Math.abs(1 - ratio) <= TOLERANCE) return keep;',
    replace: 'if (Math.abs(1 - ratio) <= TOLERANCE * 100) return keep;',
  },
  {
    name: 'counts pods without metrics as 0 both ways',
    file,
    find: 'if (ratio < 1) for (const name of groups.missing) samples.set(name, Math.trunc((requests.get(name)! * Math.max(100, target)) / 100));',
    replace: 'if (ratio < 1) for (const name of groups.missing) samples.set(name, 0);',
  },
  {
    name: 'counts pods without metrics at 100% both ways',
    file,
    find: 'else if (ratio > 1) for (const name of groups.missing) samples.set(name, 0);',
    replace: 'else if (ratio > 1) for (const name of groups.missing) samples.set(name, requests.get(name)!);',
  },
  {
    name: 'counts missing pods at 100% even when the target is above 100%',
    file,
    find: 'samples.set(name, Math.trunc((requests.get(name)! * Math.max(100, target)) / 100));',
    replace: 'samples.set(name, requests.get(name)!);',
  },
  {
    name: 'leaves pods without metrics out of the calculation altogether',
    file,
    find: 'if (!scaleUpWithUnready && groups.missing.size === 0) {',
    replace: 'if (!scaleUpWithUnready) {',
  },
  {
    name: 'counts unready pods with their own samples',
    file,
    find: "if (p.metric !== undefined && !groups.ignored.has(p.name) && !groups.unready.has(p.name)) samples.set(p.name, p.metric.usageMilli);",
    replace: "if (p.metric !== undefined && !groups.ignored.has(p.name)) samples.set(p.name, p.metric.usageMilli);",
  },
  {
    name: 'treats every pod whose Ready is False as unready, even one that has been ready',
    file,
    find: 'else unready = !ready.status && pod.startMs + INITIAL_READINESS_DELAY_MS > ready.lastTransitionMs;',
    replace: 'else unready = !ready.status;',
  },
  {
    name: 'trusts a warming-up pod as soon as it is Ready',
    file,
    find: 'unready = !ready.status || metric.timestampMs < ready.lastTransitionMs + metric.windowMs;',
    replace: 'unready = !ready.status;',
  },
  {
    name: 'counts pods being deleted (they become missing pods)',
    file,
    find: "if (pod.deleting || pod.phase === 'Failed') {",
    replace: "if (pod.phase === 'Failed') {",
  },
  {
    name: 'does not check that the re-computed ratio keeps the direction',
    file,
    find: 'if (Math.abs(1 - newRatio) <= TOLERANCE || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) return keep;',
    replace: 'if (Math.abs(1 - newRatio) <= TOLERANCE) return keep;',
  },
  {
    name: 'stabilizes with the lowest recommendation instead of the highest',
    file,
    find: 'else if (r.replicas > replicas) replicas = r.replicas;',
    replace: 'else if (r.replicas < replicas) replicas = r.replicas;',
  },
  {
    name: 'does not stabilize a scale-down',
    file,
    find: 'let replicas = proposed;\n  let oldIndex = -1;',
    replace: 'const replicas = proposed;\n  let oldIndex = -1;',
  },
  {
    name: 'drops a recommendation exactly 300 s old from the window',
    file,
    find: 'if (r.timeMs < cutoff) oldIndex = i;',
    replace: 'if (r.timeMs <= cutoff) oldIndex = i;',
  },
  {
    name: 'remembers the limited replicas instead of the proposal',
    file,
    find: 'const fresh = { replicas: proposed, timeMs: nowMs };',
    replace: 'const fresh = { replicas: Math.min(proposed, 2 * Math.max(...recommendations.map((r) => r.replicas), 4)), timeMs: nowMs };',
  },
  {
    name: 'ignores minReplicas',
    file,
    find: "if (desired < minReplicas) return { replicas: minReplicas, reason: 'TooFewReplicas'",
    replace: "if (desired < 1) return { replicas: 1, reason: 'TooFewReplicas'",
  },
  {
    name: 'ignores maxReplicas',
    file,
    find: '    maxReplicas > scaleUpLimit\n',
    replace: '    true\n',
  },
  {
    name: 'has no scale-up limit',
    file,
    find: 'const scaleUpLimit = Math.trunc(Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM));',
    replace: 'const scaleUpLimit = Infinity;',
  },
  {
    name: 'uses limits instead of requests',
    file,
    find: 'if (c.requestMilli === undefined) return { error: `missing request for cpu in container ${c.name} of Pod ${p.name}` };\n      sum += c.requestMilli;',
    replace: 'if (c.requestMilli === undefined) return { error: `missing request for cpu in container ${c.name} of Pod ${p.name}` };\n      sum += c.limitMilli ?? c.requestMilli;',
  },
  {
    name: 'averages the utilization over all pods, those without metrics included',
    file,
    find: "if (p.metric !== undefined && !groups.ignored.has(p.name) && !groups.unready.has(p.name)) samples.set(p.name, p.metric.usageMilli);",
    replace: "if (!groups.ignored.has(p.name) && !groups.unready.has(p.name)) samples.set(p.name, p.metric?.usageMilli ?? 0);",
  },
  {
    name: 'rounds the utilization instead of truncating it',
    file,
    find: 'const utilization = request === 0 ? 0 : Math.trunc((usage * 100) / request);',
    replace: 'const utilization = request === 0 ? 0 : Math.round((usage * 100) / request);',
  },
];
