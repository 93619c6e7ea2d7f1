import { parseQuantity, QuantityError } from '../quantity';
import type { ResourceInfo } from '../resources';

/**
 * What kube-apiserver's decoder refuses before validation even starts: a field of the wrong
 * JSON type, a Secret value that is not base64, a malformed quantity. Real clusters answer
 * these with 400 Bad Request, not 422, in this form:
 *
 *   decodeError(resourceFor('Secret'), { data: { password: 'admin' } })
 *   // => 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4'
 *   decodeError(resourceFor('Deployment'), { spec: { replicas: 'three' } })
 *   // => 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string
 *   //     into Go struct field DeploymentSpec.spec.replicas of type int32'
 *   decodeError(resourceFor('Pod'), validPod)  // => undefined
 *
 * The lab checks the fields it types (metadata, and the pod template's main fields in every
 * kind that has one), not every field of the real schema.
 */
export function decodeError(info: ResourceInfo, body: Record<string, unknown>): string | undefined {
  const problem = typeError(info, body) ?? (info.kind === 'Secret' ? secretDataError(body.data) : undefined) ?? quantityError(info, body);
  return problem === undefined ? undefined : `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: ${problem}`;
}

type JsonType = 'string' | 'integer' | 'object' | 'array' | 'stringMap' | 'stringList';

/** A typed field: its JSON path, the Go struct that holds it and the Go type it decodes into. */
interface TypedField {
  path: string;
  type: JsonType;
  struct: string;
  goType: string;
}

const META: TypedField[] = [
  { path: 'metadata.name', type: 'string', struct: 'ObjectMeta', goType: 'string' },
  { path: 'metadata.generateName', type: 'string', struct: 'ObjectMeta', goType: 'string' },
  { path: 'metadata.namespace', type: 'string', struct: 'ObjectMeta', goType: 'string' },
  { path: 'metadata.resourceVersion', type: 'string', struct: 'ObjectMeta', goType: 'string' },
  { path: 'metadata.labels', type: 'stringMap', struct: 'ObjectMeta', goType: 'map[string]string' },
  { path: 'metadata.annotations', type: 'stringMap', struct: 'ObjectMeta', goType: 'map[string]string' },
  { path: 'metadata.finalizers', type: 'stringList', struct: 'ObjectMeta', goType: '[]string' },
];

/** The pod spec's main fields, under `at` (spec, spec.template.spec, ...). */
function podSpecFields(at: string): TypedField[] {
  return [
    { path: at, type: 'object', struct: at === 'spec' ? 'Pod' : 'PodTemplateSpec', goType: 'v1.PodSpec' },
    { path: `${at}.containers`, type: 'array', struct: 'PodSpec', goType: '[]v1.Container' },
    { path: `${at}.initContainers`, type: 'array', struct: 'PodSpec', goType: '[]v1.Container' },
    { path: `${at}.containers[].name`, type: 'string', struct: 'Container', goType: 'string' },
    { path: `${at}.containers[].image`, type: 'string', struct: 'Container', goType: 'string' },
    { path: `${at}.containers[].ports`, type: 'array', struct: 'Container', goType: '[]v1.ContainerPort' },
    { path: `${at}.containers[].ports[].containerPort`, type: 'integer', struct: 'ContainerPort', goType: 'int32' },
    { path: `${at}.containers[].command`, type: 'stringList', struct: 'Container', goType: '[]string' },
    { path: `${at}.containers[].args`, type: 'stringList', struct: 'Container', goType: '[]string' },
    { path: `${at}.nodeSelector`, type: 'stringMap', struct: 'PodSpec', goType: 'map[string]string' },
    { path: `${at}.terminationGracePeriodSeconds`, type: 'integer', struct: 'PodSpec', goType: 'int64' },
    { path: `${at}.restartPolicy`, type: 'string', struct: 'PodSpec', goType: 'v1.RestartPolicy' },
  ];
}

const WORKLOAD_SPEC: Record<string, string> = {
  ReplicaSet: 'ReplicaSetSpec',
  Deployment: 'DeploymentSpec',
  StatefulSet: 'StatefulSetSpec',
  DaemonSet: 'DaemonSetSpec',
  ReplicationController: 'ReplicationControllerSpec',
  Job: 'JobSpec',
};

