import { selectorMatches } from '../labels';
import { forbidden, GoSyntax, invalidValue, notSupported, required, type StatusCause } from '../status';
import type { ControllerRevision, DaemonSet, Deployment, IntOrString, PodTemplateSpec, ReplicaSet, ReplicationController, StatefulSet } from '../types';
import { goIntOrString, goStringMap } from './go-syntax';
import { validateLabels } from './meta';
import { effectiveRestartPolicy, validatePodTemplate } from './pod';
import { immutable, isObject, isString, nonNegative, requiredBecause, sameJson } from './rules';
import { validateWorkloadSelector } from './selector';

/**
 * Workload validation (pkg/apis/apps/validation and core's ReplicationController rules):
 * replicas, selector, the pod template, update strategies, and what may not change.
 *
 *   validateDeployment({ spec: { replicas: -1, selector, template } })
 *   // => [ spec.replicas: Invalid value: -1: must be greater than or equal to 0 ]
 *   validateDeployment(withOtherSelector, old)
 *   // => [ spec.selector: Invalid value: {...}: field is immutable ]
 */
export function validateReplicaSet(rs: Readonly<ReplicaSet>, old?: Readonly<ReplicaSet>): StatusCause[] {
  const spec = rs.spec;
  if (!isObject(spec)) return [required('spec')];
  return [
    ...nonNegative('spec.replicas', spec.replicas),
    ...nonNegative('spec.minReadySeconds', spec.minReadySeconds),
    ...validateWorkloadSelector(spec.selector, spec.template, 'spec', 'deployment'),
    ...validateControlledTemplate(spec.template, 'ReplicaSet'),
    ...(old !== undefined ? immutable('spec.selector', spec.selector, old.spec?.selector) : []),
  ];
}

