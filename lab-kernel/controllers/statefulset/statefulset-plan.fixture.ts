import type { StatefulPod, StatefulSetAction, StatefulSetPlanInput } from './statefulset-plan-contract';

/**
 * For tests of the StatefulSet plan (the kernel's and the grader's): inputs by example, and
 * actions as short strings.
 *
 *   input({ replicas: 3, pods: [pod(0), pod(1, { ready: false })] })
 *   said([{ type: 'create', ordinal: 0, pod: 'web-0', claims: ['www-web-0'], revision: 'update' }])  // => ['create web-0 [www-web-0] update']
 */
export function pod(ordinal: number, extra: Partial<StatefulPod> = {}): StatefulPod {
  return { name: `web-${ordinal}`, ordinal, phase: 'Running', ready: true, available: true, deleting: false, updated: true, ...extra };
}

/** The docs' web: 3 replicas, OrderedReady, RollingUpdate from partition 0, one claim template www, no pods or claims yet. */
export function input(parts: Partial<StatefulSetPlanInput> = {}): StatefulSetPlanInput {
  return { setName: 'web', replicas: 3, startOrdinal: 0, podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate', partition: 0 }, claimTemplates: ['www'], claims: [], pods: [], ...parts };
}

/** The claims of these ordinals, as they exist once their pods were made. */
export const claimsOf = (...ordinals: number[]) => ordinals.map((o) => `www-web-${o}`);

export function said(actions: readonly StatefulSetAction[]): string[] {
  return actions.map((a) => (a.type === 'create' ? `create ${a.pod} [${a.claims.join(', ')}] ${a.revision}` : `${a.type} ${a.pod} ${a.reason}`));
}
