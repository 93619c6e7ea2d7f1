import type { PatchType } from '../api/request';
import { jsonEqual } from '../api/json-equal';

/**
 * PATCH: change part of an object without sending all of it. The API server reads the stored
 * object, applies the patch to it, and then treats the result exactly like an update
 * (admission, validation, optimistic concurrency). Three patch formats, chosen by the
 * request's Content-Type:
 *
 * **JSON merge patch** (RFC 7386, `application/merge-patch+json`): a partial object. Keys
 * present replace what is stored, `null` deletes, objects merge recursively, lists are
 * replaced whole.
 *   { spec: { replicas: 3 }, metadata: { labels: { tier: null } } }
 *   // => replicas becomes 3, label tier disappears, everything else stays
 *
 * **JSON patch** (RFC 6902, `application/json-patch+json`): a list of operations on JSON
 * pointers, applied in order; if one fails, nothing is applied.
 *   [{ op: 'test', path: '/spec/replicas', value: 2 }, { op: 'replace', path: '/spec/replicas', value: 3 }]
 *   // => 3, but only if it was still 2: a compare-and-swap written by the client
 *
 * **Strategic merge patch** (`application/strategic-merge-patch+json`, kubectl's default):
 * a merge patch that knows the Kubernetes types, so lists of named things merge by their key
 * instead of being replaced. Patching `containers: [{ name: 'web', image: 'nginx:1.27' }]`
 * changes the image of container `web` and keeps the other containers.
 * The lab's version knows the merge keys of the lists it uses (see MERGE_KEYS) and, of the
 * directives, `$patch: delete` on a list item, `$patch: replace` on a map and
 * `$deleteFromPrimitiveList/<field>` (values to take out of a list of strings); a real API server
 * reads the keys from the Go types.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: Json;
  from?: string;
}

/** A patch that cannot be applied; the API server answers it as kube-apiserver does (see applyPatch). */
export class PatchError extends Error {
  constructor(
    message: string,
    /** 400 for a patch that is not even well formed, 422 for one that does not apply to this object. */
    readonly code: 400 | 422,
  ) {
    super(message);
    this.name = 'PatchError';
  }
}

/** Applies `patch` to a copy of `target` and returns the result; `target` is not changed. */
export function applyPatch(target: Json, patch: unknown, type: PatchType): Json {
  switch (type) {
    case 'application/merge-patch+json':
      if (!isObject(patch)) throw new PatchError('invalid JSON document', 400);
      return mergePatch(target, patch as Json, false);
    case 'application/strategic-merge-patch+json':
      if (!isObject(patch)) throw new PatchError('invalid JSON document', 400);
      return mergePatch(target, patch as Json, true);
    case 'application/json-patch+json':
      return jsonPatch(target, parseOperations(patch));
  }
}

/**
 * Lists that a strategic merge patch merges instead of replacing (a few of Kubernetes'
 * `patchMergeKey`/`patchStrategy` tags): by a key for lists of objects — containers by name,
 * a container's ports by containerPort, a Service's ports by port, conditions by type — and
 * as a set for metadata.finalizers. `path` is the field's path from the object's root,
 * list indexes left out: ['spec', 'template', 'spec', 'containers', 'ports'].
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  env: 'name',
  conditions: 'type',
  imagePullSecrets: 'name',
  ownerReferences: 'uid',
};

export function mergeKeyFor(path: readonly string[]): string | undefined {
  const field = path[path.length - 1];
  if (field === 'ports') return path.length === 2 && path[0] === 'spec' ? 'port' : 'containerPort';
  return MERGE_KEYS[field];
}

const SET_LISTS = new Set(['metadata.finalizers']);

function mergePatch(target: Json, patch: Json, strategic: boolean, path: readonly string[] = []): Json {
  if (!isObject(patch)) {
    if (strategic && Array.isArray(patch) && Array.isArray(target)) {
      if (SET_LISTS.has(path.join('.'))) return [...target, ...patch.filter((v) => !target.includes(v))];
      const key = mergeKeyFor(path);
      if (key !== undefined) return mergeListByKey(target, patch, key, path);
    }
    return clone(patch);
  }
  // `$patch: replace` on a map: the map becomes the patch's, whatever it held (kubectl rollout
  // undo of a DaemonSet or StatefulSet sends its ControllerRevision's template so).
  if (strategic && (patch as { [key: string]: Json }).$patch === 'replace') {
    const { $patch: _directive, ...replacement } = patch as { [key: string]: Json };
    return clone(replacement);
  }
  const result: { [key: string]: Json } = isObject(target) ? { ...(target as { [key: string]: Json }) } : {};
  for (const [key, value] of Object.entries(patch as { [key: string]: Json })) {
    // `$deleteFromPrimitiveList/<field>: [values]`: those values leave the list <field>.
    const listed = strategic ? /^\$deleteFromPrimitiveList\/(.+)$/.exec(key) : null;
    if (listed !== null) {
      const field = listed[1];
      const values = Array.isArray(value) ? value : [];
      if (Array.isArray(result[field])) result[field] = (result[field] as Json[]).filter((v) => !values.includes(v));
      continue;
    }
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key] ?? null, value, strategic, [...path, key]);
  }
  return result;
}

/**
 * `[{name: a, image: 1}, {name: b}]` patched with `[{name: a, image: 2}]` => `[{name: a, image: 2}, {name: b}]`;
 * an item `{ name: b, $patch: 'delete' }` removes b (the directive kubectl apply sends for an item
 * dropped from the manifest).
 */
