import { jsonEqual } from '../api/json-equal';
import { objectKey } from '../api/resources';
import type { Status } from '../api/status';
import type { Pod, PodStatus } from '../api/types';
import type { Client } from '../client/client';
import type { Informer } from '../client/informer';
import type { Simulation } from '../sim/simulation';
import type { NodeAgent } from './node-agent';
import { mirroredUid, mirrorPodOf } from './static-pods';

/**
 * The kubelet's status manager: a pod's status goes to the API server (PUT pods/<name>/status)
 * only when it differs from what was last sent, or, before anything was sent, from what the
 * API server holds. A static pod's status goes on its mirror pod, which each sync of the static
 * pod posts again if the API server has none, or a stale one (reconcileMirror).
 *
 *   manager.send(web, 'default/web', { phase: 'Running', ... }, worker)   // PUT pods/web/status; worker.reported = the status
 *   manager.send(web, 'default/web', the same status, worker)             // nothing sent
 *   manager.send(web, 'default/web', Ready, worker), the PUT still out    // waits; then PUT from the pod that PUT returned
 *   a conflict (409) or a lost answer, nothing waiting                   // worker.reported cleared: sent again at the next sync
 *
 * Upstream also sends every status again that differs from the API server's every 10 s
 * (syncBatch); the lab sends a failed one again only at the pod's next sync.
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

/** A pod worker's status writes: what was last sent, what the last write returned, and the one write on its way. */
export interface StatusWrites {
  /** The status last sent (or waiting to be). */
  reported?: PodStatus;
  /** The pod as the last successful write returned it. */
  written?: Readonly<Pod>;
  /** A write is on its way. */
  writing?: boolean;
  /** The status to write once it is answered. */
  waiting?: { pod: Readonly<Pod>; status: PodStatus };
}

export class StatusManager {
  /** Static pods whose mirror pod has been asked for and not yet seen. */
  private readonly mirrorsAsked = new Set<string>();
  /** Mirror pods (by their own uid) being deleted for good. */
  private readonly deleting = new Set<string>();

  constructor(private readonly o: StatusManagerOptions) {}

  /**
   * Sends `status` if it changed; `last` is the pod worker's record of its status writes. One
   * write at a time per pod, as upstream's status manager has one worker: a status made while
   * a write is on its way waits for its answer, and a newer one replaces it. A write starts
   * from the newer of the informer's pod and the pod the last write returned (the informer may
   * not have seen that write yet: a PUT from its older copy would only earn a 409).
   */
  send(pod: Readonly<Pod>, key: string, status: PodStatus, last: StatusWrites): void {
    const { sim, component } = this.o;
    if (last.reported !== undefined && jsonEqual(last.reported, status)) return;
    if (last.reported === undefined && jsonEqual(pod.status ?? {}, status)) return;
    last.reported = status;
    if (status.phase === 'Running' && pod.status?.phase !== 'Running') {
      sim.trace.action(sim.now(), component, `pod ${key} is Running (${status.podIP ?? ''})`, { key });
    }
    if (last.writing) last.waiting = { pod, status };
    else this.write(pod, status, last);
  }

  private write(pod: Readonly<Pod>, status: PodStatus, last: StatusWrites): void {
    const target = newer(this.o.isStatic(pod.metadata.uid!) ? this.mirrorOf(pod) : pod, last.written);
    if (target === undefined) {
      last.reported = undefined;
      return;
    }
    const { namespace, name } = target.metadata;
    last.writing = true;
    this.o.client.request({ verb: 'update', resource: 'pods', subresource: 'status', namespace, name, body: Object.assign({}, target, { status }) }, (res) => {
      last.writing = false;
      if (res.code === 200) last.written = res.body as Pod;
      const waiting = last.waiting;
      last.waiting = undefined;
      if (waiting !== undefined) return this.write(waiting.pod, waiting.status, last);
      // A conflict or a lost answer: send it again at the next sync.
      if (res.code !== 200) last.reported = undefined;
    });
  }

  /**
   * tryReconcileMirrorPods, at each sync of a static pod: the API server should hold its mirror
   * pod. None (never made, or deleted for good): one is posted. One being deleted (someone ran
   * `kubectl delete` on it) or one of an older manifest: it is deleted for good (grace period
   * 0) and a new one posted, which the next sync reports the status on.
   *
   *   kubectl delete pod -n kube-system etcd-control-plane
   *   // => trace "kubelet/control-plane: deleting mirror pod kube-system/etcd-control-plane (being deleted), a new one follows"
   *   //    DELETE pods/etcd-control-plane (gracePeriodSeconds 0), then POST pods: a new uid, Running again
   */
  reconcileMirror(pod: Readonly<Pod>, last: { reported?: PodStatus }): void {
    const { sim, component, client, pods, agent, node } = this.o;
    const uid = pod.metadata.uid!;
    const key = objectKey(pod);
    const mirror = pods.lister.get(key);
    if (mirror !== undefined && mirroredUid(mirror) === uid && mirror.metadata.deletionTimestamp === undefined) return void this.mirrorsAsked.delete(uid);
    const nodeUid = agent.nodeInformer.lister.get(node)?.metadata.uid;
    if (!pods.hasSynced() || nodeUid === undefined) return;
    const post = () => {
      this.mirrorsAsked.add(uid);
      last.reported = undefined;
      agent.postMirrorPod(mirrorPodOf(pod, nodeUid));
    };
    if (mirror === undefined) return void (this.mirrorsAsked.has(uid) || post());
    if (this.deleting.has(mirror.metadata.uid!)) return;
    this.deleting.add(mirror.metadata.uid!);
    const why = mirroredUid(mirror) === uid ? 'being deleted' : 'outdated';
    sim.trace.action(sim.now(), component, `deleting mirror pod ${key} (${why}), a new one follows`, { key });
    client.request({ verb: 'delete', resource: 'pods', namespace: mirror.metadata.namespace, name: mirror.metadata.name, gracePeriodSeconds: 0 }, (res) => {
      if (res.code === 200 || res.code === 404) return post();
      sim.trace.error(sim.now(), component, `delete mirror pod ${key}: ${(res.body as Status).message}`, { key });
      this.deleting.delete(mirror.metadata.uid!);
    });
  }

  /** The mirror pod of a static pod, as the API server holds it, if it is current (reconcileMirror makes it so). */
  private mirrorOf(pod: Readonly<Pod>): Readonly<Pod> | undefined {
    const mirror = this.o.pods.lister.get(objectKey(pod));
    return mirror !== undefined && mirroredUid(mirror) === pod.metadata.uid && mirror.metadata.deletionTimestamp === undefined ? mirror : undefined;
  }
}

/** The pod as the API server last said it, of two copies of one object (the same uid): the one with the higher resourceVersion. */
function newer(pod: Readonly<Pod> | undefined, written: Readonly<Pod> | undefined): Readonly<Pod> | undefined {
  if (pod === undefined || written === undefined || written.metadata.uid !== pod.metadata.uid) return pod;
  return Number(written.metadata.resourceVersion) > Number(pod.metadata.resourceVersion) ? written : pod;
}
