import { badRequest, StatusError } from '../../api/status';
import type { Pod } from '../../api/types';
import { getObject } from '../handlers/read';
import { API_SERVER } from '../identity';
import { wait } from '../steps';
import type { SubresourceHandler } from './subresource';

/**
 * GET pods/<name>/log: the API server opens a connection to the pod's kubelet and answers
 * with what it sends back.
 *
 *   GET pods/web/log?container=nginx            (&previous=true: its previous instance, after a restart)
 *   // trace: kube-apiserver -> kubelet-node-1  GET /containerLogs/default/web/nginx
 *   // => 200 '...the container's output...'; a pod on no node => 400
 */
export const logSubresource: SubresourceHandler = {
  servedFor: (strategy) => strategy.info.kind === 'Pod',
  verbs: ['get'],
  *connect(server, { info, req }) {
    const pod = (yield* getObject(server, info, req)) as Pod;
    const nodeName = pod.spec.nodeName;
    const kubelet = nodeName ? server.kubelets.get(nodeName) : undefined;
    if (!nodeName || kubelet === undefined) {
      throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
    }
    const path = `/containerLogs/${req.namespace}/${req.name}${req.container ? '/' + req.container : ''}${req.previous ? '?previous=true' : ''}`;
    const text = yield* wait<string | StatusError>((done) =>
      server.net.send(API_SERVER, kubelet.component, 'request', `GET ${path}`, { verb: 'get', subresource: 'log' }, () => {
        const answer = kubelet.containerLogs(req.namespace!, req.name!, req.container, { previous: req.previous === true });
        const summary = answer instanceof StatusError ? `${answer.code} ${answer.message}` : '200 log stream';
        server.net.send(kubelet.component, API_SERVER, 'response', summary, undefined, () => done(answer));
      }),
    );
    return { code: 200, body: text };
  },
};
