import { compareQuantities, formatQuantity, isQuantity, parseQuantity } from '../quantity';
import { isOvercommitAllowed } from '../resource-names';
import { forbidden, invalidValue, notSupported, required, type StatusCause } from '../status';
import type { Affinity, Container, ContainerPort, PodSpec, PodTemplateSpec, Probe, Toleration, TopologySpreadConstraint, Volume } from '../types';
import { validateLabels } from './meta';
import {
  dns1123Label,
  dns1123Subdomain,
  duplicate,
  invalidAll,
  isObject,
  isString,
  notFoundValue,
  objects,
  portName,
  portNumber,
  qualifiedName,
  requiredBecause,
  sameJson,
} from './rules';

/**
 * Pod spec validation (pkg/apis/core/validation: ValidatePodSpec, ValidatePodUpdate), used
 * for pods and for every workload's pod template.
 *
 *   validatePodSpec({ containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 70000 }] }] }, 'spec')
 *   // => [ spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive ]
 *
 * The lab checks the fields it types; a field left unset is taken as defaulting would fill it.
 */
export function validatePodSpec(spec: Readonly<PodSpec> | undefined, field: string): StatusCause[] {
  if (!isObject(spec)) return [required(field)];
  const causes: StatusCause[] = [];
  const volumes = validateVolumes(spec.volumes, `${field}.volumes`, causes);
  const names = new Set<string>();
  const containers = objects(spec.containers);
  if (containers.length === 0) causes.push(required(`${field}.containers`));
  containers.forEach((c, i) => causes.push(...validateContainer(c, `${field}.containers[${i}]`, volumes, names)));
  objects(spec.initContainers).forEach((c, i) => causes.push(...validateContainer(c, `${field}.initContainers[${i}]`, volumes, names)));
  if (spec.restartPolicy !== undefined && !['Always', 'OnFailure', 'Never'].includes(spec.restartPolicy)) {
    causes.push(notSupported(`${field}.restartPolicy`, spec.restartPolicy, ['Always', 'OnFailure', 'Never']));
  }
  const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  if (spec.dnsPolicy !== undefined && !dnsPolicies.includes(spec.dnsPolicy)) causes.push(notSupported(`${field}.dnsPolicy`, spec.dnsPolicy, dnsPolicies));
  causes.push(...validateLabels(spec.nodeSelector, `${field}.nodeSelector`));
  causes.push(...validateAffinity(spec.affinity, `${field}.affinity`));
  objects(spec.topologySpreadConstraints).forEach((t, i) => causes.push(...validateSpreadConstraint(t, `${field}.topologySpreadConstraints[${i}]`)));
  if (isString(spec.serviceAccountName) && spec.serviceAccountName !== '') {
    causes.push(...invalidAll(`${field}.serviceAccountName`, spec.serviceAccountName, dns1123Subdomain(spec.serviceAccountName)));
  }
  if (isString(spec.nodeName) && spec.nodeName !== '') causes.push(...invalidAll(`${field}.nodeName`, spec.nodeName, dns1123Subdomain(spec.nodeName)));
  const deadline = spec.activeDeadlineSeconds;
  if (deadline !== undefined && !(Number.isInteger(deadline) && deadline >= 1 && deadline <= 2147483647)) {
    causes.push(invalidValue(`${field}.activeDeadlineSeconds`, deadline, 'must be between 1 and 2147483647, inclusive'));
  }
  for (const f of ['hostname', 'subdomain'] as const) {
    const v = spec[f];
    if (isString(v) && v !== '') causes.push(...invalidAll(`${field}.${f}`, v, dns1123Label(v)));
  }
  objects(spec.tolerations).forEach((t, i) => causes.push(...validateToleration(t, `${field}.tolerations[${i}]`)));
  return causes;
}

/** A workload's pod template: its labels and annotations, then its pod spec. */
export function validatePodTemplate(template: Readonly<PodTemplateSpec> | undefined, field: string): StatusCause[] {
  const t: Readonly<Partial<PodTemplateSpec>> = isObject(template) ? template : {};
  return [...validateLabels(t.metadata?.labels, `${field}.metadata.labels`), ...validatePodSpec(t.spec ?? ({} as PodSpec), `${field}.spec`)];
}

