import type { ApiRequest, ApiResponse } from '../api/request';
import { RESOURCES, type ResourceInfo } from '../api/resources';
import { noSuchPath, serviceUnavailable, StatusError } from '../api/status';
import type { RequestPipeline } from './pipeline';
import { wait, type Steps } from './steps';

/**
 * API aggregation, the smallest honest version of kube-aggregator: an APIService registers a
 * group/version that a component outside the API server serves (metrics-server serves
 * metrics.k8s.io/v1beta1 from its pod). A request for that group is authenticated and
 * authorized by the API server like any other, then its backend carries it to the APIService's
 * Service and brings the answer back as it is (cluster/service-api-backend.ts: over the packet
 * network to the Service's ClusterIP, as kube-aggregator does with its default
 * --enable-aggregator-routing=false). While the APIService is not Available (its Service has
 * no ready endpoint), the API server answers 503 and leaves the group out of discovery.
 *
 *   api.registerAPIService({ name: 'v1beta1.metrics.k8s.io', group: 'metrics.k8s.io', version: 'v1beta1', resources: [PodMetrics, NodeMetrics], backend })
 *   GET /apis/metrics.k8s.io/v1beta1/namespaces/default/pods   ({ verb: 'list', resource: 'pods', group: 'metrics.k8s.io' })
 *   // => 200 PodMetricsList; while the metrics-server pod is not ready => 503
 *   //    'the server is currently unable to handle the request (get pods.metrics.k8s.io)'
 *   GET /apis ({ verb: 'get', resource: 'apis' })
 *   // => APIGroupList: the built-in groups, then metrics.k8s.io once it is available
 *
 * Left out: the APIService object itself (the lab's API server does not serve
 * apiregistration.k8s.io: registration is a call, not a stored object), TLS, the conditions
 * in its status, and the aggregated discovery document.
 */
export interface APIServiceBackend {
  /** Whether it is Available: kube-aggregator's availability check passes. */
  available(): boolean;
  /** Carries the request to the service and brings back its answer (kube-aggregator's proxy). */
  proxy(req: ApiRequest, reply: (res: ApiResponse) => void): void;
}

export interface APIService {
  /** The APIService's name, <version>.<group>: 'v1beta1.metrics.k8s.io'. */
  name: string;
  group: string;
  version: string;
  /** What it serves, as the API server authorizes requests for them. */
  resources: readonly ResourceInfo[];
  backend: APIServiceBackend;
}

/** The request for discovery (GET /apis): the API groups the server serves. */
export const DISCOVERY_RESOURCE = 'apis';

/** A request for an aggregated group: authorized here, served by the backend. */
export function* proxyToAPIService(pipeline: RequestPipeline, services: ReadonlyMap<string, APIService>, req: ApiRequest): Steps<ApiResponse> {
  const service = services.get(req.group!);
  const info = service?.resources.find((r) => r.resource === req.resource);
  const user = pipeline.authenticate(req);
  if (service === undefined || info === undefined) throw noSuchPath({ group: req.group!, resource: req.resource, name: req.name ?? '' });
  pipeline.authorize(user, info, req);
  const verb = req.verb === 'list' ? 'get' : req.verb;
  const unavailable = () => serviceUnavailable(verb, { group: info.group, resource: info.resource, name: req.name ?? '' });
  if (!service.backend.available()) throw unavailable();
  const res = yield* wait<ApiResponse>((done) => service.backend.proxy(req, done));
  if (res.code >= 400 && isStatus(res.body)) throw new StatusError(res.body);
  // The proxy's own 503 (the service could not be reached) has a plain-text body, which the client words so.
  if (res.code === 503) throw unavailable();
  return res;
}

/**
 * GET /apis: an APIGroupList of the built-in groups (in the order the lab lists their
 * resources) and the available APIServices.
 *
 *   apiGroups(new Map())   // => { kind: 'APIGroupList', groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], ... }, ...] }
 */
export function apiGroups(services: ReadonlyMap<string, APIService>): ApiResponse {
  const versions = new Map<string, string>();
  for (const r of RESOURCES) if (r.group !== '' && !versions.has(r.group)) versions.set(r.group, r.version);
  for (const s of services.values()) if (s.backend.available()) versions.set(s.group, s.version);
  const groups = [...versions].map(([name, version]) => {
    const gv = { groupVersion: `${name}/${version}`, version };
    return { name, versions: [gv], preferredVersion: gv };
  });
  return { code: 200, body: { kind: 'APIGroupList', apiVersion: 'v1', groups } };
}

function isStatus(body: unknown): body is StatusError['status'] {
  return typeof body === 'object' && body !== null && (body as { kind?: string }).kind === 'Status';
}