/** The pre-apps ReplicaSet: a plain label map as selector (defaulted from the template's labels). */
export function validateReplicationController(rc: Readonly<ReplicationController>): StatusCause[] {
  const spec = rc.spec;
  if (!isObject(spec)) return [required('spec')];
  const causes = nonNegative('spec.minReadySeconds', spec.minReadySeconds);
  const selector = isObject(spec.selector) ? spec.selector : {};
  if (Object.keys(selector).length === 0) causes.push(required('spec.selector'));
  causes.push(...nonNegative('spec.replicas', spec.replicas));
  if (!isObject(spec.template)) return [...causes, required('spec.template')];
  const labels = spec.template.metadata?.labels;
  if (Object.keys(selector).length > 0 && !selectorMatches({ matchLabels: selector }, labels)) {
    causes.push(invalidValue('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
  }
  return [...causes, ...validateControlledTemplate(spec.template, 'ReplicationController')];
}

export function validateDeployment(d: Readonly<Deployment>, old?: Readonly<Deployment>): StatusCause[] {
  const spec = d.spec;
  if (!isObject(spec)) return [required('spec')];
  const causes = [
    ...nonNegative('spec.replicas', spec.replicas),
    ...validateWorkloadSelector(spec.selector, spec.template, 'spec', 'deployment'),
    ...validateControlledTemplate(spec.template, 'Deployment'),
  ];
  const strategy = spec.strategy;
  if (isObject(strategy)) {
    const at = 'spec.strategy.rollingUpdate';
    if (strategy.type === 'Recreate') {
      if (strategy.rollingUpdate !== undefined) causes.push(forbidden(at, "may not be specified when strategy `type` is 'Recreate'"));
    } else if (strategy.type === 'RollingUpdate') {
      // The defaults always set it (and maxSurge/maxUnavailable to 25%); an unset one counts as 0.
      const ru = isObject(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
      const maxUnavailable = ru.maxUnavailable ?? 0;
      const maxSurge = ru.maxSurge ?? 0;
      causes.push(...intOrPercent(`${at}.maxUnavailable`, maxUnavailable), ...intOrPercent(`${at}.maxSurge`, maxSurge));
      if (intOrPercentValue(maxUnavailable) === 0 && intOrPercentValue(maxSurge) === 0) {
        causes.push(invalidValue(`${at}.maxUnavailable`, goIntOrString(maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      }
      // Only maxUnavailable: a surge of 200% is allowed.
      causes.push(...notMoreThan100Percent(`${at}.maxUnavailable`, maxUnavailable));
    } else if (strategy.type !== undefined) {
      const ru = strategy.rollingUpdate === undefined ? 'nil' : '0xc000000000';
      causes.push(notSupported('spec.strategy', new GoSyntax(`apps.DeploymentStrategy{Type:${JSON.stringify(strategy.type)}, RollingUpdate:(*apps.RollingUpdateDeployment)(${ru})}`), ['Recreate', 'RollingUpdate']));
    }
  }
  causes.push(...nonNegative('spec.minReadySeconds', spec.minReadySeconds));
  causes.push(...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit));
  if (spec.progressDeadlineSeconds !== undefined) {
    causes.push(...nonNegative('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      causes.push(invalidValue('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  if (old !== undefined) causes.push(...immutable('spec.selector', spec.selector, old.spec?.selector));
  return causes;
}

export const STATEFULSET_UPDATE_FORBIDDEN =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

export function validateStatefulSet(sts: Readonly<StatefulSet>, old?: Readonly<StatefulSet>): StatusCause[] {
  const spec = sts.spec;
  if (!isObject(spec)) return [required('spec')];
  const causes: StatusCause[] = [];
  if (spec.podManagementPolicy !== undefined && !['OrderedReady', 'Parallel'].includes(spec.podManagementPolicy)) {
    causes.push(invalidValue('spec.podManagementPolicy', spec.podManagementPolicy, "must be 'OrderedReady' or 'Parallel'"));
  }
  const strategy = isObject(spec.updateStrategy) ? spec.updateStrategy : {};
  if (strategy.type === 'OnDelete' && strategy.rollingUpdate !== undefined) {
    causes.push(invalidValue('spec.updateStrategy.rollingUpdate', strategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
  } else if (strategy.type === 'RollingUpdate') {
    causes.push(...nonNegative('spec.updateStrategy.rollingUpdate.partition', strategy.rollingUpdate?.partition));
  } else if (strategy.type !== undefined) {
    causes.push(invalidValue('spec.updateStrategy', strategy, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  causes.push(...nonNegative('spec.replicas', spec.replicas));
  causes.push(...nonNegative('spec.ordinals.start', spec.ordinals?.start));
  causes.push(...nonNegative('spec.minReadySeconds', spec.minReadySeconds));
  causes.push(...validateWorkloadSelector(spec.selector, spec.template, 'spec', 'statefulset'));
  causes.push(...validateControlledTemplate(spec.template, 'StatefulSet'));
  if (old !== undefined && isObject(old.spec)) {
    const { replicas: _r, ordinals: _o, template: _t, updateStrategy: _u, persistentVolumeClaimRetentionPolicy: _p, minReadySeconds: _m, ...fixed } = spec;
    const { replicas: _r2, ordinals: _o2, template: _t2, updateStrategy: _u2, persistentVolumeClaimRetentionPolicy: _p2, minReadySeconds: _m2, ...oldFixed } = old.spec;
    if (!sameJson(fixed, oldFixed)) causes.push(forbidden('spec', STATEFULSET_UPDATE_FORBIDDEN));
  }
  return causes;
}

export function validateDaemonSet(ds: Readonly<DaemonSet>, old?: Readonly<DaemonSet>): StatusCause[] {
  const spec = ds.spec;
  if (!isObject(spec)) return [required('spec')];
  const causes = [...validateWorkloadSelector(spec.selector, spec.template, 'spec', 'daemonset'), ...validateControlledTemplate(spec.template, 'DaemonSet')];
  causes.push(...nonNegative('spec.minReadySeconds', spec.minReadySeconds));
  const strategy = isObject(spec.updateStrategy) ? spec.updateStrategy : {};
  if (strategy.type === 'RollingUpdate') {
    const at = 'spec.updateStrategy.rollingUpdate';
    const ru = isObject(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
    const maxUnavailable = ru.maxUnavailable ?? 0;
    const maxSurge = ru.maxSurge ?? 0;
    causes.push(...intOrPercent(`${at}.maxUnavailable`, maxUnavailable), ...intOrPercent(`${at}.maxSurge`, maxSurge));
    causes.push(...notMoreThan100Percent(`${at}.maxUnavailable`, maxUnavailable), ...notMoreThan100Percent(`${at}.maxSurge`, maxSurge));
    const hasUnavailable = intOrPercentValue(maxUnavailable) !== 0;
    const hasSurge = intOrPercentValue(maxSurge) !== 0;
    if (hasUnavailable && hasSurge) causes.push(invalidValue(`${at}.maxSurge`, goIntOrString(maxSurge), 'may not be set when maxUnavailable is non-zero'));
    if (!hasUnavailable && !hasSurge) causes.push(requiredBecause(`${at}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  } else if (strategy.type !== undefined && strategy.type !== 'OnDelete') {
    causes.push(notSupported('spec.updateStrategy', strategy.type, ['OnDelete', 'RollingUpdate']));
  }
  causes.push(...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit));
  if (old !== undefined) causes.push(...immutable('spec.selector', spec.selector, old.spec?.selector));
  return causes;
}

/**
 * A ControllerRevision (ValidateControllerRevision, ValidateControllerRevisionUpdate): it must
 * carry data, its revision number is not negative, and its data never changes (its revision
 * number may: a rollback renumbers an old revision as the newest).
 *
 *   validateControllerRevision({ revision: -1 })   // => [ data: Required value: data is mandatory, revision: Invalid value: -1: must be ... ]
 */
export function validateControllerRevision(cr: Readonly<ControllerRevision>, old?: Readonly<ControllerRevision>): StatusCause[] {
  const causes: StatusCause[] = [];
  if (cr.data === undefined || cr.data === null) causes.push(requiredBecause('data', 'data is mandatory'));
  causes.push(...nonNegative('revision', cr.revision));
  if (old !== undefined) causes.push(...immutable('data', cr.data, old.data));
  return causes;
}

/**
 * A controller restarts what stops: its pods must restart Always, and cannot have a deadline.
 * A StatefulSet's pod spec is not validated at all, only its labels: its volume mounts may
 * name volumeClaimTemplates, which plain pod validation would reject (Kubernetes leaves a
 * TODO there). Its pods are validated when the controller creates them.
 */
function validateControlledTemplate(template: Readonly<PodTemplateSpec> | undefined, kind: string): StatusCause[] {
  const causes =
    kind === 'StatefulSet' ? validateLabels(isObject(template) ? template.metadata?.labels : undefined, 'spec.template.labels') : validatePodTemplate(template, 'spec.template');
  const policy = effectiveRestartPolicy(template);
  if (policy !== 'Always') causes.push(notSupported('spec.template.spec.restartPolicy', policy, ['Always']));
  if (isObject(template) && isObject(template.spec) && template.spec.activeDeadlineSeconds !== undefined) {
    const field = 'spec.template.spec.activeDeadlineSeconds';
    const message = `activeDeadlineSeconds in ${kind} is not Supported`;
    causes.push(kind === 'StatefulSet' || kind === 'DaemonSet' ? forbidden(field, message) : invalidValue(field, template.spec.activeDeadlineSeconds, message));
  }
  return causes;
}

const PERCENT = /^[0-9]+%$/;
const PERCENT_ERROR = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/**
 * ValidatePositiveIntOrPercent: a non-negative number of pods, or a percentage; the percent
 * messages print the value as Go does (go-syntax.ts).
 *
 *   intOrPercent('...maxSurge', -1)       // => [ ...maxSurge: Invalid value: -1: must be greater than or equal to 0 ]
 *   intOrPercent('...maxSurge', '20pc')   // => [ ...maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"20pc"}: a valid percent string must be ... ]
 */
function intOrPercent(field: string, value: IntOrString): StatusCause[] {
  if (isString(value)) return PERCENT.test(value) ? [] : [invalidValue(field, goIntOrString(value), PERCENT_ERROR)];
  return nonNegative(field, value);
}

/** IsNotMoreThan100Percent: a valid percentage above 100% is refused; a number of pods is not looked at. */
function notMoreThan100Percent(field: string, value: IntOrString): StatusCause[] {
  return isString(value) && PERCENT.test(value) && parseInt(value, 10) > 100 ? [invalidValue(field, goIntOrString(value), 'must not be greater than 100%')] : [];
}

/** getIntOrPercentValue: a valid percentage's number, else the number (a string that is not one: 0). */
function intOrPercentValue(v: IntOrString): number {
  if (!isString(v)) return v;
  if (PERCENT.test(v)) return parseInt(v, 10);
  return /^-?\d+$/.test(v) ? parseInt(v, 10) : 0;
}
