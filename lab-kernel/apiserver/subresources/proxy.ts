import { noSuchPath, notFound } from '../../api/status';
import type { Summary } from '../../api/stats-summary';
import { getObject } from '../handlers/read';
import { API_SERVER } from '../identity';
import { wait } from '../steps';
import type { SubresourceHandler } from './subresource';

/**
 * GET nodes/<node>/proxy/<path>: the API server opens a connection to the node's kubelet,
 * passes the request on and answers with what the kubelet sends back. RBAC asks for get on
 * nodes/proxy. The lab's kubelets serve one path through it, the Summary API:
 *
 *   GET /api/v1/nodes/node-1/proxy/stats/summary    (kubectl get --raw ...)
 *   // trace: kube-apiserver -> kubelet/node-1  GET /stats/summary
 *   // => 200 { node: { nodeName: 'node-1', cpu, memory, fs, runtime }, pods: [...] }
 *   GET /api/v1/nodes/node-1/proxy/healthz   // => 404 (not served by the lab's kubelet)
 *   GET /api/v1/nodes/node-9/proxy/stats/summary   // => 404 nodes "node-9" not found
 */
export const proxySubresource: SubresourceHandler = {
  servedFor: (strategy) => strategy.info.kind === 'Node',
  verbs: ['get'],
  *connect(server, { info, req }) {
    yield* getObject(server, info, req);
    const kubelet = server.kubelets.get(req.name!);
    if (kubelet === undefined) throw notFound({ group: '', resource: 'nodes', name: req.name! });
    const path = (req.path ?? '').replace(/^\/+/, '');
    if (path !== 'stats/summary') throw noSuchPath({ group: '', resource: 'nodes', name: req.name! });
    const summary = yield* wait<Summary>((done) =>
      server.net.send(API_SERVER, kubelet.component, 'request', `GET /${path}`, { verb: 'get', subresource: 'proxy' }, () =>
        kubelet.statsSummary((s) => server.net.send(kubelet.component, API_SERVER, 'response', `200 summary of ${s.pods.length} pods`, undefined, () => done(s))),
      ),
    );
    return { code: 200, body: summary };
  },
};
