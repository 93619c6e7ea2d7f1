import type { ResourceInfo } from '../resources';
import { forbidden, invalidValue, type StatusCause } from '../status';
import type { KubeObject, Labels, ObjectMeta } from '../types';
import { dns1035Label, dns1123Label, dns1123Subdomain, immutable, invalidAll, isObject, isString, labelValue, nonNegative, pathSegmentName, qualifiedName, requiredBecause } from './rules';

/**
 * metadata validation, shared by every kind (apimachinery's ValidateObjectMeta and
 * ValidateObjectMetaUpdate): the name rule of the kind, namespace, labels, annotations,
 * owner references, finalizers, and on update the fields that identify the object.
 *
 *   validateObjectMeta(resourceFor('Service'), { name: '1web', namespace: 'default' })
 *   // => [ metadata.name: Invalid value: "1web": a DNS-1035 label must consist of ... ]
 *   validateObjectMetaUpdate({ name: 'web', uid: 'b' }, { name: 'web', uid: 'a' })
 *   // => [ metadata.uid: Invalid value: "b": field is immutable ]
 */
type NameRule = (name: string) => string[];

/** Most kinds need a DNS subdomain; these do not. */
const NAME_RULES: Record<string, NameRule> = {
  Namespace: dns1123Label,
  Service: dns1035Label,
  Role: pathSegmentName,
  ClusterRole: pathSegmentName,
  RoleBinding: pathSegmentName,
  ClusterRoleBinding: pathSegmentName,
};

export function nameRuleFor(kind: string): NameRule {
  return NAME_RULES[kind] ?? dns1123Subdomain;
}

/** kube-apiserver refuses more than 256 KiB of annotations on one object. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export function validateObjectMeta(info: ResourceInfo, obj: Readonly<KubeObject>): StatusCause[] {
  const meta: Readonly<ObjectMeta> = isObject(obj.metadata) ? obj.metadata : {};
  const nameRule = nameRuleFor(info.kind);
  const causes: StatusCause[] = [];
  if (isString(meta.generateName) && meta.generateName !== '') {
    // A prefix only has to be valid once the random suffix is added: a trailing '-' is fine.
    causes.push(...invalidAll('metadata.generateName', meta.generateName, nameRule(meta.generateName.replace(/-$/, 'a'))));
  }
  if (!isString(meta.name) || meta.name === '') causes.push(requiredBecause('metadata.name', 'name or generateName is required'));
  else causes.push(...invalidAll('metadata.name', meta.name, nameRule(meta.name)));
  if (info.namespaced) {
    if (!isString(meta.namespace) || meta.namespace === '') causes.push({ reason: 'FieldValueRequired', message: 'Required value', field: 'metadata.namespace' });
    else causes.push(...invalidAll('metadata.namespace', meta.namespace, dns1123Label(meta.namespace)));
  } else if (isString(meta.namespace) && meta.namespace !== '') {
    causes.push(forbidden('metadata.namespace', 'not allowed on this type'));
  }
  causes.push(...nonNegative('metadata.generation', meta.generation));
  causes.push(...validateLabels(meta.labels, 'metadata.labels'));
  causes.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  causes.push(...validateOwnerReferences(meta.ownerReferences));
  causes.push(...validateFinalizers(meta.finalizers));
  return causes;
}

/** Label keys are qualified names, values at most 63 characters of [-A-Za-z0-9_.]. */
export function validateLabels(labels: Readonly<Labels> | undefined, field: string): StatusCause[] {
  if (labels === undefined || labels === null) return [];
  if (!isObject(labels)) return [invalidValue(field, labels, 'must be a map of string keys to string values')];
  const causes: StatusCause[] = [];
  for (const [key, value] of Object.entries(labels)) {
    causes.push(...invalidAll(field, key, qualifiedName(key)));
    if (!isString(value)) causes.push(invalidValue(field, value, 'must be a string'));
    else causes.push(...invalidAll(field, value, labelValue(value)));
  }
  return causes;
}

function validateAnnotations(annotations: Readonly<Record<string, string>> | undefined, field: string): StatusCause[] {
  if (!isObject(annotations)) return [];
  const causes: StatusCause[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    causes.push(...invalidAll(field, key, qualifiedName(key.toLowerCase())));
    size += key.length + (isString(value) ? value.length : 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
    causes.push({ reason: 'FieldValueTooLong', message: `Too long: must have at most ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`, field });
  }
  return causes;
}

function validateOwnerReferences(refs: ObjectMeta['ownerReferences']): StatusCause[] {
  if (!Array.isArray(refs)) return [];
  const causes: StatusCause[] = [];
  const controllers: string[] = [];
  refs.forEach((ref, i) => {
    const at = `metadata.ownerReferences[${i}]`;
    if (!isObject(ref)) return;
    if (!ref.apiVersion) causes.push(requiredBecause(`${at}.apiVersion`, 'version must not be empty'));
    if (!ref.kind) causes.push(requiredBecause(`${at}.kind`, 'kind must not be empty'));
    if (!ref.name) causes.push(requiredBecause(`${at}.name`, 'name must not be empty'));
    if (!ref.uid) causes.push(requiredBecause(`${at}.uid`, 'uid must not be empty'));
    if (ref.controller === true) controllers.push(`${ref.kind}/${ref.name}`);
  });
  if (controllers.length > 1) {
    causes.push(invalidValue('metadata.ownerReferences', refs, `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`));
  }
  return causes;
}

/** Finalizers are qualified names; orphaning and foreground deletion exclude each other. */
function validateFinalizers(finalizers: ObjectMeta['finalizers']): StatusCause[] {
  if (!Array.isArray(finalizers)) return [];
  const causes = finalizers.flatMap((f) => (isString(f) ? invalidAll('metadata.finalizers', f, qualifiedName(f)) : []));
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    causes.push(invalidValue('metadata.finalizers', finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return causes;
}

/** What identifies an object never changes: name, namespace, uid, creationTimestamp. */
export function validateObjectMetaUpdate(next: Readonly<ObjectMeta>, old: Readonly<ObjectMeta>): StatusCause[] {
  return (['name', 'namespace', 'uid', 'creationTimestamp'] as const).flatMap((f) =>
    // An unset field on the new object keeps the stored value (the API server fills it in).
    next[f] === undefined ? [] : immutable(`metadata.${f}`, next[f], old[f]),
  );
}
