import type { Status } from '../api/status';
import type { Pod } from '../api/types';
import type { Client } from '../client/client';
import type { Containerd } from '../runtime/containerd';
import type { Simulation } from '../sim/simulation';
import { readPodStatus, type PodRuntimeView } from './pod-status-reader';
import type { PodSyncer } from './pod-syncer';
import type { ProberManager } from './prober-manager';
import type { VolumeManager } from './volumes/volume-manager';

/**
 * How the kubelet's pod workers stop a pod: its liveness and startup probes stop, every
 * container gets SIGTERM and the grace period (SIGKILL when it runs out), then the sandbox goes
 * and the volumes are unmounted; the runtime's view afterwards gives the final status. A pod
 * the API server deleted is then deleted for good (grace period 0), which removes it from etcd.
 *
 *   terminator.stop(web, 'default/web', view, 30, (after) => report(after))
 *   // trace: "pod default/web: stopping its containers (grace period 30 s)"; StopContainer, StopPodSandbox
 *   terminator.deleteForGood(web, 'default/web', done)   // DELETE pods/web, gracePeriodSeconds 0
 *   terminator.removeOrphan(uid, view, done)             // a pod the API server no longer has: killed, unmounted
 */
export interface PodTerminatorOptions {
  sim: Simulation;
  client: Client;
  component: string;
  containerd: Containerd;
  syncer: PodSyncer;
  volumes: VolumeManager;
  prober: ProberManager;
}

export class PodTerminator {
  constructor(private readonly o: PodTerminatorOptions) {}

  /** Stops the pod's containers with `graceSeconds` (the pod's own when undefined), then its volumes; `done` with the runtime's view after. */
  stop(pod: Readonly<Pod>, key: string, view: PodRuntimeView, graceSeconds: number | undefined, done: (after: PodRuntimeView) => void): void {
    const { sim, component, prober, syncer, volumes, containerd } = this.o;
    const uid = pod.metadata.uid!;
    prober.stopLivenessAndStartup(uid);
    sim.trace.action(sim.now(), component, `pod ${key}: stopping its containers (grace period ${graceSeconds ?? 0} s)`, { key });
    syncer.killPod(pod, view, graceSeconds, () => volumes.unmountPod(uid, () => readPodStatus(containerd, uid, done)));
  }

  /** The pod's final status was reported: the API server may now remove it. */
  deleteForGood(pod: Readonly<Pod>, key: string, done: () => void): void {
    const { sim, component, client, prober } = this.o;
    const { namespace, name } = pod.metadata;
    client.request({ verb: 'delete', resource: 'pods', namespace, name, gracePeriodSeconds: 0 }, (res) => {
      if (res.code !== 200 && res.code !== 404) sim.trace.error(sim.now(), component, `delete ${key}: ${(res.body as Status).message}`);
      prober.removePod(pod.metadata.uid!);
      done();
    });
  }

  /** A pod the API server no longer has: whatever of it still runs is stopped and removed. */
  removeOrphan(uid: string, view: PodRuntimeView, done: () => void): void {
    const { prober, syncer, volumes } = this.o;
    prober.removePod(uid);
    const running = view.decision.containers.some((c) => c.state === 'running') || view.decision.sandboxes.some((s) => s.ready);
    if (!running) return volumes.unmountPod(uid, done);
    const stub = { apiVersion: 'v1', kind: 'Pod', metadata: { uid, name: view.decision.sandboxes[0]?.id ?? uid, namespace: '' }, spec: { containers: [] } } as Pod;
    syncer.killPod(stub, view, 0, () => volumes.unmountPod(uid, done));
  }
}
