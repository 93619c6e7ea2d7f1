import { selectorMatches } from './labels';
import type { ResourceInfo } from './resources';
import { forbidden, invalidValue, notSupported, required, type StatusCause } from './status';
import type { Container, KubeObject, Labels, Pod, ReplicaSet } from './types';

/**
 * Validation: the API server's last check before an object is stored. Each problem becomes
 * a cause naming the field, with Kubernetes' own wording:
 *
 *   validate(pods, { metadata: { name: 'Web_1' }, spec: { containers: [] } })
 *   // => [ { field: 'metadata.name', message: 'Invalid value: "Web_1": a lowercase RFC 1123 subdomain must ...' },
 *   //      { field: 'spec.containers', message: 'Required value' } ]
 *
 * Deliberately minimal for now: names, labels, containers, ReplicaSet selectors and replicas.
 * The API server chapter adds the rest of the field rules.
 */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

export const DNS1123_LABEL_ERROR =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
export const DNS1123_SUBDOMAIN_ERROR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_VALUE_ERROR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const QUALIFIED_NAME_ERROR =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/** Every problem with a new or updated object; `old` is the stored object on update. */
export function validate(info: ResourceInfo, obj: Readonly<KubeObject>, old?: Readonly<KubeObject>): StatusCause[] {
  const causes = validateMeta(info, obj);
  if (info.kind === 'Pod') causes.push(...validatePodSpec((obj as Pod).spec, 'spec'));
  if (info.kind === 'ReplicaSet') causes.push(...validateReplicaSet(obj as ReplicaSet, old as ReplicaSet | undefined));
  return causes;
}

function validateMeta(info: ResourceInfo, obj: Readonly<KubeObject>): StatusCause[] {
  const causes: StatusCause[] = [];
  const name = obj.metadata.name;
  if (name === undefined || name === '') {
    causes.push(required('metadata.name'));
  } else if (info.kind === 'Namespace') {
    if (!DNS1123_LABEL.test(name) || name.length > 63) causes.push(invalidValue('metadata.name', name, DNS1123_LABEL_ERROR));
  } else if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
    causes.push(invalidValue('metadata.name', name, DNS1123_SUBDOMAIN_ERROR));
  }
  causes.push(...validateLabels(obj.metadata.labels, 'metadata.labels'));
  return causes;
}

export function validateLabels(labels: Readonly<Labels> | undefined, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    const namePart = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
    if (!QUALIFIED_NAME.test(namePart) || namePart.length > 63) causes.push(invalidValue(field, key, QUALIFIED_NAME_ERROR));
    if (typeof value !== 'string' || !LABEL_VALUE.test(value) || value.length > 63) {
      causes.push(invalidValue(field, value, LABEL_VALUE_ERROR));
    }
  }
  return causes;
}

function validatePodSpec(spec: Readonly<Pod['spec']> | undefined, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (spec === undefined || spec === null || typeof spec !== 'object') return [required(field)];
  const containers: readonly Container[] = Array.isArray(spec.containers) ? spec.containers : [];
  if (containers.length === 0) causes.push(required(`${field}.containers`));
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    const at = `${field}.containers[${i}]`;
    if (!c.name) causes.push(required(`${at}.name`));
    else if (!DNS1123_LABEL.test(c.name)) causes.push(invalidValue(`${at}.name`, c.name, DNS1123_LABEL_ERROR));
    else if (seen.has(c.name)) causes.push({ reason: 'FieldValueInvalid', message: `Duplicate value: ${JSON.stringify(c.name)}`, field: `${at}.name` });
    seen.add(c.name);
    if (!c.image) causes.push(required(`${at}.image`));
  });
  if (spec.restartPolicy !== undefined && !['Always', 'OnFailure', 'Never'].includes(spec.restartPolicy)) {
    causes.push(notSupported(`${field}.restartPolicy`, spec.restartPolicy, ['Always', 'OnFailure', 'Never']));
  }
  return causes;
}

function validateReplicaSet(rs: Readonly<ReplicaSet>, old: Readonly<ReplicaSet> | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = rs.spec;
  if (spec === undefined || spec === null) return [required('spec')];
  if (spec.replicas !== undefined && (!Number.isInteger(spec.replicas) || spec.replicas < 0)) {
    causes.push(invalidValue('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  }
  const selector = spec.selector;
  const empty = !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
  if (empty) {
    causes.push(required('spec.selector'));
  } else if (!selectorMatches(selector, spec.template?.metadata?.labels)) {
    causes.push(invalidValue('spec.template.metadata.labels', spec.template?.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
  }
  if (old !== undefined && JSON.stringify(old.spec.selector) !== JSON.stringify(selector)) {
    causes.push(invalidValue('spec.selector', selector, 'field is immutable'));
  }
  if (spec.template === undefined) causes.push(required('spec.template'));
  else {
    causes.push(...validateLabels(spec.template.metadata?.labels, 'spec.template.metadata.labels'));
    causes.push(...validatePodSpec(spec.template.spec, 'spec.template.spec'));
  }
  return causes;
}

/** Fields a client may never set itself on create. */
export function validateCreateMeta(obj: Readonly<KubeObject>): StatusCause[] {
  return obj.metadata.deletionTimestamp !== undefined ? [forbidden('metadata.deletionTimestamp', 'may only be set by the API server')] : [];
}
