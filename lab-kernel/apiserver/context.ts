import type { ApiRequest, ExecResult, PortForwardResult } from '../api/request';
import type { ResourceInfo } from '../api/resources';
import type { Summary } from '../api/stats-summary';
import type { StatusError } from '../api/status';
import type { Network } from '../sim/network';
import type { Simulation } from '../sim/simulation';
import type { ServiceAllocators } from './allocation/service-allocators';
import type { RequestPipeline } from './pipeline';
import type { UserInfo } from './pipeline-types';
import type { StorageCalls } from './storage-calls';
import type { ResourceStrategy } from './strategies/strategy';
import type { WatchCache } from './watch-cache';

/**
 * What a handler works with: the parts of the API server (Server), and the request it serves
 * once the pipeline has let it in (Call).
 *
 *   create(server, { req: { verb: 'create', resource: 'pods', ... }, user, caller: 'kubectl', info, strategy })
 */

/** The parts of the API server that the verbs and subresources use. */
export interface Server {
  readonly sim: Simulation;
  readonly net: Network;
  readonly etcd: StorageCalls;
  readonly pipeline: RequestPipeline;
  /** Where each node's kubelet can be reached, by node name. */
  readonly kubelets: ReadonlyMap<string, KubeletEndpoint>;
  readonly probes: readonly HealthProbe[];
  /** The Service cluster IPs and node ports this API server hands out (allocation/). */
  readonly serviceAllocators: ServiceAllocators;
  /** The resource's watch cache (watch-cache.ts), started on first use. */
  watchCache(info: ResourceInfo): WatchCache;
}

/** A request past authentication and authorization: who sent it travels with it through every stage. */
export interface Call {
  readonly req: ApiRequest;
  readonly user: UserInfo;
  /** The component that sent it, as the trace names it. */
  readonly caller: string;
  readonly info: ResourceInfo;
  readonly strategy: ResourceStrategy;
}

/** What the API server may ask of a kubelet: it opens these connections itself (logs, exec, ...). */
export interface KubeletEndpoint {
  readonly component: string;
  /** GET /containerLogs/<namespace>/<pod>/<container>[?previous=true] on the kubelet's port 10250. */
  containerLogs(namespace: string, pod: string, container: string | undefined, options?: { previous?: boolean }): string | StatusError;
  /** POST /exec/<namespace>/<pod>/<container>?command=...: runs the command in the container; answers once it ends. */
  exec(namespace: string, pod: string, container: string | undefined, command: readonly string[], done: (result: ExecResult | StatusError) => void): void;
  /** POST /portForward/<namespace>/<pod>?port=...: one connection to the port in the pod's network namespace. */
  portForward(namespace: string, pod: string, port: number, done: (result: PortForwardResult | StatusError) => void): void;
  /** GET /stats/summary: the node's and its pods' resource usage, once the runtime has answered. */
  statsSummary(done: (summary: Summary) => void): void;
}

/** A control-plane component that answers the API server's health probe (componentstatuses). */
export interface HealthProbe {
  readonly name: string;
  readonly component: string;
  healthz(): { healthy: boolean; message: string };
}
