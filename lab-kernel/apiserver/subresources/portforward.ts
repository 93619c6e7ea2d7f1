import { badRequest, StatusError } from '../../api/status';
import type { Pod } from '../../api/types';
import type { PortForwardResult } from '../../api/request';
import { getObject } from '../handlers/read';
import { API_SERVER } from '../identity';
import { wait } from '../steps';
import type { SubresourceHandler } from './subresource';

/**
 * POST pods/<name>/portforward: as for exec, the API server opens a connection to the pod's
 * kubelet (port 10250), which has the container runtime connect to the port inside the pod's
 * network namespace, and relays the bytes both ways. Authorization asks for `create` on
 * pods/portforward. The connection is upgraded even when nothing listens on the port: that
 * failure comes back on the connection's error stream.
 *
 *   POST pods/web/portforward?ports=80
 *   // trace: kube-apiserver -> kubelet/node-1  POST /portForward/default/web?port=80
 *   // => 200 { data: '<title>Welcome to nginx!</title>' }, or 200 { error: 'error forwarding port 80 to pod ...' }
 *
 * Kubernetes keeps the stream open (SPDY, or WebSocket since 1.31) for every connection kubectl
 * accepts locally; the lab carries one connection's request and answer.
 */
export const portForwardSubresource: SubresourceHandler = {
  servedFor: (strategy) => strategy.info.kind === 'Pod',
  verbs: ['create'],
  *create(server, { info, req }) {
    const port = req.ports?.[0];
    if (port === undefined) throw badRequest('a port to forward is required (?ports=<port>)');
    const pod = (yield* getObject(server, info, req)) as Pod;
    const nodeName = pod.spec.nodeName;
    const kubelet = nodeName ? server.kubelets.get(nodeName) : undefined;
    if (!nodeName || kubelet === undefined) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
    const answer = yield* wait<PortForwardResult | StatusError>((done) =>
      server.net.send(API_SERVER, kubelet.component, 'request', `POST /portForward/${req.namespace}/${req.name}?port=${port}`, { verb: 'create', subresource: 'portforward' }, () =>
        kubelet.portForward(req.namespace!, req.name!, port, (result) => {
          const summary = result instanceof StatusError ? `${result.code} ${result.message}` : 'error' in result ? 'error stream: connection refused' : `${result.data.length} bytes`;
          server.net.send(kubelet.component, API_SERVER, 'response', summary, undefined, () => done(result));
        }),
      ),
    );
    if (answer instanceof StatusError) throw answer;
    return { code: 200, body: answer };
  },
};
