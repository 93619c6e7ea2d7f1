import { jsonEqual } from '../api/json-equal';
import { objectKey } from '../api/resources';
import type { Pod, PodStatus } from '../api/types';
import type { Client } from '../client/client';
import type { Informer } from '../client/informer';
import type { Simulation } from '../sim/simulation';
import type { NodeAgent } from './node-agent';
import { mirroredUid, mirrorPodOf } from './static-pods';

/**
 * The kubelet's status manager: a pod's status goes to the API server (PUT pods/<name>/status)
 * only when it differs from what was last sent, or, before anything was sent, from what the
 * API server holds. A static pod's status goes on its mirror pod, which is posted first if the
 * API server has none yet.
 *
 *   manager.send(web, 'default/web', { phase: 'Running', ... }, worker)   // PUT pods/web/status; worker.reported = the status
 *   manager.send(web, 'default/web', the same status, worker)             // nothing sent
 *   a conflict (409) or a lost answer                                    // worker.reported cleared: sent again at the next sync
 */
export interface StatusManagerOptions {
  sim: Simulation;
  client: Client;
  component: string;
  node: string;
  pods: Informer<Pod>;
  agent: NodeAgent;
  /** Whether the uid is a static pod's, from a manifest. */
  isStatic: (uid: string) => boolean;
}

export class StatusManager {
  /** Static pods whose mirror pod has been asked for. */
  private readonly mirrorsAsked = new Set<string>();

  constructor(private readonly o: StatusManagerOptions) {}

  /** Sends `status` if it changed; `last` holds the status last sent (the pod worker's). */
  send(pod: Readonly<Pod>, key: string, status: PodStatus, last: { reported?: PodStatus }): void {
    const { sim, component } = this.o;
    if (last.reported !== undefined && jsonEqual(last.reported, status)) return;
    if (last.reported === undefined && jsonEqual(pod.status ?? {}, status)) return;
    last.reported = status;
    if (status.phase === 'Running' && pod.status?.phase !== 'Running') {
      sim.trace.action(sim.now(), component, `pod ${key} is Running (${status.podIP ?? ''})`, { key });
    }
    const target = this.o.isStatic(pod.metadata.uid!) ? this.mirrorOf(pod) : pod;
    if (target === undefined) {
      last.reported = undefined;
      return;
    }
    const { namespace, name } = target.metadata;
    this.o.client.request({ verb: 'update', resource: 'pods', subresource: 'status', namespace, name, body: { ...target, status } }, (res) => {
      // A conflict or a lost answer: send it again at the next sync.
      if (res.code !== 200) last.reported = undefined;
    });
  }

  /**
   * The mirror pod of a static pod, as the API server holds it; if it has none yet (or a
   * stale one), the kubelet posts one once it is registered and knows its Node's uid.
   */
  private mirrorOf(pod: Readonly<Pod>): Readonly<Pod> | undefined {
    const { pods, agent, node } = this.o;
    const mirror = pods.lister.get(objectKey(pod));
    if (mirror !== undefined && mirroredUid(mirror) === pod.metadata.uid) return mirror;
    const nodeUid = agent.nodeInformer.lister.get(node)?.metadata.uid;
    if (mirror === undefined && pods.hasSynced() && nodeUid !== undefined && !this.mirrorsAsked.has(pod.metadata.uid!)) {
      this.mirrorsAsked.add(pod.metadata.uid!);
      agent.postMirrorPod(mirrorPodOf(pod, nodeUid));
    }
    return undefined;
  }
}