function mergeListByKey(target: Json[], patch: Json[], key: string, path: readonly string[]): Json[] {
  const result = target.map(clone);
  for (const item of patch) {
    const id = isObject(item) ? (item as { [k: string]: Json })[key] : undefined;
    const at = id === undefined ? -1 : result.findIndex((t) => isObject(t) && (t as { [k: string]: Json })[key] === id);
    if (isObject(item) && (item as { [k: string]: Json }).$patch === 'delete') {
      if (at !== -1) result.splice(at, 1);
    } else if (at === -1) result.push(clone(item));
    else result[at] = mergePatch(result[at], item, true, path);
  }
  return result;
}

function parseOperations(patch: unknown): JsonPatchOperation[] {
  if (!Array.isArray(patch)) throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch', 400);
  for (const op of patch) {
    if (!isObject(op) || typeof (op as { path?: unknown }).path !== 'string') throw new PatchError('invalid JSON patch operation: missing path', 400);
    if (!['add', 'remove', 'replace', 'move', 'copy', 'test'].includes((op as { op?: string }).op ?? '')) {
      throw new PatchError(`Unexpected kind: ${(op as { op?: unknown }).op}`, 422);
    }
  }
  return patch as JsonPatchOperation[];
}

/** RFC 6902, all or nothing: operations run on a copy, and the first failure throws. */
function jsonPatch(target: Json, ops: readonly JsonPatchOperation[]): Json {
  let doc = clone(target);
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        doc = put(doc, op.path, clone(op.value ?? null), 'add');
        break;
      case 'replace':
        doc = put(doc, op.path, clone(op.value ?? null), 'replace');
        break;
      case 'remove':
        doc = remove(doc, op.path, 'remove');
        break;
      case 'move': {
        const value = get(doc, requireFrom(op), 'move');
        doc = put(remove(doc, op.from!, 'move'), op.path, value, 'add');
        break;
      }
      case 'copy':
        doc = put(doc, op.path, clone(get(doc, requireFrom(op), 'copy')), 'add');
        break;
      case 'test':
        if (!jsonEqual(get(doc, op.path, 'test'), op.value ?? null)) {
          throw new PatchError(`testing value ${op.path} failed: test failed`, 422);
        }
        break;
    }
  }
  return doc;
}

function requireFrom(op: JsonPatchOperation): string {
  if (typeof op.from !== 'string') throw new PatchError(`${op.op} operation does not apply: missing from`, 422);
  return op.from;
}

/** `/spec/containers/0/image` => ['spec', 'containers', '0', 'image'] (with ~1 => / and ~0 => ~). */
function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer: ${JSON.stringify(path)}`, 422);
  return path.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function missing(op: string, path: string): PatchError {
  return new PatchError(`${op} operation does not apply: doc is missing path: ${JSON.stringify(path)}`, 422);
}

/** The container a pointer's last token lives in, walking from the root. */
function parentOf(doc: Json, path: string, op: string): { parent: Json; last: string } {
  const tokens = pointer(path);
  if (tokens.length === 0) throw missing(op, path);
  let node = doc;
  for (const t of tokens.slice(0, -1)) {
    const next = child(node, t);
    if (next === undefined) throw missing(op, path);
    node = next;
  }
  return { parent: node, last: tokens[tokens.length - 1] };
}

function child(node: Json, token: string): Json | undefined {
  if (Array.isArray(node)) return /^\d+$/.test(token) ? node[Number(token)] : undefined;
  if (isObject(node)) return (node as { [k: string]: Json })[token];
  return undefined;
}

function get(doc: Json, path: string, op: string): Json {
  if (path === '') return doc;
  const { parent, last } = parentOf(doc, path, op);
  const value = child(parent, last);
  if (value === undefined) throw missing(op, path);
  return value;
}

function put(doc: Json, path: string, value: Json, op: 'add' | 'replace'): Json {
  if (path === '') return value;
  const { parent, last } = parentOf(doc, path, op);
  if (Array.isArray(parent)) {
    const index = last === '-' && op === 'add' ? parent.length : /^\d+$/.test(last) ? Number(last) : NaN;
    const limit = op === 'add' ? parent.length : parent.length - 1;
    if (!(index >= 0 && index <= limit)) throw missing(op, path);
    if (op === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
  } else if (isObject(parent)) {
    const obj = parent as { [k: string]: Json };
    if (op === 'replace' && !(last in obj)) throw missing(op, path);
    obj[last] = value;
  } else {
    throw missing(op, path);
  }
  return doc;
}

function remove(doc: Json, path: string, op: string): Json {
  const { parent, last } = parentOf(doc, path, op);
  if (Array.isArray(parent) && /^\d+$/.test(last) && Number(last) < parent.length) parent.splice(Number(last), 1);
  else if (isObject(parent) && last in (parent as object)) delete (parent as { [k: string]: Json })[last];
  else throw missing(op, path);
  return doc;
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function clone<T extends Json>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

