/**
 * Exercise `resource-quota` — ResourceQuota admission.                        (chapter 03)
 *
 * A ResourceQuota caps what a namespace may hold: how many pods, how much CPU and memory
 * they may request, how many ConfigMaps... The API server enforces it at admission, before
 * anything is stored: it measures the new object, adds that to what each quota has already
 * counted (status.used), and refuses the object if any quota would go over its limit
 * (status.hard). If every quota has room, the raised status.used is written back together
 * with the object, so the next request sees it.
 *
 * You write the pure decision. The cluster's admission plugin measures the object for you
 * (usageOf / podUsage, unspecifiedResources in lab-kernel/apiserver/admission/resource-quota-contract.ts),
 * calls your function, writes the quotas you return and turns a denial into
 *   403 pods "web" is forbidden: <your message>
 * Run a cluster on your code with createCluster({ use: { 'resource-quota': 'exercise' } })
 * and grade it with npm run grade -- resource-quota
 *
 * Input => output, by example. compute-quota's status is
 *   { hard: { 'requests.cpu': '2', pods: '5' }, used: { 'requests.cpu': '1', pods: '1' } }
 *
 *   usage { pods: '1', 'requests.cpu': '500m', cpu: '500m', 'count/pods': '1' }
 *   => { decision: 'allow', updated: [compute-quota with used { 'requests.cpu': '1500m', pods: '2' }] }
 *
 *   usage { pods: '1', 'requests.cpu': '2', ... }
 *   => { decision: 'deny', message:
 *        'exceeded quota: compute-quota, requested: requests.cpu=2, used: requests.cpu=1, limited: requests.cpu=2' }
 *
 *   usage { pods: '1', ... }, unspecified { 'requests.cpu': ['web'], ... }
 *   => { decision: 'deny', message: 'failed quota: compute-quota: must specify requests.cpu for: web' }
 *
 *   usage { 'count/configmaps': '1', configmaps: '1' }   (compute-quota limits nothing a ConfigMap uses)
 *   => { decision: 'allow', updated: [] }
 *
 * Quantities are strings ('500m', '1Gi'): parse them with parseQuantity, add with
 * addQuantities, compare with compareQuantities, and write them with formatQuantity
 * (lab-kernel/api/quantity.ts). Never change the quotas you are given: build new objects.
 */
import { addQuantities, canonicalQuantity, compareQuantities, formatQuantity, parseQuantity } from '../../lab-kernel/api/quantity';
import type { ResourceList } from '../../lab-kernel/api/types';
import type { QuotaDecision, QuotaInput, ResourceQuota } from '../../lab-kernel/apiserver/admission/resource-quota-contract';
import { notImplemented } from '../../lab-kernel/sim/not-implemented';

export function evaluateQuota(input: QuotaInput): QuotaDecision {
  // TODO(1) For each quota, find the resources it restricts for this object (restrictedResources).
  //         A quota that restricts nothing does not apply: skip it.
  // TODO(2) For each quota that applies, checkConstraints; the first refusal denies the object.
  //         (Check every quota this way before charging any: a "failed quota" wins over "exceeded quota".)
  // TODO(4) Then, quota by quota, charge the usage:
  //           requested = the restricted resources whose usage is not zero (none: skip this quota);
  //           new used  = used + usage, for each requested resource (keep the other used values);
  //           exceeded  = the requested resources whose new used is over hard.
  //         Any exceeded => deny with
  //           `exceeded quota: <name>, requested: <usage>, used: <used>, limited: <hard>`
  //         each list being prettyPrint(..., exceeded). Otherwise keep a copy of the quota
  //         with the new status.used in `updated`. No denial => { decision: 'allow', updated }.
  void addQuantities;
  void compareQuantities;
  void formatQuantity;
  throw notImplemented('resource-quota');
}

/**
 * TODO(1) Which of the quota's resources does this object touch? The names in
 * quota.status.hard (what the controller has confirmed; a quota it has not processed yet has
 * no status and limits nothing) that appear in input.usage or in input.unspecified, sorted.
 *
 *   status.hard { pods: '5', 'requests.cpu': '2', services: '3' }, usage of a pod   => ['pods', 'requests.cpu']
 *   same quota, usage { 'count/configmaps': '1', configmaps: '1' }                => []
 *   status.hard { 'limits.cpu': '4' }, unspecified { 'limits.cpu': ['web'] }      => ['limits.cpu']
 */
export function restrictedResources(quota: Readonly<ResourceQuota>, input: QuotaInput): string[] {
  throw notImplemented('resource-quota');
}

/**
 * TODO(2) Can this quota be checked at all? Two refusals, in this order, else undefined:
 *  - some restricted resources are unspecified by some containers:
 *      `failed quota: <name>: must specify <resource> for: <containers>; <resource> for: <containers>`
 *    resources sorted, each with its containers joined by ',' (unspecified already sorts them);
 *  - some restricted resources have no value in status.used yet (the controller has not counted them):
 *      `status unknown for quota: <name>, resources: <resources joined by ','>`
 *
 *   restricted ['limits.cpu', 'requests.cpu'], unspecified { 'limits.cpu': ['web'], 'requests.cpu': ['web'] }
 *   => 'failed quota: compute-quota: must specify limits.cpu for: web; requests.cpu for: web'
 */
export function checkConstraints(
  quota: Readonly<ResourceQuota>,
  restricted: readonly string[],
  unspecified: Readonly<Record<string, readonly string[]>>,
): string | undefined {
  throw notImplemented('resource-quota');
}

/**
 * TODO(3) A resource list the way Kubernetes prints one in a quota message: `name=value` for
 * each of the given names, sorted by name, the value written canonically (canonicalQuantity),
 * joined by ',' with no space.
 *
 *   prettyPrint({ 'requests.memory': '1024Mi', 'requests.cpu': '0.5', pods: '3' }, ['requests.memory', 'requests.cpu'])
 *   => 'requests.cpu=500m,requests.memory=1Gi'
 */
export function prettyPrint(list: Readonly<ResourceList>, names: readonly string[]): string {
  void canonicalQuantity;
  void parseQuantity;
  throw notImplemented('resource-quota');
}
