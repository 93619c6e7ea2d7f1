import type { NetNamespace } from '../net/namespace';
import { criLogLine } from './container-log';
import { shortId, type ContainerRecord, type RuntimeState } from './runtime-state';

/**
 * The process of an add-on's image: CoreDNS, the ingress controller, metrics-server, kube-proxy. Unlike nginx, such a
 * program talks to the API server (it watches Services, EndpointSlices, Ingresses), so the
 * runtime cannot know what it does: the cluster that runs the node hands the runtime its
 * programs (`NodeNetwork.addOns`, filled in at the composition root), and the runtime starts
 * one in the container's network namespace when the container starts, and stops it when the
 * container's process ends.
 *
 *   // composition root: addOns: { coredns: (ctx) => { const close = ctx.net.listen(ctx.ns, 'udp', 53, ...); return close; } }
 *   runAddOnWhileRunning(state, corednsContainer, podNamespace)
 *   // the program runs in the pod's namespace (UDP 53 answered) until the container exits
 *
 * A runtime made without the program (a unit test's lone node) runs the container as a
 * process that does nothing, and says so in its log.
 */
export function runAddOnWhileRunning(state: RuntimeState, c: ContainerRecord, ns: NetNamespace, env: Readonly<Record<string, string>>): void {
  const behaviour = c.image.registry.behaviour;
  if (behaviour.kind !== 'add-on') return;
  const log = (line: string) => c.logPath !== '' && state.logs.append(c.logPath, criLogLine(state.sim.now(), 'stdout', line));
  const program = state.network.node.addOns?.[behaviour.name];
  if (program === undefined) {
    log(`${behaviour.name}: this runtime has no cluster to serve; the process idles`);
    return;
  }
  const sandbox = state.sandboxes.get(c.sandboxId)!;
  const meta = sandbox.config.metadata;
  const stop = program({
    sim: state.sim,
    net: state.network.node.net,
    ns,
    pod: { name: meta.name, namespace: meta.namespace, uid: meta.uid },
    env,
    readFile: (path) => state.readFile(c, path),
    log,
  });
  state.action(`container ${c.config.metadata.name} (${shortId(c.id)}) runs the ${behaviour.name} add-on`, { container: c.id });
  c.task!.whenExited(stop);
}