function fieldsOf(kind: string): TypedField[] {
  const own = (path: string, type: JsonType, struct: string, goType: string): TypedField => ({ path, type, struct, goType });
  const specOf = WORKLOAD_SPEC[kind];
  if (kind === 'Pod') return [own('spec', 'object', 'Pod', 'v1.PodSpec'), ...podSpecFields('spec').slice(1)];
  if (specOf !== undefined) {
    return [
      own('spec', 'object', kind, `v1.${specOf}`),
      own('spec.replicas', 'integer', specOf, 'int32'),
      own('spec.selector', kind === 'ReplicationController' ? 'stringMap' : 'object', specOf, kind === 'ReplicationController' ? 'map[string]string' : 'v1.LabelSelector'),
      own('spec.template', 'object', specOf, 'v1.PodTemplateSpec'),
      own('spec.strategy', 'object', specOf, 'v1.DeploymentStrategy'),
      own('spec.updateStrategy', 'object', specOf, kind === 'DaemonSet' ? 'v1.DaemonSetUpdateStrategy' : 'v1.StatefulSetUpdateStrategy'),
      own('spec.template.metadata.labels', 'stringMap', 'ObjectMeta', 'map[string]string'),
      ...podSpecFields('spec.template.spec'),
    ];
  }
  switch (kind) {
    case 'CronJob':
      return [own('spec', 'object', 'CronJob', 'v1.CronJobSpec'), own('spec.schedule', 'string', 'CronJobSpec', 'string'), own('spec.jobTemplate', 'object', 'CronJobSpec', 'v1.JobTemplateSpec'), ...podSpecFields('spec.jobTemplate.spec.template.spec')];
    case 'Service':
      return [own('spec', 'object', 'Service', 'v1.ServiceSpec'), own('spec.ports', 'array', 'ServiceSpec', '[]v1.ServicePort'), own('spec.ports[].port', 'integer', 'ServicePort', 'int32'), own('spec.selector', 'stringMap', 'ServiceSpec', 'map[string]string')];
    case 'ConfigMap':
      return [own('data', 'stringMap', 'ConfigMap', 'map[string]string')];
    case 'Secret':
      return [own('data', 'object', 'Secret', 'map[string][]uint8'), own('stringData', 'stringMap', 'Secret', 'map[string]string')];
    default:
      return [];
  }
}

/** Go's names for JSON value types in "cannot unmarshal X": string, number, bool, array, object. */
function jsonTypeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** A typed field ready to check: its path in steps, and as Go's errors print it (no []). */
type CheckedField = TypedField & { steps: string[]; shown: string };

/** The fields checked in a kind, metadata first, each with its path split into steps (built once per kind). */
const fieldsByKind = new Map<string, readonly (CheckedField)[]>();

function typedFields(kind: string): readonly (CheckedField)[] {
  let fields = fieldsByKind.get(kind);
  if (fields === undefined) {
    fields = [...META, ...fieldsOf(kind)].map((f) => (Object.assign({}, f, { steps: f.path.split('.'), shown: f.path.replace(/\[\]/g, '') })));
    fieldsByKind.set(kind, fields);
  }
  return fields;
}

