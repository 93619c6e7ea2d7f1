import { LineMemo } from '../sim/line-memo';

/**
 * The shape of a request to the API server, as a REST call would carry it:
 *
 *   { verb: 'create', resource: 'pods', namespace: 'default', body: {...} }      // POST   /api/v1/namespaces/default/pods
 *   { verb: 'list', resource: 'pods', labelSelector: 'app=web' }                // GET    /api/v1/pods?labelSelector=app%3Dweb
 *   { verb: 'create', resource: 'pods', namespace: 'default', name: 'web-x',
 *     subresource: 'binding', body: { kind: 'Binding', target: {...} } }         // POST   .../pods/web-x/binding
 *
 * In the trace the last one reads `create pods/binding default/web-x`.
 */
export type Verb = 'create' | 'get' | 'list' | 'update' | 'patch' | 'delete' | 'deletecollection' | 'watch';

export type Subresource = 'status' | 'binding' | 'log' | 'exec' | 'portforward' | 'finalize' | 'scale' | 'proxy';

export interface ApiRequest {
  verb: Verb;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: Subresource;
  body?: unknown;
  labelSelector?: string;
  fieldSelector?: string;
  /** For get, list and watch: where to start, or how fresh (unset, "0", or a revision). */
  resourceVersion?: string;
  /** For list: how resourceVersion is read, "NotOlderThan" (the default) or "Exact". */
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  /** For watch: also send BOOKMARK events, each carrying only the latest resourceVersion. */
  allowWatchBookmarks?: boolean;
  /** For nodes/proxy: the path on the kubelet, after .../proxy/ ('stats/summary'). */
  path?: string;
  /**
   * For an aggregated API (served by an APIService's backend, not by the API server): its
   * group, `metrics.k8s.io`. Unset: the built-in resource of that name.
   */
  group?: string;
  /** For logs: which container. */
  container?: string;
  /** GET pods/<name>/log?previous=true: the log of the container's previous instance. */
  previous?: boolean;
  /** For exec: the command and its arguments (?command=sh&command=-c&command=...). */
  command?: string[];
  /** For portforward: the pod's port (?ports=80). */
  ports?: number[];
  /** Who is asking (a client certificate and/or a bearer token); none means anonymous. */
  credentials?: Credentials;
  /** For patch: how `body` is to be read. */
  patchType?: PatchType;
  /** For list: at most this many items, and a `continue` token for the rest. */
  limit?: number;
  /** For list: the token from the previous page's metadata.continue. */
  continue?: string;
  /** For writes: run every stage (admission, validation) but store nothing (`?dryRun=All`). */
  dryRun?: boolean;
  /** For delete: seconds the object may take to go (pods: default their terminationGracePeriodSeconds). */
  gracePeriodSeconds?: number;
  /** For delete: what happens to dependents (default Background; Orphan keeps them, Foreground deletes them first). */
  propagationPolicy?: PropagationPolicy;
}

/**
 * What a request carries to prove who sent it. A real client sends a TLS client certificate
 * (its subject's CN is the username, each O a group) and/or an `Authorization: Bearer <token>`
 * header; a request with neither is anonymous.
 */
export interface Credentials {
  /** The bearer token: a static token, or a service account's signed token. */
  token?: string;
  /** The verified client certificate's subject. */
  clientCertificate?: { commonName: string; organizations?: string[] };
}

export type PatchType = 'application/merge-patch+json' | 'application/json-patch+json' | 'application/strategic-merge-patch+json';

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface ApiResponse {
  /** The HTTP status code: 200, 201, 404, 409, 422 ... */
  code: number;
  /** The object, list or log text on success; a `Status` on failure. */
  body: unknown;
}

/** How a request reads in the trace and in diagrams: `create pods/binding default/web-x`. */
export function describeRequest(req: ApiRequest): string {
  // Most requests are the same few over and over (a node's Lease every 10 s): their line is made once.
  if (req.labelSelector === undefined && req.fieldSelector === undefined) {
    return REQUEST_LINES.get([req.verb, req.resource, req.subresource ?? '', req.namespace ?? '', req.name ?? ''], () => requestLine(req));
  }
  return requestLine(req);
}

const REQUEST_LINES = new LineMemo(20_000);

function requestLine(req: ApiRequest): string {
  const where = [req.namespace, req.name].filter((p) => p !== undefined && p !== '').join('/');
  const sub = req.subresource ? `/${req.subresource}` : '';
  const query = [req.labelSelector && `labelSelector=${req.labelSelector}`, req.fieldSelector && `fieldSelector=${req.fieldSelector}`]
    .filter(Boolean)
    .join('&');
  return `${req.verb} ${req.resource}${sub}${where ? ' ' + where : ''}${query ? ' ?' + query : ''}`;
}

/** The URL path a real client would use for this request. */
export function requestPath(req: ApiRequest, group: string, version: string): string {
  const root = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  const ns = req.namespace ? `/namespaces/${req.namespace}` : '';
  const name = req.name ? `/${req.name}` : '';
  const sub = req.subresource ? `/${req.subresource}` : '';
  const path = req.path ? `/${req.path}` : '';
  return `${root}${ns}/${req.resource}${name}${sub}${path}`;
}

/** The answer to POST pods/<name>/exec: what the command wrote, and how it ended. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * The answer to POST pods/<name>/portforward, one connection: what the server on the pod's
 * port answered, or the error the connection's error stream carried.
 */
export type PortForwardResult = { data: string } | { error: string };
