import { badRequest, StatusError } from '../../api/status';
import type { Pod } from '../../api/types';
import type { ExecResult } from '../../api/request';
import { getObject } from '../handlers/read';
import { API_SERVER } from '../identity';
import { wait } from '../steps';
import type { SubresourceHandler } from './subresource';

/**
 * POST pods/<name>/exec: like the log, the API server opens a connection to the pod's kubelet
 * (port 10250), which has the container runtime run the command in the container's namespaces,
 * and relays what comes back. Authorization asks for `create` on pods/exec.
 *
 *   POST pods/web/exec?container=nginx&command=hostname
 *   // trace: kube-apiserver -> kubelet/node-1  POST /exec/default/web/nginx?command=hostname
 *   // => 200 { stdout: 'web\n', stderr: '', exitCode: 0 }; no command => 400
 *
 * Kubernetes streams stdin, stdout and stderr over a WebSocket (SPDY before 1.31) and ends with
 * a status carrying the exit code; the lab answers once the command has ended, all output at once.
 */
export const execSubresource: SubresourceHandler = {
  servedFor: (strategy) => strategy.info.kind === 'Pod',
  verbs: ['create'],
  *create(server, { info, req }) {
    const command = req.command ?? [];
    if (command.length === 0) throw badRequest('you must specify at least 1 command');
    const pod = (yield* getObject(server, info, req)) as Pod;
    const nodeName = pod.spec.nodeName;
    const kubelet = nodeName ? server.kubelets.get(nodeName) : undefined;
    if (!nodeName || kubelet === undefined) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
    const query = command.map((c) => `command=${encodeURIComponent(c)}`).join('&');
    const path = `/exec/${req.namespace}/${req.name}${req.container ? '/' + req.container : ''}?${query}`;
    const answer = yield* wait<ExecResult | StatusError>((done) =>
      server.net.send(API_SERVER, kubelet.component, 'request', `POST ${path}`, { verb: 'create', subresource: 'exec' }, () =>
        kubelet.exec(req.namespace!, req.name!, req.container, command, (result) => {
          const summary = result instanceof StatusError ? `${result.code} ${result.message}` : `exit code ${result.exitCode}`;
          server.net.send(kubelet.component, API_SERVER, 'response', summary, undefined, () => done(result));
        }),
      ),
    );
    if (answer instanceof StatusError) throw answer;
    return { code: 200, body: answer };
  },
};
