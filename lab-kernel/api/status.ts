/**
 * Kubernetes' `Status` object: the body of every failed request, with the same codes,
 * reasons and message texts as a real API server.
 *
 *   notFound({ group: '', resource: 'pods', name: 'web' }).status
 *   // => { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'pods "web" not found', ... }
 */
export type StatusReason =
  | 'BadRequest'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'InternalError'
  | 'Timeout'
  | 'Expired'
  | 'Gone'
  | 'Unauthorized'
  | 'Forbidden'
  | 'RequestEntityTooLarge'
  | 'TooManyRequests'
  | 'ServiceUnavailable';

export type CauseType = 'ResourceVersionTooLarge' | 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueForbidden' | 'FieldValueDuplicate' | 'FieldValueTooLong' | 'FieldValueNotFound' | 'NamespaceTerminating';

export interface StatusCause {
  reason: CauseType;
  message: string;
  field: string;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: { name?: string; group?: string; kind?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

/** The error thrown inside the API server and handed back to clients as a Status body. */
export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
    this.name = 'StatusError';
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): StatusReason | undefined {
    return this.status.reason;
  }
}

/** What a message names: `pods "web"` or, outside the core group, `replicasets.apps "web"`. */
export interface ResourceName {
  group: string;
  resource: string;
  name: string;
}

function qualified(r: { group: string; resource: string }): string {
  return r.group === '' ? r.resource : `${r.resource}.${r.group}`;
}

/** A Status error of any code, reason and message (the named helpers below cover the usual ones). */
export function failure(code: number, reason: StatusReason, message: string, details?: Status['details']): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details, code });
}

export function success(code: number): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code };
}

export function notFound(r: ResourceName): StatusError {
  return failure(404, 'NotFound', `${qualified(r)} "${r.name}" not found`, { name: r.name, group: r.group, kind: r.resource });
}

export function alreadyExists(r: ResourceName): StatusError {
  return failure(409, 'AlreadyExists', `${qualified(r)} "${r.name}" already exists`, { name: r.name, group: r.group, kind: r.resource });
}

/** The optimistic-concurrency failure: the client sent a stale resourceVersion. */
export function conflict(r: ResourceName, why: string): StatusError {
  return failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${r.name}": ${why}`, {
    name: r.name,
    group: r.group,
    kind: r.resource,
  });
}

export const STALE_OBJECT = 'the object has been modified; please apply your changes to the latest version and try again';

