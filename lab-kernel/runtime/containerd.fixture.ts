import { allocate } from '../../solutions/cni/host-local';
import { firstAnswer } from '../../solutions/dns/dns-search';
import { evaluateTable } from '../../solutions/net/netfilter-eval';
import { lookupRoute } from '../../solutions/net/route-lookup';
import { Simulation } from '../sim/simulation';
import { Containerd } from './containerd';
import type { ContainerConfig, CriCallback, NamespaceOption, PodSandboxConfig } from './cri';
import type { CriError } from './cri-error';
import { standaloneNodeNetwork } from './node-network';

/**
 * Test helpers for the simulated runtime: a node, a call run to its answer, and the configs
 * a kubelet would send.
 *
 *   const { sim, runtime } = node();
 *   const { podSandboxId } = ok(sim, runtime, 'runPodSandbox', { config: sandboxConfig('web') });
 *   const { err } = call(sim, runtime, 'containerStatus', { containerId: 'nope' });   // err.code === 'NotFound'
 */
export function node(seed = 1, podCIDR = '10.244.0.0/24', options: { noSubnetYet?: boolean } = {}): { sim: Simulation; runtime: Containerd } {
  const sim = new Simulation({ seed });
  const network = standaloneNodeNetwork(sim, 'node-1', lookupRoute, evaluateTable, podCIDR);
  const runtime = new Containerd(sim, { node: 'node-1', ipamAllocate: allocate, network: options.noSubnetYet ? { ...network, podSubnet: () => undefined } : network, dnsSearch: firstAnswer });
  return { sim, runtime };
}

export interface Answer<T> {
  err?: CriError;
  res?: T;
  /** Virtual ms when the answer came. */
  at: number;
}

/** The runtime's CRI calls, by name, with their request and response types. */
type CriMethod = { [K in keyof Containerd]: Containerd[K] extends (req: infer _Req, done: CriCallback<infer _Res>) => void ? K : never }[keyof Containerd];
type RequestOf<K extends CriMethod> = Parameters<Containerd[K]>[0];
type ResponseOf<K extends CriMethod> = Containerd[K] extends (req: infer _Req, done: CriCallback<infer R>) => void ? R : never;

/** Makes a call and runs the simulation until it answers (at most an hour); throws if it never does. */
export function call<K extends CriMethod>(sim: Simulation, runtime: Containerd, method: K, req: RequestOf<K>): Answer<ResponseOf<K>> {
  let answer: Answer<ResponseOf<K>> | undefined;
  const send = runtime[method] as (req: RequestOf<K>, done: CriCallback<ResponseOf<K>>) => void;
  send.call(runtime, req, (err, res) => (answer = { err, res, at: sim.now() }));
  if (!sim.runUntil(() => answer !== undefined, 3_600_000)) throw new Error(`${method}: no answer within an hour`);
  return answer!;
}

/** Like call, for a call that must succeed: its response. */
export function ok<K extends CriMethod>(sim: Simulation, runtime: Containerd, method: K, req: RequestOf<K>): ResponseOf<K> {
  const { err, res } = call(sim, runtime, method, req);
  if (err !== undefined) throw err;
  return res!;
}

export function sandboxConfig(name: string, options: { uid?: string; cgroupParent?: string; namespaceOptions?: NamespaceOption } = {}): PodSandboxConfig {
  const uid = options.uid ?? `uid-${name}`;
  return {
    metadata: { name, namespace: 'default', uid, attempt: 0 },
    hostname: name,
    logDirectory: `/var/log/pods/default_${name}_${uid}`,
    labels: { 'io.kubernetes.pod.name': name, 'io.kubernetes.pod.namespace': 'default' },
    linux: {
      cgroupParent: options.cgroupParent ?? `/kubepods/besteffort/pod${uid}`,
      ...(options.namespaceOptions ? { securityContext: { namespaceOptions: options.namespaceOptions } } : {}),
    },
  };
}

export function containerConfig(name: string, image: string, more: Partial<ContainerConfig> = {}): ContainerConfig {
  return { metadata: { name, attempt: 0 }, image: { image }, logPath: `${name}/0.log`, ...more };
}

/** Pulls the images, runs a sandbox and creates and starts each container; returns the IDs. */
export function runPod(sim: Simulation, runtime: Containerd, config: PodSandboxConfig, containers: ContainerConfig[]): { sandboxId: string; ids: string[] } {
  for (const { image: spec } of containers) ok(sim, runtime, 'pullImage', { image: spec });
  const { podSandboxId } = ok(sim, runtime, 'runPodSandbox', { config });
  const ids = containers.map((c) => ok(sim, runtime, 'createContainer', { podSandboxId, config: c, sandboxConfig: config }).containerId);
  for (const containerId of ids) ok(sim, runtime, 'startContainer', { containerId });
  return { sandboxId: podSandboxId, ids };
}
