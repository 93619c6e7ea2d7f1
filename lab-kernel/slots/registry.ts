import type { DnsSearchFn } from '../dns/dns-search-contract';
import type { EvaluateQuota } from '../apiserver/admission/resource-quota-contract';
import type { AuthorizeRbac } from '../apiserver/auth/rbac-contract';
import type { ReflectorStep } from '../client/reflector-contract';
import type { RelistDiff } from '../client/relist-contract';
import type { RetryStep } from '../client/retry-contract';
import type { RolloutStepFn } from '../controllers/deployment/rollout-contract';
import type { ImageGCFn } from '../kubelet/image-gc-contract';
import type { HostLocalAllocateFn } from '../runtime/host-local-contract';
import type { VxlanEncapFn } from '../net/vxlan-contract';
import type { RouteDecisionFn } from '../net/route-lookup-contract';
import type { NetfilterEvalFn } from '../net/netfilter-eval-contract';
import type { ComputePodActions } from '../kubelet/pod-actions-contract';
import type { ProbesAndRestarts } from '../kubelet/probes-and-restarts-contract';
import type { PlanDaemonSet } from '../controllers/daemonset/daemonset-plan-contract';
import type { PlanStatefulSet } from '../controllers/statefulset/statefulset-plan-contract';
import type { PlanJob } from '../controllers/job/job-plan-contract';
import type { CronScheduleFn } from '../controllers/cronjob/cron-schedule-contract';
import type { ReconcileSlicesFn } from '../controllers/endpointslice/endpointslice-contract';
import type { HpaReplicasFn } from '../controllers/podautoscaler/hpa-replicas-contract';
import type { ReconcileReplicaSet } from '../controllers/replicaset-contract';
import type { IptablesRulesFn } from '../proxy/iptables-rules-contract';
import type { NewRaft } from '../raft/types';
import type { NodeAffinityFn } from '../scheduler/plugins/node-affinity-contract';
import type { NodeResourcesFit } from '../scheduler/plugins/node-resources-fit-contract';
import type { PodTopologySpreadFn } from '../scheduler/plugins/pod-topology-spread-contract';
import type { TaintTolerationFn } from '../scheduler/plugins/taint-toleration-contract';
import type { SelectHost } from '../scheduler/select-host-contract';
import type { VersionAt } from '../store/version-at-contract';

/**
 * Every exercise slot: a place where the cluster calls code a learner can write. This list
 * is the one source of which slots there are, what type each function has, where it lives,
 * which exercises grade it and what its code may import; SlotTypes, SLOT_IDS and the
 * manifest's checks all follow from it.
 *
 *   SLOTS.replicaset.module   // 'replicaset/reconcile.ts' (under exercises/ and solutions/)
 *   SLOTS.raft.exercises      // ['raft-election', 'raft-replication', 'raft-persistence', 'raft-snapshots']
 *   SlotTypes['replicaset']   // ReconcileReplicaSet
 *
 * Adding an exercise: see exercises/ADDING.md.
 */
export interface SlotInfo<F> {
  /** The file the cluster loads, relative to exercises/ (the learner's) or solutions/ (the reference). */
  module: string;
  /** The function it exports. */
  export: string;
  /** The exercises (ids in exercises/manifest.yaml) that grade this slot's code. */
  exercises: readonly string[];
  /**
   * The kernel modules its code may import, relative to the repository and without '.ts':
   * its contract and the helpers it needs. Its own files (relative imports within its
   * folder) and lab-kernel/sim/not-implemented are always allowed.
   */
  imports: readonly string[];
  /** Never set: carries the function's type. */
  readonly fn?: F;
}

function slot<F>(info: Omit<SlotInfo<F>, 'fn'>): SlotInfo<F> {
  return info;
}

const API_TYPES = 'lab-kernel/api/types';
const FRAMEWORK = 'lab-kernel/scheduler/framework-types';

