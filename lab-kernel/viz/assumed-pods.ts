import type { Pod } from '../api/types';
import type { TraceEvent } from '../sim/trace';

/**
 * The scheduler's cache beside the API server, pod by pod, right after scheduling cycles: a
 * pod the scheduler has chosen a node for is "assumed" there at once, while the API server
 * still shows no node until the Binding is written; once the bound pod comes back through the
 * scheduler's watch it is simply "bound".
 *
 *   const cycles = traceQuery(cluster.trace, { since: tBurst, actor: 'kube-scheduler', kind: 'action', summary: /default\/burst-/ });
 *   assumedPods(cycles, cluster.scheduler, cluster.apiServer)
 *   // => [{ pod: 'burst-vtp2g', 'scheduler cache': 'assumed on node-3', 'API server: spec.nodeName': '<none yet>' }, ...]
 *   //    a second later: [{ pod: 'burst-vtp2g', 'scheduler cache': 'bound', 'API server: spec.nodeName': 'node-3' }, ...]
 *
 * `cycles` are the scheduler's "schedule <namespace/name> -> <node> ..." trace lines. Both
 * caches are read directly: no request is sent.
 */
export interface AssumedRow {
  pod: string;
  'scheduler cache': string;
  'API server: spec.nodeName': string;
}

export function assumedPods(
  cycles: readonly TraceEvent[],
  scheduler: { readonly cache: { isAssumed(key: string): boolean } },
  apiServer: { readonly cache: { get(resource: string, namespace: string | undefined, name: string): unknown } },
): AssumedRow[] {
  return cycles.flatMap((e) => {
    const m = /^schedule (\S+)\/(\S+) -> (\S+)/.exec(e.summary);
    if (m === null) return [];
    const [, namespace, name, node] = m;
    const stored = apiServer.cache.get('pods', namespace, name) as Pod | undefined;
    return [{
      pod: name,
      'scheduler cache': scheduler.cache.isAssumed(`${namespace}/${name}`) ? `assumed on ${node}` : 'bound',
      'API server: spec.nodeName': stored?.spec.nodeName ?? '<none yet>',
    }];
  });
}
