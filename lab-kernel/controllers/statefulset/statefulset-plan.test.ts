import { describe, expect, it } from 'vitest';
import { planStatefulSet } from '../../../solutions/statefulset/statefulset-plan';
import { claimsOf, input, pod, said } from './statefulset-plan.fixture';

/** The reference decision (exercise statefulset-ordinals), on the examples of its contract; the grader's suite has the rest. */
describe('the StatefulSet plan', () => {
  it('creates web-0 first, with its claim www-web-0, and nothing else while it is not Ready', () => {
    expect(said(planStatefulSet(input()))).toEqual(['create web-0 [www-web-0] update']);
    expect(said(planStatefulSet(input({ claims: claimsOf(0), pods: [pod(0, { ready: false })] })))).toEqual(['wait web-0 not-ready']);
  });

  it('scales down from the highest ordinal, one pod at a time', () => {
    expect(said(planStatefulSet(input({ replicas: 1, claims: claimsOf(0, 1, 2), pods: [pod(0), pod(1), pod(2)] })))).toEqual(['delete web-2 scale-down']);
  });

  it('with Parallel, creates every missing pod at once', () => {
    expect(said(planStatefulSet(input({ podManagementPolicy: 'Parallel' })))).toEqual(['create web-0 [www-web-0] update', 'create web-1 [www-web-1] update', 'create web-2 [www-web-2] update', 'wait web-2 not-ready']);
  });
});
