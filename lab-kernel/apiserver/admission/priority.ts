import type { StatusError } from '../../api/status';
import type { Pod, PriorityClass } from '../../api/types';
import type { AdmissionContext, AdmissionPlugin, AdmissionRequest } from '../pipeline-types';
import { forbiddenByAdmission } from './chain';

/**
 * kube-apiserver's Priority admission plugin (plugin/pkg/admission/priority).
 *
 * Pods (CREATE, mutating): spec.priority and spec.preemptionPolicy come from the pod's
 * PriorityClass, or from the cluster's globalDefault class, or are 0 and PreemptLowerPriority
 * when there is none. A pod may not set them itself to something else:
 *
 *   priorityClassName: high (value 1000)               => spec.priority 1000
 *   priorityClassName: nope                            => 403 'no PriorityClass with name nope was found'
 *   priority: 5, no class, no global default           => 403 'the integer value of priority (5) must not be provided in pod spec; ...'
 *
 * PriorityClasses (CREATE and UPDATE, validating): at most 1,000,000,000 unless the class is one
 * of the system's own, and only one globalDefault in the cluster.
 */
export const PRIORITY = 'Priority';
/** scheduling.HighestUserDefinablePriority */
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;

/** The classes kube-apiserver creates at start (its scheduling/bootstrap-system-priority-classes hook). */
export function systemPriorityClasses(): PriorityClass[] {
  const pc = (name: string, value: number, description: string): PriorityClass => ({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name },
    value,
    description,
    preemptionPolicy: 'PreemptLowerPriority',
  });
  return [
    pc('system-node-critical', 2_000_001_000, 'Used for system critical pods that must not be moved from their current node.'),
    pc('system-cluster-critical', 2_000_000_000, 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.'),
  ];
}

export function priorityPlugin(): AdmissionPlugin {
  return {
    name: PRIORITY,
    operations: ['CREATE', 'UPDATE'],
    mayMutate: createsPod,
    mutate: (req, ctx) => (createsPod(req) ? admitPod(req, ctx) : undefined),
    validate: (req, ctx) => (req.info.kind === 'PriorityClass' ? validateClass(req, ctx) : undefined),
  };
}

/** A pod created through the main endpoint: what the plugin sets priority on. */
function createsPod(req: Readonly<AdmissionRequest>): boolean {
  return req.info.kind === 'Pod' && req.operation === 'CREATE' && req.subresource === '';
}

function admitPod(req: AdmissionRequest, ctx: AdmissionContext): StatusError | undefined {
  const spec = (req.object as Pod).spec;
  let chosen: Readonly<PriorityClass> | undefined;
  if (spec.priorityClassName) {
    chosen = ctx.get('priorityclasses', undefined, spec.priorityClassName) as Readonly<PriorityClass> | undefined;
    if (chosen === undefined) return forbiddenByAdmission(req, `no PriorityClass with name ${spec.priorityClassName} was found`);
  } else {
    // The global default with the lowest value, should there be several (a race can leave two).
    chosen = (ctx.list('priorityclasses') as readonly Readonly<PriorityClass>[]).filter((c) => c.globalDefault).sort((a, b) => a.value - b.value)[0];
    if (chosen !== undefined) spec.priorityClassName = chosen.metadata.name;
  }
  const priority = chosen?.value ?? 0;
  const policy = chosen?.preemptionPolicy ?? 'PreemptLowerPriority';
  if (spec.priority !== undefined && spec.priority !== priority) {
    return forbiddenByAdmission(req, `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`);
  }
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== policy) {
    return forbiddenByAdmission(req, `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`);
  }
  spec.priority = priority;
  spec.preemptionPolicy = policy;
  return undefined;
}

function validateClass(req: Readonly<AdmissionRequest>, ctx: AdmissionContext): StatusError | undefined {
  const pc = req.object as PriorityClass | undefined;
  if (pc === undefined) return undefined;
  const system = systemPriorityClasses().some((s) => s.metadata.name === pc.metadata.name);
  if (!system && pc.value > HIGHEST_USER_DEFINABLE_PRIORITY) return forbiddenByAdmission(req, `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`);
  if (pc.globalDefault) {
    const other = (ctx.list('priorityclasses') as readonly Readonly<PriorityClass>[]).find((c) => c.globalDefault && c.metadata.name !== pc.metadata.name);
    if (other !== undefined) return forbiddenByAdmission(req, `PriorityClass ${other.metadata.name} is already marked as default. Only one default can exist`);
  }
  return undefined;
}