export const SLOTS = {
  replicaset: slot<ReconcileReplicaSet>({
    module: 'replicaset/reconcile.ts',
    export: 'reconcileReplicaSet',
    exercises: ['replicaset'],
    imports: ['lab-kernel/controllers/replicaset-contract', API_TYPES, 'lab-kernel/api/time'],
  }),
  'mvcc-read': slot<VersionAt>({
    module: 'store/version-at.ts',
    export: 'versionAt',
    exercises: ['mvcc-read'],
    imports: ['lab-kernel/store/version-at-contract'],
  }),
  raft: slot<NewRaft>({
    module: 'raft/raft.ts',
    export: 'newRaft',
    exercises: ['raft-election', 'raft-replication', 'raft-persistence', 'raft-snapshots'],
    imports: ['lab-kernel/raft/core', 'lab-kernel/raft/raft-log', 'lab-kernel/raft/progress', 'lab-kernel/raft/types'],
  }),
  reflector: slot<ReflectorStep>({
    module: 'reflector/reflector.ts',
    export: 'reflectorStep',
    exercises: ['reflector'],
    imports: ['lab-kernel/client/reflector-contract', 'lab-kernel/api/status'],
  }),
  relist: slot<RelistDiff>({
    module: 'reflector/relist.ts',
    export: 'relistDiff',
    exercises: ['relist'],
    imports: ['lab-kernel/client/relist-contract', 'lab-kernel/api/resources', API_TYPES],
  }),
  'retry-on-conflict': slot<RetryStep>({
    module: 'retry/retry-on-conflict.ts',
    export: 'retryStep',
    exercises: ['retry-on-conflict'],
    imports: ['lab-kernel/client/retry-contract', 'lab-kernel/api/status', API_TYPES],
  }),
  rbac: slot<AuthorizeRbac>({
    module: 'rbac/authorize.ts',
    export: 'authorizeRbac',
    exercises: ['rbac'],
    imports: ['lab-kernel/apiserver/auth/rbac-contract', 'lab-kernel/apiserver/pipeline-types'],
  }),
  'resource-quota': slot<EvaluateQuota>({
    module: 'quota/evaluate.ts',
    export: 'evaluateQuota',
    exercises: ['resource-quota'],
    imports: ['lab-kernel/apiserver/admission/resource-quota-contract', 'lab-kernel/api/quantity', API_TYPES],
  }),
  'select-host': slot<SelectHost>({
    module: 'scheduler/select-host.ts',
    export: 'selectHost',
    exercises: ['select-host'],
    imports: ['lab-kernel/scheduler/select-host-contract', FRAMEWORK],
  }),
  'node-resources-fit': slot<NodeResourcesFit>({
    module: 'scheduler/node-resources-fit.ts',
    export: 'nodeResourcesFit',
    exercises: ['node-resources-fit'],
    imports: ['lab-kernel/scheduler/plugins/node-resources-fit-contract', FRAMEWORK],
  }),
  'taint-toleration': slot<TaintTolerationFn>({
    module: 'scheduler/taint-toleration.ts',
    export: 'taintToleration',
    exercises: ['taint-toleration'],
    imports: ['lab-kernel/scheduler/plugins/taint-toleration-contract', FRAMEWORK, API_TYPES],
  }),
  'node-affinity': slot<NodeAffinityFn>({
    module: 'scheduler/node-affinity.ts',
    export: 'nodeAffinity',
    exercises: ['node-affinity'],
    imports: ['lab-kernel/scheduler/plugins/node-affinity-contract', FRAMEWORK, API_TYPES],
  }),
  'pod-topology-spread': slot<PodTopologySpreadFn>({
    module: 'scheduler/pod-topology-spread.ts',
    export: 'podTopologySpread',
    exercises: ['pod-topology-spread'],
    imports: ['lab-kernel/scheduler/plugins/pod-topology-spread-contract', FRAMEWORK, API_TYPES, 'lab-kernel/api/labels'],
  }),
  'deployment-rollout': slot<RolloutStepFn>({
    module: 'deployment/rollout.ts',
    export: 'rolloutStep',
    exercises: ['deployment-rollout'],
    imports: ['lab-kernel/controllers/deployment/rollout-contract', API_TYPES],
  }),
  'job-reconcile': slot<PlanJob>({
    module: 'job/job-plan.ts',
    export: 'planJob',
    exercises: ['job-reconcile'],
    imports: ['lab-kernel/controllers/job/job-plan-contract', 'lab-kernel/api/time', API_TYPES],
  }),
  'daemonset-nodes': slot<PlanDaemonSet>({
    module: 'daemonset/daemonset-plan.ts',
    export: 'planDaemonSet',
    exercises: ['daemonset-nodes'],
    imports: ['lab-kernel/controllers/daemonset/daemonset-plan-contract', 'lab-kernel/controllers/deployment/fenceposts'],
  }),
  'statefulset-ordinals': slot<PlanStatefulSet>({
    module: 'statefulset/statefulset-plan.ts',
    export: 'planStatefulSet',
    exercises: ['statefulset-ordinals'],
    imports: ['lab-kernel/controllers/statefulset/statefulset-plan-contract'],
  }),
  'cron-schedule': slot<CronScheduleFn>({
    module: 'cronjob/cron-schedule.ts',
    export: 'cronSchedule',
    exercises: ['cron-schedule'],
    imports: ['lab-kernel/controllers/cronjob/cron-schedule-contract', 'lab-kernel/api/time'],
  }),
  'endpointslice-reconcile': slot<ReconcileSlicesFn>({
    module: 'endpointslice/endpointslice-reconcile.ts',
    export: 'reconcileSlices',
    exercises: ['endpointslice-reconcile'],
    imports: ['lab-kernel/controllers/endpointslice/endpointslice-contract', API_TYPES],
  }),
  'hpa-replicas': slot<HpaReplicasFn>({
    module: 'podautoscaler/hpa-replicas.ts',
    export: 'hpaReplicas',
    exercises: ['hpa-replicas'],
    imports: ['lab-kernel/controllers/podautoscaler/hpa-replicas-contract'],
  }),
  'pod-actions': slot<ComputePodActions>({
    module: 'kubelet/pod-actions.ts',
    export: 'computePodActions',
    exercises: ['pod-actions'],
    imports: ['lab-kernel/kubelet/pod-actions-contract', API_TYPES],
  }),
  'probes-and-restarts': slot<ProbesAndRestarts>({
    module: 'kubelet/probes-and-restarts.ts',
    export: 'probesAndRestarts',
    exercises: ['probes-and-restarts'],
    imports: ['lab-kernel/kubelet/probes-and-restarts-contract', 'lab-kernel/api/time'],
  }),
  'image-gc': slot<ImageGCFn>({
    module: 'kubelet/image-gc.ts',
    export: 'imageGC',
    exercises: ['image-gc'],
    imports: ['lab-kernel/kubelet/image-gc-contract'],
  }),
  'host-local-ipam': slot<HostLocalAllocateFn>({
    module: 'cni/host-local.ts',
    export: 'allocate',
    exercises: ['host-local-ipam'],
    imports: ['lab-kernel/runtime/host-local-contract', 'lab-kernel/net/ipv4'],
  }),
  'vxlan-encap': slot<VxlanEncapFn>({
    module: 'cni/vxlan-encap.ts',
    export: 'encapsulate',
    exercises: ['vxlan-encap'],
    imports: ['lab-kernel/net/vxlan-contract'],
  }),
  'route-lookup': slot<RouteDecisionFn>({
    module: 'net/route-lookup.ts',
    export: 'routeDecision',
    exercises: ['route-lookup'],
    imports: ['lab-kernel/net/route-lookup-contract', API_TYPES],
  }),
  'netfilter-eval': slot<NetfilterEvalFn>({
    module: 'net/netfilter-eval.ts',
    export: 'evaluateTable',
    exercises: ['netfilter-eval'],
    imports: ['lab-kernel/net/netfilter-eval-contract'],
  }),
  'kube-proxy-iptables': slot<IptablesRulesFn>({
    module: 'proxy/iptables-rules.ts',
    export: 'iptablesRules',
    exercises: ['kube-proxy-iptables'],
    imports: ['lab-kernel/proxy/iptables-rules-contract', 'lab-kernel/proxy/chain-hash', API_TYPES],
  }),
  'dns-search': slot<DnsSearchFn>({
    module: 'dns/dns-search.ts',
    export: 'firstAnswer',
    exercises: ['dns-search'],
    imports: ['lab-kernel/dns/dns-search-contract'],
  }),
} as const;

export type SlotId = keyof typeof SLOTS;

/** Each slot's function type: SlotTypes['raft'] is NewRaft. */
export type SlotTypes = { [K in SlotId]: (typeof SLOTS)[K] extends SlotInfo<infer F> ? F : never };

export const SLOT_IDS = Object.keys(SLOTS) as SlotId[];

/** The slot an exercise grades: slotOf('raft-replication') === 'raft'. */
export function slotOf(exerciseId: string): SlotId | undefined {
  return SLOT_IDS.find((id) => SLOTS[id].exercises.includes(exerciseId));
}
