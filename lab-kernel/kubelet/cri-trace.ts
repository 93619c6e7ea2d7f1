import type { Simulation } from '../sim/simulation';

/**
 * A CRI call of the kubelet, in the trace: a message from the kubelet to its runtime, sent and
 * received at once (a local socket, no network), named by the call and what it is about.
 *
 *   traceCri(sim, 'kubelet/node-1', 'containerd/node-1', 'StartContainer default/web/nginx')
 *   // => message kubelet/node-1 -> containerd/node-1 'StartContainer default/web/nginx', data { cri: 'StartContainer' }
 *
 * The calls that only read (list, status) are not traced: the kubelet makes them every second.
 */
export function traceCri(sim: Simulation, from: string, to: string, call: string): void {
  const now = sim.now();
  sim.trace.message(now, from, to, now, 'request', call, { cri: call.split(' ')[0] });
}
