import type { Deployment, IntOrString } from '../../api/types';

/**
 * maxSurge and maxUnavailable as pods, the way the runtime needs them for the ReplicaSets'
 * max-replicas annotation and the Available condition (deployment_util.go's MaxSurge and
 * MaxUnavailable over ResolveFenceposts; intstr.GetScaledValueFromIntOrPercent). The rolling
 * step itself is the exercise's (rollout-contract.ts), which resolves them on its own.
 *
 *   scaledValue('25%', 10, true)                     // => 3   (2.5 rounded up)
 *   scaledValue('25%', 10, false)                    // => 2
 *   resolveFenceposts('0%', '25%', 1)                // => { maxSurge: 0, maxUnavailable: 1 } (both 0: 1)
 *   maxUnavailable(deploymentWith(replicas 2, maxUnavailable 5))   // => 2 (never above replicas)
 *   maxSurge(recreateDeployment)                     // => 0
 */
export function scaledValue(value: IntOrString | undefined, total: number, roundUp: boolean): number {
  // intstr.ValueOrDefault(value, intstr.FromInt(0)), as ResolveFenceposts calls it.
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const percent = /^(-?\d+)%$/.exec(value);
  if (percent === null) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const exact = (Number(percent[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** Both at once: surge rounded up, unavailable down, and unavailable 1 if both are 0. */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): { maxSurge: number; maxUnavailable: number } {
  const surge = scaledValue(maxSurge, desired, true);
  const unavailable = scaledValue(maxUnavailable, desired, false);
  return { maxSurge: surge, maxUnavailable: surge === 0 && unavailable === 0 ? 1 : unavailable };
}

export function isRollingUpdate(d: Readonly<Deployment>): boolean {
  return d.spec.strategy?.type === 'RollingUpdate';
}

/** MaxSurge: 0 for Recreate. An invalid value (validation keeps them out) counts as 0. */
export function maxSurge(d: Readonly<Deployment>): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return tryOrZero(() => resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, d.spec.replicas ?? 1).maxSurge);
}

/** MaxUnavailable: 0 for Recreate or 0 replicas, and never more than spec.replicas. */
export function maxUnavailable(d: Readonly<Deployment>): number {
  const replicas = d.spec.replicas ?? 1;
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return Math.min(replicas, tryOrZero(() => resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas).maxUnavailable));
}

function tryOrZero(f: () => number): number {
  try {
    return f();
  } catch {
    return 0;
  }
}
