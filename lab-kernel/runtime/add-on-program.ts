import type { NetNamespace } from '../net/namespace';
import type { PacketNetwork } from '../net/packet-network';
import type { Simulation } from '../sim/simulation';
import type { AddOnName } from './image-registry';

/**
 * What an add-on's program is given and gives back (add-on-process.ts runs it): the
 * composition root writes the programs (CoreDNS, the ingress controller, metrics-server, kube-proxy), the runtime starts
 * one in a container's network namespace and stops it when the container's process ends.
 *
 *   const coredns: AddOnProgram = (ctx) => ctx.net.listen(ctx.ns, 'udp', 53, (query, reply) => ...);
 *   // => the close function: what stops it
 */
export interface AddOnContext {
  sim: Simulation;
  net: PacketNetwork;
  /** The pod's network namespace (the node's, for a hostNetwork pod). */
  ns: NetNamespace;
  /** The pod it runs in. */
  pod: { name: string; namespace: string; uid: string };
  /** The container's environment (its env vars and HOSTNAME). */
  env: Readonly<Record<string, string>>;
  /** Reads a file as the container sees it (a mounted ConfigMap: the Corefile). */
  readFile(path: string): string | undefined;
  /** A line on the container's stdout (kubectl logs). */
  log(line: string): void;
}

/** Starts the program; returns what stops it (its sockets closed, its watches ended). */
export type AddOnProgram = (context: AddOnContext) => () => void;

export type AddOnPrograms = Partial<Record<AddOnName, AddOnProgram>>;
