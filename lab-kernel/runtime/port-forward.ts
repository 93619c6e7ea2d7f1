import type { PortForwardResult } from '../api/request';
import type { CriCallback } from './cri';
import { answerNow } from './cri-call';
import { sandboxNotFound } from './cri-error';
import { httpFrom } from './node-network';
import type { RuntimeState } from './runtime-state';

/**
 * One port-forward connection into a pod (CRI PortForward and containerd's streaming server):
 * containerd dials localhost:<port> inside the sandbox's network namespace (the node's, for a
 * hostNetwork pod), over the namespace's loopback on the packet network, and relays what the
 * server there answers. The connection is set up even
 * when nothing listens; the failure travels on the stream's error channel, in the streaming
 * server's words (the pod is named by its sandbox id, the uid left empty):
 *
 *   portForward(state, { podSandboxId: nginx's, port: 80 })  // => { data: '<title>Welcome to nginx!</title>' }
 *   portForward(state, { podSandboxId: nginx's, port: 81 })
 *   // => { error: 'error forwarding port 81 to pod 3f2a..., uid : failed to execute portforward in network namespace
 *   //     "/var/run/netns/cni-1b2c...": failed to connect to localhost:81 inside namespace "3f2a...", IPv4: dial tcp4
 *   //     127.0.0.1:81: connect: connection refused IPv6 dial tcp6 [::1]:81: connect: connection refused ' }
 *
 * Kubernetes streams both ways for as long as the connection lasts; the lab relays one answer.
 */
export function portForward(state: RuntimeState, req: { podSandboxId: string; port: number }, done: CriCallback<PortForwardResult>): void {
  const s = state.sandboxes.get(req.podSandboxId);
  const ns = s === undefined || s.state !== 'SANDBOX_READY' ? undefined : state.podNamespace(s);
  const setupMs = state.rng.between(1, 3);
  const answer = (work: () => PortForwardResult) => state.sim.after(setupMs, () => answerNow(done, work));
  if (s === undefined || ns === undefined) {
    answer(() => {
      throw sandboxNotFound();
    });
    return;
  }
  const { port } = req;
  httpFrom(state.network.node.net, ns)('127.0.0.1', port, undefined, 1000, (outcome) =>
    answer(() => {
      if (typeof outcome !== 'string') return { data: outcome.body };
      const netns = s.netnsPath === '' ? 'host' : s.netnsPath;
      const refused = `IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `;
      return { error: `error forwarding port ${port} to pod ${s.id}, uid : failed to execute portforward in network namespace "${netns}": failed to connect to localhost:${port} inside namespace "${s.id}", ${refused}` };
    }),
  );
}