/** 500: something behind the API server failed (etcd unreachable, a timeout): `Internal error occurred: ...` */
export function internalError(message: string): StatusError {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`);
}

/**
 * 410 Gone, reason Expired: what was asked for is no longer kept, typically a watch from a
 * resourceVersion older than the watch cache's history (client-go then lists again):
 *   resourceExpired('too old resource version: 5 (12)')
 *   // => { code: 410, reason: 'Expired', message: 'too old resource version: 5 (12)', ... }
 */
export function resourceExpired(message: string): StatusError {
  return failure(410, 'Expired', message);
}

/**
 * 429 Too Many Requests, with the seconds a client should wait (details.retryAfterSeconds):
 *   tooManyRequests('storage is (re)initializing', 1)   // a watch cache that is listing again
 */
export function tooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return failure(429, 'TooManyRequests', message, { retryAfterSeconds });
}

/**
 * 504 Timeout, cause ResourceVersionTooLarge: a read asked for a resourceVersion newer than
 * the watch cache reached within 3 s (apiserver storage/errors.go NewTooLargeResourceVersionError):
 *   tooLargeResourceVersion(90, 57)   // => 'Timeout: Too large resource version: 90, current: 57'
 */
export function tooLargeResourceVersion(asked: number, current: number): StatusError {
  const causes: StatusCause[] = [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version', field: '' }];
  return failure(504, 'Timeout', `Timeout: Too large resource version: ${asked}, current: ${current}`, { causes, retryAfterSeconds: 1 });
}

/** 401: no authenticator accepted the credentials (and anonymous requests are off, or the token was bad). */
export function unauthorized(): StatusError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

/**
 * 403 Forbidden, as authorization and admission refuse:
 *   forbiddenRequest({ group: '', resource: 'pods', name: '' }, 'User "bob" cannot list resource "pods" in API group "" in the namespace "dev"')
 *   // => 'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "dev"'
 *   forbiddenRequest({ group: '', resource: 'pods', name: 'web' }, 'exceeded quota: ...')
 *   // => 'pods "web" is forbidden: exceeded quota: ...'
 */
export function forbiddenRequest(r: ResourceName, reason: string): StatusError {
  const what = r.name === '' ? qualified(r) : `${qualified(r)} "${r.name}"`;
  return failure(403, 'Forbidden', `${what} is forbidden: ${reason}`, { name: r.name || undefined, group: r.group, kind: r.resource });
}

/** 413: kube-apiserver refuses request bodies over 3 MiB (etcd's own limit is 1.5 MiB per value). */
export function requestEntityTooLarge(limit: number): StatusError {
  return failure(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
}

export function badRequest(message: string): StatusError {
  return failure(400, 'BadRequest', message);
}

export function methodNotAllowed(message: string): StatusError {
  return failure(405, 'MethodNotAllowed', message);
}

/**
 * A path kube-apiserver has no route for (a subresource the kind does not have), or a method
 * its route does not take: the server answers plain text ("404 page not found", "405: Method
 * Not Allowed"), which client-go turns into these Statuses (NewGenericServerResponse), as kubectl shows them:
 *   noSuchPath({ group: '', resource: 'configmaps', name: 'c' })   // => 404 'the server could not find the requested resource'
 *   methodNotAllowedOn({ group: '', resource: 'pods', name: 'web' }) // => 405 'the server does not allow this method on the requested resource'
 */
export function noSuchPath(r: ResourceName): StatusError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', { name: r.name, group: r.group, kind: r.resource });
}

/**
 * 503 from an aggregated API whose backend is not available (kube-aggregator's proxy), as
 * client-go words it (NewGenericServerResponse):
 *   serviceUnavailable('get', { group: 'metrics.k8s.io', resource: 'pods', name: '' })
 *   // => 'the server is currently unable to handle the request (get pods.metrics.k8s.io)'
 */
export function serviceUnavailable(verb: string, r: ResourceName): StatusError {
  const what = r.name === '' ? qualified(r) : `${qualified(r)} ${r.name}`;
  return failure(503, 'ServiceUnavailable', `the server is currently unable to handle the request (${verb} ${what})`, { name: r.name || undefined, group: r.group, kind: r.resource });
}

export function methodNotAllowedOn(r: ResourceName): StatusError {
  return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', { name: r.name, group: r.group, kind: r.resource });
}

/**
 * 422 Invalid, listing every field error, in the API server's own format:
 *   ReplicaSet.apps "web" is invalid: spec.selector: Required value
 *   Pod "x" is invalid: [metadata.name: Invalid value: "X": ..., spec.containers: Required value]
 */
export function invalid(kind: { group: string; kind: string }, name: string, causes: StatusCause[]): StatusError {
  const qualifiedKind = kind.group === '' ? kind.kind : `${kind.kind}.${kind.group}`;
  const parts = causes.map((c) => `${c.field}: ${c.message}`);
  const list = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  return failure(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${list}`, {
    name,
    group: kind.group,
    kind: kind.kind,
    causes,
  });
}

export function required(field: string): StatusCause {
  return { reason: 'FieldValueRequired', message: 'Required value', field };
}

export function invalidValue(field: string, value: unknown, detail: string): StatusCause {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${formatValue(value)}: ${detail}`, field };
}

export function notSupported(field: string, value: unknown, supported: string[]): StatusCause {
  const list = supported.map((s) => JSON.stringify(s)).join(', ');
  return { reason: 'FieldValueNotSupported', message: `Unsupported value: ${formatValue(value)}: supported values: ${list}`, field };
}

export function forbidden(field: string, detail: string): StatusCause {
  return { reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field };
}

/**
 * A value already written as Go's fmt writes it with %#v (validation/go-syntax.ts), for the
 * messages where the API server prints a Go value: put in the message as it is.
 *
 *   invalidValue('spec.template.metadata.labels', goStringMap({ app: 'db' }), '...')
 *   // => 'Invalid value: map[string]string{"app":"db"}: ...'
 */
export class GoSyntax {
  constructor(readonly text: string) {}
}

/** Go's %#v-ish rendering the API server uses in messages: strings quoted, numbers bare. */
function formatValue(value: unknown): string {
  if (value instanceof GoSyntax) return value.text;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? 'null';
}
