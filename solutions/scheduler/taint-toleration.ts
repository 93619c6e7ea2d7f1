/**
 * Exercise `taint-toleration` — reference solution. See exercises/scheduler/taint-toleration.ts
 * for the specification, and kube-scheduler's plugins/tainttoleration and
 * k8s.io/api/core/v1 Toleration.ToleratesTaint for the original.
 */
import type { Taint, Toleration } from '../../lab-kernel/api/types';
import { success, unresolvable } from '../../lab-kernel/scheduler/framework-types';
import type { TaintTolerationInput, TaintTolerationResult } from '../../lab-kernel/scheduler/plugins/taint-toleration-contract';

export function taintToleration(input: TaintTolerationInput): TaintTolerationResult {
  const blocking = input.taints.find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerated(t, input.tolerations));
  const status = blocking ? unresolvable(`node(s) had untolerated taint {${blocking.key}: ${blocking.value ?? ''}}`) : success();
  const preferTolerations = input.tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  const score = input.taints.filter((t) => t.effect === 'PreferNoSchedule' && !tolerated(t, preferTolerations)).length;
  return { status, score };
}

/** Whether any of the tolerations tolerates the taint. */
export function tolerated(taint: Readonly<Taint>, tolerations: readonly Toleration[]): boolean {
  return tolerations.some((t) => toleratesTaint(t, taint));
}

/** Toleration.ToleratesTaint: effect and key match (empty matches all), then Exists or an equal value. */
export function toleratesTaint(toleration: Readonly<Toleration>, taint: Readonly<Taint>): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}