function typeError(info: ResourceInfo, body: Record<string, unknown>): string | undefined {
  if (body.metadata !== undefined && body.metadata !== null && jsonTypeName(body.metadata) !== 'object') {
    return unmarshal(body.metadata, info.kind, 'metadata', 'v1.ObjectMeta');
  }
  for (const f of typedFields(info.kind)) {
    const problem = firstAt(body, f.steps, (value) => mismatch(value, f));
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * Visits every value at a path, stopping at the first visit that returns a problem; a step
 * `x[]` steps into each element of the array x.
 *   firstAt({ spec: { containers: [{ name: 1 }] } }, ['spec', 'containers[]', 'name'], check)  // check(1)
 */
function firstAt(node: unknown, steps: readonly string[], visit: (value: unknown) => string | undefined, from = 0): string | undefined {
  if (from === steps.length) return visit(node);
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const step = steps[from];
  const each = step.endsWith('[]');
  const next = (node as Record<string, unknown>)[each ? step.slice(0, -2) : step];
  if (next === undefined || next === null) return undefined;
  if (!each) return firstAt(next, steps, visit, from + 1);
  if (!Array.isArray(next)) return undefined;
  for (const element of next) {
    const problem = firstAt(element, steps, visit, from + 1);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function mismatch(value: unknown, f: CheckedField): string | undefined {
  const actual = jsonTypeName(value);
  const path = f.shown;
  switch (f.type) {
    case 'string':
      return actual === 'string' ? undefined : unmarshal(value, f.struct, path, f.goType);
    case 'integer':
      if (actual !== 'number') return unmarshal(value, f.struct, path, f.goType);
      return Number.isInteger(value) ? undefined : `json: cannot unmarshal number ${value} into Go struct field ${f.struct}.${path} of type ${f.goType}`;
    case 'object':
      return actual === 'object' ? undefined : unmarshal(value, f.struct, path, f.goType);
    case 'array':
      return actual === 'array' ? undefined : unmarshal(value, f.struct, path, f.goType);
    case 'stringMap': {
      if (actual !== 'object') return unmarshal(value, f.struct, path, f.goType);
      const bad = Object.values(value as Record<string, unknown>).find((v) => v !== null && typeof v !== 'string');
      return bad === undefined ? undefined : unmarshal(bad, f.struct, path, 'string');
    }
    case 'stringList': {
      if (actual !== 'array') return unmarshal(value, f.struct, path, f.goType);
      const bad = (value as unknown[]).find((v) => v !== null && typeof v !== 'string');
      return bad === undefined ? undefined : unmarshal(bad, f.struct, path, 'string');
    }
  }
}

function unmarshal(value: unknown, struct: string, path: string, goType: string): string {
  return `json: cannot unmarshal ${jsonTypeName(value)} into Go struct field ${struct}.${path} of type ${goType}`;
}

/** A Secret's data values are base64 strings, decoded as Go's encoding/json decodes []byte. */
function secretDataError(data: unknown): string | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  for (const value of Object.values(data)) {
    if (value === null) continue;
    if (typeof value !== 'string') return unmarshal(value, 'Secret', 'data', '[]uint8');
    const at = base64ErrorAt(value);
    if (at !== undefined) return `illegal base64 data at input byte ${at}`;
  }
  return undefined;
}

const BASE64 = /[A-Za-z0-9+/]/;

/**
 * Where Go's base64.StdEncoding gives up on a string (CorruptInputError), or undefined if it
 * decodes. Newlines are skipped; padding must complete the last group of four.
 *
 *   base64ErrorAt('YWRtaW4=')  // => undefined
 *   base64ErrorAt('admin')     // => 4 (the last group is incomplete)
 *   base64ErrorAt('My-pass')   // => 2 ('-' is not in the alphabet)
 */
export function base64ErrorAt(src: string): number | undefined {
  let si = 0;
  while (si < src.length) {
    let j = 0;
    while (j < 4) {
      if (si === src.length) return j === 0 ? undefined : si - j;
      const ch = src[si++];
      if (ch === '\n' || ch === '\r') continue;
      if (BASE64.test(ch)) {
        j++;
        continue;
      }
      if (ch !== '=' || j < 2) return si - 1;
      // Padding: after two characters "==" is expected, after three one "=".
      if (j === 2) {
        while (si < src.length && (src[si] === '\n' || src[si] === '\r')) si++;
        if (si === src.length) return src.length;
        if (src[si] !== '=') return si - 1;
        si++;
      }
      while (si < src.length && (src[si] === '\n' || src[si] === '\r')) si++;
      return si < src.length ? si : undefined;
    }
  }
  return undefined;
}

/** Resource quantities (`cpu: 500m`, `storage: 1Gi`) are parsed while decoding too. */
function quantityError(info: ResourceInfo, body: Record<string, unknown>): string | undefined {
  for (const steps of quantityPaths(info.kind)) {
    const problem = firstAt(body, steps, (list) => {
      if (list === null || typeof list !== 'object') return undefined;
      for (const q of Object.values(list as Record<string, unknown>)) {
        if (typeof q === 'number') continue;
        try {
          parseQuantity(String(q));
        } catch (err) {
          if (err instanceof QuantityError) return err.message;
          throw err;
        }
      }
      return undefined;
    });
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** Where a kind holds maps of quantities, as steps (built once per kind). */
const quantityPathsByKind = new Map<string, readonly string[][]>();

function quantityPaths(kind: string): readonly string[][] {
  const known = quantityPathsByKind.get(kind);
  if (known !== undefined) return known;
  const lists: string[][] = [];
  const podSpecs = fieldsOf(kind).filter((f) => f.goType === 'v1.PodSpec').map((f) => f.path);
  for (const at of podSpecs) for (const name of ['requests', 'limits']) lists.push([...at.split('.'), 'containers[]', 'resources', name]);
  if (kind === 'PersistentVolumeClaim') lists.push(['spec', 'resources', 'requests'], ['spec', 'resources', 'limits']);
  if (kind === 'PersistentVolume') lists.push(['spec', 'capacity']);
  if (kind === 'ResourceQuota') lists.push(['spec', 'hard']);
  quantityPathsByKind.set(kind, lists);
  return lists;
}
