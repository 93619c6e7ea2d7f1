import { describeRequest, requestPath, type ApiRequest, type Verb } from '../api/request';
import type { Endpoints, Service } from '../api/types';
import type { ResourceInfo } from '../api/resources';
import type { APIService, APIServiceBackend } from '../apiserver/aggregation';
import { API_SERVER } from '../apiserver/identity';
import type { AdmissionContext } from '../apiserver/pipeline-types';
import type { HttpClient, HttpOutcome } from '../runtime/node-network';
import type { HttpRequest } from '../runtime/resource-consumer';
import type { Simulation } from '../sim/simulation';

/**
 * The backend of an APIService whose spec names a Service, as kube-aggregator 1.32 reaches it
 * with kube-apiserver's default --enable-aggregator-routing=false: the request goes to the
 * Service's ClusterIP and port (443 unless the spec says), from the control-plane host, over
 * the packet network; the host's kube-proxy rules send it on to a ready endpoint (for
 * metrics-server: its pod's IP, port 10250). Available (remote_available_controller.go) when
 * the Service exists and its Endpoints have an address on the port's name.
 *
 *   serviceBackend({ namespace: 'kube-system', name: 'metrics-server' }, { sim, cache, http })
 *   .proxy({ verb: 'list', resource: 'pods', group: 'metrics.k8s.io', namespace: 'default' }, reply)
 *   // trace: kube-apiserver  proxy list pods default to service kube-system/metrics-server (https://10.96.0.57:443)
 *   // GET https://10.96.0.57:443/apis/metrics.k8s.io/v1beta1/namespaces/default/pods
 *   // => reply({ code: 200, body: PodMetricsList }); refused or timed out => 503 'service unavailable'
 *
 * Lives in the composition root because the API server's layer has no packet network: the
 * cluster hands it this backend (kube-apiserver, a static pod with hostNetwork, does send from
 * the control-plane host). Simplified: availability is worked out when a request or a
 * discovery read asks (kube-aggregator's controller keeps a condition up to date from watch
 * events), without its discovery check of the backend; no TLS (insecureSkipTLSVerify: true is
 * what metrics-server's APIService says anyway); the body travels as JSON text.
 */
export interface ServiceReference {
  namespace: string;
  name: string;
  /** The Service's port (spec.service.port); 443 when left out. */
  port?: number;
}

/**
 * An APIService as an add-on's manifest has it (apiregistration.k8s.io/v1), with what the lab's
 * aggregator needs besides: the resources it serves, to authorize requests for them.
 */
export interface AddOnAPIService {
  apiVersion: 'apiregistration.k8s.io/v1';
  kind: 'APIService';
  metadata: { name: string; labels?: Record<string, string> };
  spec: { service: ServiceReference; group: string; version: string; insecureSkipTLSVerify?: boolean; groupPriorityMinimum: number; versionPriority: number };
  resources: readonly ResourceInfo[];
}

export interface ServiceBackendDeps {
  sim: Simulation;
  /** The API server's cache: the Service and its Endpoints. */
  cache: Pick<AdmissionContext, 'get'>;
  /** HTTP from the control-plane host. */
  http: HttpClient;
}

/** kube-aggregator's proxy gives up on a connection after the dialer's 30 s. */
const DIAL_TIMEOUT_MS = 30_000;

const METHOD: Record<Verb, HttpRequest['method']> = { get: 'GET', list: 'GET', watch: 'GET', create: 'POST', update: 'PUT', patch: 'PATCH', delete: 'DELETE', deletecollection: 'DELETE' };

/** The APIService the aggregator registers: its group and version, served by its Service. */
export function aggregatedAPIService(obj: AddOnAPIService, deps: ServiceBackendDeps): APIService {
  const { group, version, service } = obj.spec;
  return { name: obj.metadata.name, group, version, resources: obj.resources, backend: serviceBackend(service, { group, version }, deps) };
}

export function serviceBackend(ref: ServiceReference, api: { group: string; version: string }, deps: ServiceBackendDeps): APIServiceBackend {
  const port = ref.port ?? 443;
  const service = () => deps.cache.get('services', ref.namespace, ref.name) as Readonly<Service> | undefined;
  return {
    available() {
      const svc = service();
      const portName = svc?.spec.ports?.find((p) => p.port === port)?.name;
      const endpoints = deps.cache.get('endpoints', ref.namespace, ref.name) as Readonly<Endpoints> | undefined;
      return (endpoints?.subsets ?? []).some((s) => (s.addresses?.length ?? 0) > 0 && (s.ports ?? []).some((p) => p.name === portName));
    },
    proxy(req: ApiRequest, reply) {
      const ip = service()?.spec.clusterIP;
      if (ip === undefined) return reply({ code: 503, body: 'service unavailable\n' });
      deps.sim.trace.action(deps.sim.now(), API_SERVER, `proxy ${describeRequest(req)} to service ${ref.namespace}/${ref.name} (https://${ip}:${port})`);
      const request: HttpRequest = { method: METHOD[req.verb], path: requestPath(req, api.group, api.version) };
      deps.http(ip, port, request, DIAL_TIMEOUT_MS, (outcome: HttpOutcome) => {
        if (typeof outcome === 'string') return reply({ code: 503, body: 'service unavailable\n' });
        reply({ code: outcome.code, body: parseJson(outcome.body) });
      });
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