/** The restart policy a template will have once defaulted. */
export function effectiveRestartPolicy(template: Readonly<PodTemplateSpec> | undefined): string {
  return (isObject(template) && isObject(template.spec) && template.spec.restartPolicy) || 'Always';
}

function validateVolumes(volumes: readonly Volume[] | undefined, field: string, causes: StatusCause[]): Set<string> {
  const names = new Set<string>();
  const sources = ['emptyDir', 'hostPath', 'configMap', 'secret', 'persistentVolumeClaim', 'projected'] as const;
  objects(volumes).forEach((v, i) => {
    const at = `${field}[${i}]`;
    const set = sources.filter((s) => v[s] !== undefined);
    if (set.length === 0) causes.push(requiredBecause(at, 'must specify a volume type'));
    set.slice(1).forEach((s) => causes.push(forbidden(`${at}.${s}`, 'may not specify more than 1 volume type')));
    if (isObject(v.configMap) && !v.configMap.name) causes.push(required(`${at}.configMap.name`));
    if (isObject(v.secret) && !v.secret.secretName) causes.push(required(`${at}.secret.secretName`));
    if (isObject(v.persistentVolumeClaim) && !v.persistentVolumeClaim.claimName) causes.push(required(`${at}.persistentVolumeClaim.claimName`));
    if (isObject(v.hostPath) && !v.hostPath.path) causes.push(required(`${at}.hostPath.path`));
    if (!isString(v.name) || v.name === '') causes.push(required(`${at}.name`));
    else causes.push(...invalidAll(`${at}.name`, v.name, dns1123Label(v.name)));
    if (names.has(v.name)) causes.push(duplicate(`${at}.name`, v.name));
    names.add(v.name);
  });
  return names;
}

/** Checks one container; `names` collects container names across containers and initContainers. */
function validateContainer(c: Readonly<Container>, at: string, volumes: ReadonlySet<string>, names: Set<string>): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!isString(c.name) || c.name === '') causes.push(required(`${at}.name`));
  else causes.push(...invalidAll(`${at}.name`, c.name, dns1123Label(c.name)));
  if (!isString(c.image) || c.image === '') causes.push(required(`${at}.image`));
  const policies = ['File', 'FallbackToLogsOnError'];
  if (c.terminationMessagePolicy !== undefined && !policies.includes(c.terminationMessagePolicy)) {
    causes.push(notSupported(`${at}.terminationMessagePolicy`, c.terminationMessagePolicy, policies));
  }
  causes.push(...validateContainerPorts(c.ports, `${at}.ports`));
  objects(c.env).forEach((e, i) => {
    if (!isString(e.name) || e.name === '') causes.push(required(`${at}.env[${i}].name`));
  });
  causes.push(...validateVolumeMounts(c, at, volumes));
  const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
  if (c.imagePullPolicy !== undefined && !pullPolicies.includes(c.imagePullPolicy)) causes.push(notSupported(`${at}.imagePullPolicy`, c.imagePullPolicy, pullPolicies));
  for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) causes.push(...validateProbe(c[p], `${at}.${p}`, p !== 'readinessProbe'));
  causes.push(...validateNoOvercommit(c.resources, `${at}.resources`));
  if (isString(c.name) && c.name !== '') {
    if (names.has(c.name)) causes.push(duplicate(`${at}.name`, c.name));
    names.add(c.name);
  }
  return causes;
}

/**
 * A resource that may not be overcommitted (an extended resource such as nvidia.com/gpu, huge
 * pages) needs a limit, and its request must equal it (ValidateResourceRequirements). Defaulting
 * has already copied a limit without a request into the request.
 *
 *   requests nvidia.com/gpu 1, limits nvidia.com/gpu 2
 *   // => resources.requests: Invalid value: "1": must be equal to nvidia.com/gpu limit of 2
 *   requests nvidia.com/gpu 1, no limit
 *   // => resources.limits: Required value: Limit must be set for non overcommitable resources
 *
 * (The request <= limit rule for cpu and memory is not checked by the lab.)
 */
