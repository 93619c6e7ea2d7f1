import { selectorMatches } from '../labels';
import { forbidden, invalidValue, required, type StatusCause } from '../status';
import type { LabelSelector, PodTemplateSpec } from '../types';
import { goStringMap } from './go-syntax';
import { validateLabels } from './meta';
import { invalidAll, isObject, isString, objects, qualifiedName, requiredBecause } from './rules';

/**
 * Label selectors in a spec, and whether a workload's selector picks its own template's pods
 * (apimachinery's ValidateLabelSelector, apps' ValidatePodTemplateSpecForReplicaSet).
 *
 *   validateWorkloadSelector({ matchLabels: { app: 'web' } }, { metadata: { labels: { app: 'db' } } }, 'spec', 'deployment')
 *   // => [ spec.template.metadata.labels: Invalid value: map[string]string{"app":"db"}: `selector` does not match template `labels` ]
 *   validateWorkloadSelector({}, template, 'spec', 'deployment')
 *   // => [ spec.selector: Invalid value: {}: empty selector is invalid for deployment ]
 */
export function validateLabelSelector(selector: Readonly<LabelSelector>, field: string): StatusCause[] {
  const causes = validateLabels(selector.matchLabels, `${field}.matchLabels`);
  objects(selector.matchExpressions).forEach((req, i) => {
    const at = `${field}.matchExpressions[${i}]`;
    const values = Array.isArray(req.values) ? req.values : [];
    if (req.operator === 'In' || req.operator === 'NotIn') {
      if (values.length === 0) causes.push(requiredBecause(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (req.operator === 'Exists' || req.operator === 'DoesNotExist') {
      if (values.length > 0) causes.push(forbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      causes.push(invalidValue(`${at}.operator`, req.operator ?? '', 'not a valid selector operator'));
    }
    if (!isString(req.key)) causes.push(required(`${at}.key`));
    else causes.push(...invalidAll(`${at}.key`, req.key, qualifiedName(req.key)));
  });
  return causes;
}

/**
 * The selector of a Deployment, ReplicaSet, StatefulSet or DaemonSet: required, not empty,
 * well formed, and matching the template's labels (otherwise the workload would never see
 * the pods it creates). `what` names the kind in the empty-selector message, as Kubernetes
 * does (ReplicaSets share the Deployment's wording).
 */
export function validateWorkloadSelector(selector: Readonly<LabelSelector> | undefined, template: Readonly<PodTemplateSpec> | undefined, field: string, what: string): StatusCause[] {
  if (selector === undefined || selector === null) return [required(`${field}.selector`)];
  if (!isObject(selector)) return [invalidValue(`${field}.selector`, selector, 'invalid label selector')];
  const causes = validateLabelSelector(selector, `${field}.selector`);
  const terms = Object.keys(isObject(selector.matchLabels) ? selector.matchLabels : {}).length + objects(selector.matchExpressions).length;
  if (terms === 0) {
    causes.push(invalidValue(`${field}.selector`, selector, `empty selector is invalid for ${what}`));
    return causes;
  }
  if (causes.length > 0) return causes;
  const labels = isObject(template) && isObject(template.metadata) && isObject(template.metadata.labels) ? template.metadata.labels : undefined;
  if (!selectorMatches(selector, labels)) {
    causes.push(invalidValue(`${field}.template.metadata.labels`, goStringMap(labels), '`selector` does not match template `labels`'));
  }
  return causes;
}
