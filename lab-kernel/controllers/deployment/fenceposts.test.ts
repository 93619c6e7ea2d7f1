import { describe, expect, it } from 'vitest';
import type { Deployment, IntOrString } from '../../api/types';
import { maxSurge, maxUnavailable, resolveFenceposts, scaledValue } from './fenceposts';

/**
 * intstr.GetScaledValueFromIntOrPercent and deployment_util.go's ResolveFenceposts, MaxSurge,
 * MaxUnavailable: a percentage of replicas, surge rounded up, unavailable down, and 1
 * unavailable when both come out 0.
 */
const deployment = (replicas: number, maxSurgeValue: IntOrString, maxUnavailableValue: IntOrString, type: 'RollingUpdate' | 'Recreate' = 'RollingUpdate'): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { spec: { containers: [] } },
    strategy: type === 'Recreate' ? { type } : { type, rollingUpdate: { maxSurge: maxSurgeValue, maxUnavailable: maxUnavailableValue } },
  },
});

describe('fenceposts', () => {
  it('resolves maxSurge rounded up and maxUnavailable rounded down against replicas; both 0 makes maxUnavailable 1', () => {
    const table: [number, IntOrString, IntOrString, number, number][] = [
      [10, '25%', '25%', 3, 2],
      [1, '25%', '25%', 1, 0],
      [3, '25%', '25%', 1, 0],
      [4, '25%', '25%', 1, 1],
      [10, 0, 0, 0, 1],
      [2, '0%', '1%', 0, 1],
      [2, '1%', '25%', 1, 0],
      [10, 3, 2, 3, 2],
    ];
    for (const [replicas, surge, unavailable, wantSurge, wantUnavailable] of table) {
      expect(resolveFenceposts(surge, unavailable, replicas), `replicas ${replicas}, maxSurge ${surge}, maxUnavailable ${unavailable}`).toEqual({ maxSurge: wantSurge, maxUnavailable: wantUnavailable });
    }
  });

  it('takes a number as it is and refuses a string that is not a percentage', () => {
    expect(scaledValue(7, 10, false)).toBe(7);
    expect(scaledValue(undefined, 10, true)).toBe(0);
    expect(() => scaledValue('7', 10, true)).toThrow('invalid value for IntOrString: invalid type: string is not a percentage');
  });

  it('never lets maxUnavailable exceed replicas, gives 0 for 0 replicas, and nothing for Recreate', () => {
    expect(maxUnavailable(deployment(2, 0, 5))).toBe(2);
    expect(maxUnavailable(deployment(0, '25%', '25%'))).toBe(0);
    expect(maxSurge(deployment(3, '25%', '25%', 'Recreate'))).toBe(0);
    expect(maxUnavailable(deployment(3, '25%', '25%', 'Recreate'))).toBe(0);
    expect(maxSurge(deployment(10, '25%', '25%'))).toBe(3);
  });
});
