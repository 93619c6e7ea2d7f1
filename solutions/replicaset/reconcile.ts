/**
 * Exercise `replicaset` — the ReplicaSet controller's reconcile.            (chapter 00)
 *
 * A ReplicaSet says "keep N copies of this pod running". Its controller never starts a
 * container itself: it compares the number it wants with the pods it sees, and asks the API
 * server to create or delete pods until they agree. Whatever happened before — a crash, a
 * deleted pod, a changed replica count — the next reconcile looks at the state as it is
 * now and fixes the difference. That is a level-triggered control loop.
 *
 * You write the pure part: given the ReplicaSet, the pods it controls and the time, say what
 * to do. The cluster's controller runtime calls your function, carries the actions out, and
 * calls it again whenever something changes. Run the cluster on your code with
 *   createCluster({ use: { replicaset: 'exercise' } })
 * and grade it with
 *   npm run grade -- replicaset
 *
 * Input => output, by example (rs wants 3 replicas unless said otherwise):
 *
 *   pods: []                                  => create: 3 pods from podFromTemplate(rs), delete: []
 *   pods: [a(Running), b(Running)]            => create: 1 pod,                        delete: []
 *   pods: [a(Running), b(Failed)]             => create: 2 pods (b is finished: it does not count)
 *   pods: 4 Running, rs wants 1               => delete the 3 that rank first (see Part 3)
 *   pods: 3 Running and Ready                 => nothing to do; status.replicas 3, readyReplicas 3
 *
 * Cached objects are read-only: build new objects, never change the ones you are given.
 */
import type { Pod, ReplicaSetStatus } from '../../lab-kernel/api/types';
import { virtualMs } from '../../lab-kernel/api/time';
import {
  BURST_REPLICAS,
  isPodReady,
  podFromTemplate,
  type ReplicaSetActions,
  type ReplicaSetInput,
} from '../../lab-kernel/controllers/replicaset-contract';

export function reconcileReplicaSet(input: ReplicaSetInput): ReplicaSetActions {
  // TODO(1) Keep only the active pods: see isActive below.
  // TODO(2) Too few? Create the missing pods with podFromTemplate(input.replicaSet).
  //         spec.replicas may be left out of a manifest: it then means 1.
  //         Never create more than BURST_REPLICAS (500) in one reconcile.
  // TODO(3) Too many? Delete the surplus, ranked with deleteFirst below, at most BURST_REPLICAS.
  // TODO(4) Report the status with computeStatus below.
  void BURST_REPLICAS;
  void podFromTemplate;
  // BEGIN SOLUTION
  const rs = input.replicaSet;
  const wanted = rs.spec.replicas ?? 1;
  const active = input.pods.filter(isActive);
  const diff = active.length - wanted;

  const create: Pod[] = [];
  const remove: string[] = [];
  if (diff < 0) {
    for (let i = 0; i < Math.min(-diff, BURST_REPLICAS); i++) create.push(podFromTemplate(rs));
  } else if (diff > 0) {
    const ranked = [...active].sort(deleteFirst);
    remove.push(...ranked.slice(0, Math.min(diff, BURST_REPLICAS)).map((p) => p.metadata.name!));
  }
  return { create, delete: remove, status: computeStatus(input, active) };
  // END SOLUTION
}

/**
 * TODO(1) Is this pod still active?
 * A pod whose phase is Succeeded or Failed has finished; a pod with metadata.deletionTimestamp
 * set is on its way out. Neither counts towards the replicas.
 *
 *   { status: { phase: 'Running' } }                      => true
 *   { status: { phase: 'Failed' } }                       => false
 *   { metadata: { deletionTimestamp: '2025-...' } }        => false
 */
export function isActive(pod: Readonly<Pod>): boolean {
  // BEGIN SOLUTION
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && pod.metadata.deletionTimestamp === undefined;
  // END SOLUTION
}

/**
 * TODO(3) Which pod should go first? Return a negative number when `a` should be deleted
 * before `b`, positive when after (a comparator for Array.prototype.sort).
 * Kubernetes prefers to delete the pods that are doing the least good:
 *   1. a pod not yet scheduled (no spec.nodeName) before a scheduled one;
 *   2. by phase: Pending before Unknown before Running;
 *   3. a pod that is not Ready (isPodReady) before a Ready one;
 *   4. the newer pod (later metadata.creationTimestamp) before the older one;
 *   5. otherwise by name, so the order is always the same.
 *
 *   unscheduled vs Running on node-1          => negative (the unscheduled one goes first)
 *   Running, not Ready vs Running, Ready      => negative
 *   both Running and Ready, a created later   => negative
 */
export function deleteFirst(a: Readonly<Pod>, b: Readonly<Pod>): number {
  // BEGIN SOLUTION
  const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
  const assignedA = a.spec.nodeName ? 1 : 0;
  const assignedB = b.spec.nodeName ? 1 : 0;
  if (assignedA !== assignedB) return assignedA - assignedB;
  const phaseA = PHASE_RANK[a.status?.phase ?? 'Pending'] ?? 0;
  const phaseB = PHASE_RANK[b.status?.phase ?? 'Pending'] ?? 0;
  if (phaseA !== phaseB) return phaseA - phaseB;
  const readyA = isPodReady(a) ? 1 : 0;
  const readyB = isPodReady(b) ? 1 : 0;
  if (readyA !== readyB) return readyA - readyB;
  const createdA = a.metadata.creationTimestamp ?? '';
  const createdB = b.metadata.creationTimestamp ?? '';
  if (createdA !== createdB) return createdA > createdB ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
  // END SOLUTION
}

/**
 * TODO(4) The status the ReplicaSet reports, counted over the active pods:
 *   replicas              how many active pods there are;
 *   fullyLabeledReplicas  of those, how many carry every label of spec.template.metadata.labels;
 *   readyReplicas         how many are Ready;
 *   availableReplicas     how many have been Ready for at least spec.minReadySeconds
 *                         (the Ready condition's lastTransitionTime; virtualMs() turns it into ms,
 *                         compare with input.now). With minReadySeconds 0, every Ready pod.
 *   observedGeneration    the ReplicaSet's metadata.generation, so clients can tell the status is current.
 *
 *   3 active, 2 Ready (one since t=0s, one since t=55s), minReadySeconds 10, now = 60s
 *   => { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2, availableReplicas: 1, observedGeneration: 1 }
 */
export function computeStatus(input: ReplicaSetInput, active: readonly Readonly<Pod>[]): ReplicaSetStatus {
  void isPodReady;
  void virtualMs;
  // BEGIN SOLUTION
  const rs = input.replicaSet;
  const templateLabels = rs.spec.template.metadata?.labels ?? {};
  const minReadyMs = (rs.spec.minReadySeconds ?? 0) * 1000;
  const wanted = Object.entries(templateLabels);
  const fullyLabeled = active.filter((p) => wanted.every(([k, v]) => p.metadata.labels?.[k] === v));
  const ready = active.filter(isPodReady);
  const available = ready.filter((p) => {
    if (minReadyMs === 0) return true;
    const since = p.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
    return since !== undefined && virtualMs(since) + minReadyMs <= input.now;
  });
  return {
    replicas: active.length,
    fullyLabeledReplicas: fullyLabeled.length,
    readyReplicas: ready.length,
    availableReplicas: available.length,
    observedGeneration: rs.metadata.generation ?? 0,
  };
  // END SOLUTION
}
