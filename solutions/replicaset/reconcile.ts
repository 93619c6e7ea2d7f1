/**
 * Exercise `replicaset` — reference solution. See exercises/replicaset/reconcile.ts for the
 * full task description; this file mirrors it with the parts filled in.
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
}

// Part 1: a pod counts while it is not finished and not being deleted.
function isActive(pod: Readonly<Pod>): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && pod.metadata.deletionTimestamp === undefined;
}

// Part 3: the order Kubernetes deletes in (a negative result means `a` goes first).
const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deleteFirst(a: Readonly<Pod>, b: Readonly<Pod>): number {
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
}

// Part 4: what the ReplicaSet reports.
function computeStatus(input: ReplicaSetInput, active: readonly Readonly<Pod>[]): ReplicaSetStatus {
  const rs = input.replicaSet;
  const templateLabels = rs.spec.template.metadata?.labels ?? {};
  const minReadyMs = (rs.spec.minReadySeconds ?? 0) * 1000;
  const fullyLabeled = active.filter((p) => Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v));
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
}
