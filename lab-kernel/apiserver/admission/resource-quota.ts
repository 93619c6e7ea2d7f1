import type { Pod, ResourceQuota } from '../../api/types';
import type { AdmissionPlugin, AdmissionRequest } from '../pipeline-types';
import { forbiddenByAdmission } from './chain';
import { unspecifiedResources, usageOf, type EvaluateQuota } from './resource-quota-contract';

/**
 * ResourceQuota admission (validating, the last plugin of the chain): on CREATE of any
 * namespaced object, measure what it adds (usageOf: pods and their requests and limits,
 * services, `count/<resource>`, ...), and ask `evaluate` (the `resource-quota` exercise)
 * whether every ResourceQuota of the namespace has room.
 *
 *   allowed => the quotas with their raised status.used go onto req.pendingWrites: the API
 *              server writes them, each with a compare-and-swap on its resourceVersion, before
 *              it stores the object (on a conflict it runs admission again on fresh quotas);
 *   denied  => 403 'pods "web" is forbidden: exceeded quota: compute-quota, requested:
 *              requests.cpu=2, used: requests.cpu=1, limited: requests.cpu=2'
 *
 * A dry run is checked but charges nothing. Events are never counted (kube-apiserver ignores
 * them for quota), nor are subresources such as pods/binding.
 *
 * Simplified: only CREATE is charged (Kubernetes also charges the growth of an UPDATE, a
 * resized PersistentVolumeClaim for instance), and quota scopes are not supported.
 */
export function resourceQuotaPlugin(evaluate: EvaluateQuota): AdmissionPlugin {
  return {
    name: 'ResourceQuota',
    operations: ['CREATE'],
    validate(req, ctx) {
      const obj = req.object;
      if (obj === undefined || req.subresource !== '' || !req.info.namespaced || IGNORED_RESOURCES.includes(req.info.resource)) return undefined;
      const quotas = ctx.list('resourcequotas', req.namespace) as readonly Readonly<ResourceQuota>[];
      if (quotas.length === 0) return undefined;
      const usage = usageOf(obj, req.info);
      const isPod = req.info.group === '' && req.info.resource === 'pods';
      const decision = evaluate({ quotas, usage, ...(isPod ? { unspecified: unspecifiedResources(obj as Pod) } : {}) });
      if (decision.decision === 'deny') return forbiddenByAdmission(req, decision.message);
      if (!req.dryRun && decision.updated.length > 0) pendingWritesOf(req).push(...decision.updated);
      return undefined;
    },
  };
}

/** Resources quota admission never charges: kube-apiserver's default ignored resources. */
export const IGNORED_RESOURCES = ['events'];

/**
 * The request's list of writes to make before persisting. Validating plugins see the request
 * read-only, but this list is the one thing they may add to.
 */
function pendingWritesOf(req: Readonly<AdmissionRequest>): NonNullable<AdmissionRequest['pendingWrites']> {
  const writable = req as AdmissionRequest;
  return (writable.pendingWrites ??= []);
}
