import { formatIp } from '../net/ipv4';
import type { Incoming, NetNamespace } from '../net/namespace';
import { agnhostCommand, serveAgnhost } from './agnhost';
import { serveResourceConsumer, type HttpAnswer, type HttpRequest } from './resource-consumer';
import { shortId, type ContainerRecord, type RuntimeState } from './runtime-state';

/**
 * A container's server process on the packet network: while it runs, a TCP socket listening on
 * its port in the pod's network namespace (the node's, for a hostNetwork pod), answering each
 * request as its image does. nginx and the lab's other servers answer their page to anything
 * (200); the resource-consumer acts on its HTTP API (resource-consumer.ts); agnhost answers
 * its hostname, or what netexec says of the request (agnhost.ts).
 *
 *   listenWhileRunning(state, nginx, podNamespace)
 *   // a GET to 10.244.1.2:80 from anywhere that routes there => { code: 200, body: '<title>Welcome to nginx!</title>' }
 *   // once nginx has exited: ECONNREFUSED (a TCP reset)
 *
 * A port another process of the namespace holds already cannot be bound: the process runs
 * without its socket, and the runtime says so in the trace (a real server would usually exit).
 */
export function listenWhileRunning(state: RuntimeState, c: ContainerRecord, ns: NetNamespace): void {
  const task = c.task!;
  const port = task.plan.listensOn?.port;
  if (port === undefined) return;
  let close: () => void;
  try {
    close = state.network.node.net.listen(ns, 'tcp', port, (request, reply) => {
      const answer = serve(state, c, request);
      reply({ length: answer.body.length, payload: answer });
    });
  } catch (e) {
    state.action(`container ${c.config.metadata.name} (${shortId(c.id)}): ${(e as Error).message}`, { container: c.id });
    return;
  }
  task.whenExited(close);
}

/** What the container's server answers a request (a bare connection: no HTTP request). */
function serve(state: RuntimeState, c: ContainerRecord, incoming: Incoming): HttpAnswer {
  const request = (incoming.payload as HttpRequest | undefined) ?? { method: 'GET', path: '/' };
  const kind = c.image.registry.behaviour.kind;
  if (kind === 'agnhost') {
    const run = agnhostCommand(c.task!.plan.argv.slice(1));
    const hostname = state.sandboxes.get(c.sandboxId)?.config.hostname ?? '';
    return 'port' in run ? serveAgnhost(run.subcommand, request, { hostname, clientIp: formatIp(incoming.from), clientPort: incoming.fromPort }) : { code: 200, body: '' };
  }
  if (kind !== 'resource-consumer') return { code: 200, body: c.task!.plan.listensOn!.answer };
  const { answer, load } = serveResourceConsumer(request, state.sim.now());
  if (load !== undefined) (c.cpuLoads ??= []).push(load);
  return answer;
}
