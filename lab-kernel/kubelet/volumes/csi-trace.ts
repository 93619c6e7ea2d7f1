import type { Simulation } from '../../sim/simulation';

/**
 * A CSI call of the kubelet, in the trace, as CRI calls are (cri-trace.ts): a message from the
 * kubelet to the driver's node plugin on the same node, over its unix socket, named by the call
 * and the volume it is about. Only the calls that change something are traced
 * (NodeStageVolume, NodePublishVolume, NodeUnpublishVolume, NodeUnstageVolume), not
 * NodeGetCapabilities, which the kubelet asks before each of them.
 *
 *   traceCsi(sim, 'kubelet/node-1', 'hostpath.csi.k8s.io/node-1', 'NodePublishVolume pvc-1 for default/app')
 *   // => message kubelet/node-1 -> hostpath.csi.k8s.io/node-1, data { csi: 'NodePublishVolume' }
 */
export function traceCsi(sim: Simulation, from: string, to: string, call: string): void {
  const now = sim.now();
  sim.trace.message(now, from, to, now, 'request', call, { csi: call.split(' ')[0] });
}
