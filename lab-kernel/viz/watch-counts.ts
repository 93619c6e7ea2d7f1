import { findResource } from '../api/resources';
import { API_SERVER } from '../apiserver/identity';
import type { Trace, TraceEvent } from '../sim/trace';
import { traceQuery } from './trace-query';

/**
 * The watches a trace saw opened: by clients on the API server, and by the API server on etcd
 * (its watch cache's one watch per resource). Each is a request message in the trace.
 *
 *   openedWatches(cluster.trace)
 *   // => { onApiServer: [24 requests 'watch pods', ...], onEtcd: [35 requests 'watch /registry/pods/ from revision 1', ...] }
 *   watchesByResource(cluster.trace, ['pods'])
 *   // => [{ resource: 'pods', 'watches opened on the API server': 7, by: 'kube-controller-manager, kube-scheduler, kubelet/node-2, ...',
 *   //       'etcd watches the API server opened': 1 }]
 */
export interface OpenedWatches {
  /** Watch requests clients sent to the API server. */
  onApiServer: TraceEvent[];
  /** Watch requests the API server sent to etcd. */
  onEtcd: TraceEvent[];
}

export function openedWatches(trace: Trace): OpenedWatches {
  return {
    onApiServer: traceQuery(trace, { kind: 'message', flow: 'request', to: API_SERVER }).filter((e) => e.data?.verb === 'watch'),
    onEtcd: traceQuery(trace, { kind: 'message', flow: 'request', actor: API_SERVER, to: /^etcd/, summary: /^watch/ }),
  };
}

/** For each resource: how many watches clients opened on it (and which clients), and how many the API server opened on etcd. */
export function watchesByResource(trace: Trace, resources: readonly string[]) {
  const { onApiServer, onEtcd } = openedWatches(trace);
  return resources.map((resource) => {
    const info = findResource(resource);
    if (info === undefined) throw new Error(`no resource "${resource}"`);
    const clients = onApiServer.filter((e) => e.data?.resource === resource);
    return {
      resource,
      'watches opened on the API server': clients.length,
      by: [...new Set(clients.map((e) => e.actor))].join(', '),
      'etcd watches the API server opened': onEtcd.filter((e) => e.summary.startsWith(`watch /registry/${info.storagePrefix}/`)).length,
    };
  });
}