function validateNoOvercommit(resources: Container['resources'], at: string): StatusCause[] {
  if (!isObject(resources) || !isObject(resources.requests)) return [];
  const limits = isObject(resources.limits) ? resources.limits : {};
  const causes: StatusCause[] = [];
  for (const [name, request] of Object.entries(resources.requests)) {
    if (isOvercommitAllowed(name) || !isString(request) || !isQuantity(request)) continue;
    const limit = limits[name];
    if (limit === undefined) causes.push(requiredBecause(`${at}.limits`, 'Limit must be set for non overcommitable resources'));
    else if (isString(limit) && isQuantity(limit) && compareQuantities(parseQuantity(request), parseQuantity(limit)) !== 0) {
      causes.push(invalidValue(`${at}.requests`, formatQuantity(parseQuantity(request)), `must be equal to ${name} limit of ${formatQuantity(parseQuantity(limit))}`));
    }
  }
  return causes;
}

function validateContainerPorts(ports: readonly ContainerPort[] | undefined, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const names = new Set<string>();
  objects(ports).forEach((p, i) => {
    const at = `${field}[${i}]`;
    if (isString(p.name) && p.name !== '') {
      const problems = portName(p.name);
      if (problems.length > 0) causes.push(...invalidAll(`${at}.name`, p.name, problems));
      else if (names.has(p.name)) causes.push(duplicate(`${at}.name`, p.name));
      names.add(p.name);
    }
    if (p.containerPort === undefined || p.containerPort === 0) causes.push(required(`${at}.containerPort`));
    else causes.push(...invalidAll(`${at}.containerPort`, p.containerPort, portNumber(p.containerPort)));
    if (p.hostPort !== undefined && p.hostPort !== 0) causes.push(...invalidAll(`${at}.hostPort`, p.hostPort, portNumber(p.hostPort)));
    if (p.protocol !== undefined && !['SCTP', 'TCP', 'UDP'].includes(p.protocol)) causes.push(notSupported(`${at}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
  });
  return causes;
}

function validateVolumeMounts(c: Readonly<Container>, at: string, volumes: ReadonlySet<string>): StatusCause[] {
  const causes: StatusCause[] = [];
  const paths = new Set<string>();
  objects(c.volumeMounts).forEach((m, i) => {
    const mat = `${at}.volumeMounts[${i}]`;
    if (!isString(m.name) || m.name === '') causes.push(required(`${mat}.name`));
    else if (!volumes.has(m.name)) causes.push(notFoundValue(`${mat}.name`, m.name));
    if (!isString(m.mountPath) || m.mountPath === '') causes.push(required(`${mat}.mountPath`));
    else if (paths.has(m.mountPath)) causes.push(invalidValue(`${mat}.mountPath`, m.mountPath, 'must be unique'));
    paths.add(m.mountPath);
  });
  return causes;
}

/** One handler (exec, httpGet, tcpSocket or grpc); a liveness or startup probe's successThreshold must be 1. */
function validateProbe(probe: Readonly<Probe> | undefined, at: string, successOnce: boolean): StatusCause[] {
  if (!isObject(probe)) return [];
  const handlers = (['exec', 'httpGet', 'tcpSocket', 'grpc'] as const).filter((h) => probe[h] !== undefined);
  if (handlers.length === 0) return [requiredBecause(at, 'must specify a handler type')];
  const causes = handlers.slice(1).map((h) => forbidden(`${at}.${h}`, 'may not specify more than 1 handler type'));
  if (successOnce && probe.successThreshold !== undefined && probe.successThreshold !== 1) causes.push(invalidValue(`${at}.successThreshold`, probe.successThreshold, 'must be 1'));
  return causes;
}

function validateToleration(t: Readonly<Toleration>, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (isString(t.key) && t.key !== '') causes.push(...invalidAll(`${at}.key`, t.key, qualifiedName(t.key)));
  if ((t.key === undefined || t.key === '') && t.operator !== 'Exists') {
    causes.push(invalidValue(`${at}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
  }
  if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
    causes.push(invalidValue(`${at}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
  }
  if (t.operator === 'Exists' && isString(t.value) && t.value !== '') {
    causes.push(invalidValue(`${at}.operator`, t, "value must be empty when `operator` is 'Exists'"));
  } else if (t.operator !== undefined && !['Equal', 'Exists'].includes(t.operator)) {
    causes.push(notSupported(`${at}.operator`, t.operator, ['Equal', 'Exists']));
  }
  const effects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
  if (t.effect !== undefined && (t.effect as string) !== '' && !effects.includes(t.effect)) causes.push(notSupported(`${at}.effect`, t.effect, effects));
  return causes;
}

function validateAffinity(affinity: Readonly<Affinity> | undefined, field: string): StatusCause[] {
  if (!isObject(affinity)) return [];
  const causes: StatusCause[] = [];
  const required = affinity.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (isObject(required) && objects(required.nodeSelectorTerms).length === 0) {
    causes.push(requiredBecause(`${field}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`, 'must have at least one node selector term'));
  }
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const at = `${field}.${kind}`;
    objects(affinity[kind]?.requiredDuringSchedulingIgnoredDuringExecution).forEach((term, i) => {
      if (!term.topologyKey) causes.push(requiredBecause(`${at}.requiredDuringSchedulingIgnoredDuringExecution[${i}].topologyKey`, 'can not be empty'));
    });
    objects(affinity[kind]?.preferredDuringSchedulingIgnoredDuringExecution).forEach((w, i) => {
      const wat = `${at}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      if (!(Number.isInteger(w.weight) && w.weight >= 1 && w.weight <= 100)) causes.push(invalidValue(`${wat}.weight`, w.weight, 'must be in the range 1-100'));
      if (!w.podAffinityTerm?.topologyKey) causes.push(requiredBecause(`${wat}.podAffinityTerm.topologyKey`, 'can not be empty'));
    });
  }
  return causes;
}

function validateSpreadConstraint(t: Readonly<TopologySpreadConstraint>, at: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!(Number.isInteger(t.maxSkew) && t.maxSkew > 0)) causes.push(invalidValue(`${at}.maxSkew`, t.maxSkew ?? 0, 'must be greater than zero'));
  if (!isString(t.topologyKey) || t.topologyKey === '') causes.push(requiredBecause(`${at}.topologyKey`, 'can not be empty'));
  else causes.push(...invalidAll(`${at}.topologyKey`, t.topologyKey, qualifiedName(t.topologyKey)));
  const actions = ['DoNotSchedule', 'ScheduleAnyway'];
  if (!actions.includes(t.whenUnsatisfiable)) causes.push(notSupported(`${at}.whenUnsatisfiable`, t.whenUnsatisfiable ?? '', actions));
  return causes;
}

/** The fields of a running pod an update may change, as kube-apiserver lists them. */
export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/**
 * A pod's spec is fixed once created, except images, activeDeadlineSeconds, added
 * tolerations and a negative grace period set to 1. Like ValidatePodUpdate, the new spec is
 * compared with the old one after copying the old values of those fields into it.
 * (kube-apiserver appends a field-by-field diff of the two specs to the message; the lab does not.)
 */
export function validatePodSpecUpdate(next: Readonly<PodSpec>, old: Readonly<PodSpec>): StatusCause[] {
  if (!isObject(next) || !isObject(old)) return [];
  const munged: PodSpec = structuredClone(next) as PodSpec;
  const keepImages = (now: Container[] | undefined, before: Container[] | undefined) => {
    if (!Array.isArray(now) || !Array.isArray(before) || now.length !== before.length) return;
    now.forEach((c, i) => {
      if (isObject(c) && isObject(before[i])) c.image = before[i].image;
    });
  };
  keepImages(munged.containers, old.containers);
  keepImages(munged.initContainers, old.initContainers);
  munged.activeDeadlineSeconds = old.activeDeadlineSeconds;
  const oldTolerations = objects(old.tolerations);
  if (oldTolerations.every((t) => objects(next.tolerations).some((n) => sameJson(n, t)))) munged.tolerations = old.tolerations;
  if ((old.terminationGracePeriodSeconds ?? 0) < 0 && next.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds;
  return sameJson(munged, old) ? [] : [forbidden('spec', POD_UPDATE_FORBIDDEN)];
}
