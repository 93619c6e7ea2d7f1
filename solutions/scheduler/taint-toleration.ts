/**
 * Exercise `taint-toleration` — taints keep pods away, tolerations let them in.  (chapter 05)
 *
 * A node is tainted to repel pods: `kubectl taint nodes node-1 gpu=true:NoSchedule`. Only a
 * pod with a matching toleration may land there. (A toleration allows, it does not attract:
 * for that, use node affinity.) The taint's effect says how hard it repels:
 *
 *   NoSchedule        new pods without a toleration are never scheduled there (Filter)
 *   NoExecute         the same for scheduling; the kubelet side also evicts running pods
 *   PreferNoSchedule  the scheduler tries to avoid the node (Score), but may still use it
 *
 * The control plane taints nodes for you: a node under memory pressure gets
 * node.kubernetes.io/memory-pressure:NoSchedule, a cordoned node
 * node.kubernetes.io/unschedulable:NoSchedule, a NotReady node node.kubernetes.io/not-ready:NoExecute.
 *
 * Input => output, by example:
 *
 *   taints [gpu=true:NoSchedule], tolerations []
 *     => UnschedulableAndUnresolvable ['node(s) had untolerated taint {gpu: true}'], score 0
 *   taints [gpu=true:NoSchedule], tolerations [{ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]
 *     => Success, score 0
 *   taints [dedicated:NoExecute] (no value), tolerations [{ key: 'dedicated', operator: 'Exists' }]
 *     => Success
 *   taints [spot=yes:PreferNoSchedule, old=1:PreferNoSchedule], tolerations []
 *     => Success, score 2 (the kernel then reverses: fewer intolerable taints, higher final score)
 *
 * Run the cluster on your code with createCluster({ use: { 'taint-toleration': 'exercise' } })
 * and grade it with  npm run grade -- taint-toleration
 */
import type { Taint, Toleration } from '../../lab-kernel/api/types';
import { success, unresolvable } from '../../lab-kernel/scheduler/framework-types';
import type { TaintTolerationInput, TaintTolerationResult } from '../../lab-kernel/scheduler/plugins/taint-toleration-contract';

/**
 * TODO(3) Filter: find the first taint with effect NoSchedule or NoExecute that no toleration
 * tolerates. If there is one, the status is unresolvable(reason) (from
 * lab-kernel/scheduler/framework-types.ts) with reason exactly
 *   `node(s) had untolerated taint {${key}: ${value}}`     (a missing value prints as '')
 * otherwise success().
 *
 * TODO(4) Score: count the PreferNoSchedule taints not tolerated by the pod's tolerations
 * whose effect is PreferNoSchedule or empty (a NoSchedule toleration does not soften a
 * PreferNoSchedule taint).
 */
export function taintToleration(input: TaintTolerationInput): TaintTolerationResult {
  void success;
  void unresolvable;
  // BEGIN SOLUTION
  // The original: kube-scheduler's plugins/tainttoleration.
  const blocking = input.taints.find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerated(t, input.tolerations));
  const status = blocking ? unresolvable(`node(s) had untolerated taint {${blocking.key}: ${blocking.value ?? ''}}`) : success();
  const preferTolerations = input.tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  const score = input.taints.filter((t) => t.effect === 'PreferNoSchedule' && !tolerated(t, preferTolerations)).length;
  return { status, score };
  // END SOLUTION
}

/** TODO(2) Whether any of the tolerations tolerates the taint. */
export function tolerated(taint: Readonly<Taint>, tolerations: readonly Toleration[]): boolean {
  // BEGIN SOLUTION
  return tolerations.some((t) => toleratesTaint(t, taint));
  // END SOLUTION
}

/**
 * TODO(1) Does one toleration tolerate one taint? (Toleration.ToleratesTaint)
 *   - a toleration with an effect only matches taints with that effect; no effect matches all;
 *   - a toleration with a key only matches that key; no key (with operator Exists) matches all;
 *   - operator Exists matches any value; operator Equal (the default) needs equal values,
 *     a missing value counting as ''.
 *
 *   { key: 'gpu', operator: 'Exists' }                   vs gpu=true:NoSchedule  => true
 *   { key: 'gpu', value: 'false' }                        vs gpu=true:NoSchedule  => false
 *   { operator: 'Exists' }                                vs anything             => true
 *   { key: 'gpu', operator: 'Exists', effect: 'NoExecute' } vs gpu=true:NoSchedule => false
 */
export function toleratesTaint(toleration: Readonly<Toleration>, taint: Readonly<Taint>): boolean {
  // BEGIN SOLUTION
  // The original: k8s.io/api/core/v1 Toleration.ToleratesTaint.
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
  // END SOLUTION
}
