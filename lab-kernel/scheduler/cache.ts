import { objectKey } from '../api/resources';
import type { Node, Pod } from '../api/types';
import type { NodeInfo, Snapshot } from './framework-types';
import { addPod, nodeInfoFor, removePod } from './node-info';

/**
 * kube-scheduler's cache (pkg/scheduler/backend/cache/cache.go): what the scheduler believes is
 * on each node, fed by the pod and node informers, plus the pods it has "assumed".
 *
 * Binding is an API call that answers later, but the next pod is scheduled at once. So as soon
 * as a node is chosen the scheduler *assumes* the pod there: the cache counts it on the node
 * before the API server has even heard of the binding. When the informer later delivers the
 * bound pod, the assumption is confirmed; if the binding fails, the pod is *forgotten*.
 *
 *   cache.addNode(node1)
 *   cache.assumePod({ ...pod, spec: { ...pod.spec, nodeName: 'node-1' } })   // node-1 counts it now
 *   cache.forgetPod(pod)                                                    // binding failed: undone
 *
 * Each scheduling cycle works on a snapshot (updateSnapshot()), so that informer events during
 * the cycle cannot change what Filter and Score see. Like kube-scheduler, the snapshot is
 * updated incrementally: each NodeInfo carries the generation of its last change, and only the
 * nodes changed since the last snapshot are copied into it (usually one: the node the last pod
 * was assumed on), never all 5000.
 *
 * Lab simplification: assumed pods never expire (kube-scheduler's default TTL is 0 too); the
 * node order is the order nodes were added (kube-scheduler interleaves zones).
 */
interface NodeEntry {
  info: NodeInfo;
  /** False while only pods bound to the node are known, not the Node itself. */
  hasNode: boolean;
  /** The cache's generation at this entry's last change. */
  generation: number;
}

interface PodState {
  pod: Readonly<Pod>;
  nodeName: string;
  assumed: boolean;
}

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeEntry>();
  private readonly pods = new Map<string, PodState>();
  private generation = 0;
  /** Nodes changed since the last updateSnapshot(). */
  private readonly dirty = new Set<string>();
  private nodeSetChanged = true;
  private readonly snapshotInfos = new Map<string, NodeInfo>();
  private snapshotList: NodeInfo[] = [];
  /** Where each node sits in snapshotList. */
  private readonly snapshotIndex = new Map<string, number>();
  private snapshotGeneration = 0;
  /** The snapshot's nodes that hold a pod with required anti-affinity, rebuilt only when one of them changes. */
  private snapshotAntiAffinity: NodeInfo[] = [];
  /** Image name => how many of the snapshot's nodes hold it. */
  private readonly snapshotImages = new Map<string, number>();
  private readonly snapshotView: Snapshot = {
    nodeInfos: () => this.snapshotList,
    get: (name) => this.snapshotInfos.get(name),
    havePodsWithRequiredAntiAffinity: () => this.snapshotAntiAffinity,
    nodesWithImage: (image) => this.snapshotImages.get(image) ?? 0,
  };

  addNode(node: Readonly<Node>): void {
    const name = node.metadata.name!;
    const pods = [...this.pods.values()].filter((p) => p.nodeName === name).map((p) => p.pod);
    this.nodes.set(name, { info: nodeInfoFor(node, pods), hasNode: true, generation: 0 });
    this.touch(name);
    this.nodeSetChanged = true;
  }

  updateNode(node: Readonly<Node>): void {
    const entry = this.nodes.get(node.metadata.name!);
    if (entry === undefined || !entry.hasNode) return this.addNode(node);
    entry.info = nodeInfoFor(node, entry.info.pods.map((p) => p.pod));
    this.touch(node.metadata.name!);
  }

  removeNode(node: Readonly<Node>): void {
    const name = node.metadata.name!;
    const entry = this.nodes.get(name);
    if (entry === undefined) return;
    // Pods still bound to it stay counted until their own deletion arrives (as in kube-scheduler).
    if (entry.info.pods.length > 0) entry.hasNode = false;
    else this.nodes.delete(name);
    this.touch(name);
    this.nodeSetChanged = true;
  }

  /** A bound pod the informer delivered: confirms an assumed pod, or counts a new one. */
  addPod(pod: Readonly<Pod>): void {
    const key = objectKey(pod);
    const state = this.pods.get(key);
    if (state !== undefined) {
      // Assumed here (or seen before): replace it with the object from the API server.
      this.move(state, pod);
      state.assumed = false;
      return;
    }
    this.pods.set(key, { pod, nodeName: pod.spec.nodeName!, assumed: false });
    addPod(this.entryFor(pod.spec.nodeName!).info, pod);
    this.touch(pod.spec.nodeName!);
  }

  updatePod(pod: Readonly<Pod>): void {
    const state = this.pods.get(objectKey(pod));
    if (state === undefined) return this.addPod(pod);
    this.move(state, pod);
  }

  removePod(pod: Readonly<Pod>): void {
    const key = objectKey(pod);
    const state = this.pods.get(key);
    if (state === undefined) return;
    this.pods.delete(key);
    this.takeOff(state);
  }

  /** Counts `pod` (its spec.nodeName set to the chosen node) on its node before it is bound. */
  assumePod(pod: Readonly<Pod>): void {
    const key = objectKey(pod);
    if (this.pods.has(key)) throw new Error(`pod ${key} is in the cache, so can't be assumed`);
    this.pods.set(key, { pod, nodeName: pod.spec.nodeName!, assumed: true });
    addPod(this.entryFor(pod.spec.nodeName!).info, pod);
    this.touch(pod.spec.nodeName!);
  }

  /** Undoes assumePod (the binding failed). */
  forgetPod(pod: Readonly<Pod>): void {
    const state = this.pods.get(objectKey(pod));
    if (state === undefined || !state.assumed) return;
    this.removePod(pod);
  }

  isAssumed(key: string): boolean {
    return this.pods.get(key)?.assumed ?? false;
  }

  /** Every node the cache has a Node object for. */
  nodeCount(): number {
    let n = 0;
    for (const e of this.nodes.values()) if (e.hasNode) n++;
    return n;
  }

  /**
   * Brings the snapshot up to date and returns it: copies only the nodes changed since the last
   * call (UpdateSnapshot), and rebuilds the node list only when nodes came or went.
   */
  updateSnapshot(): Snapshot {
    // Whether a node that holds (or held) a pod with required anti-affinity was copied anew.
    let antiAffinityChanged = false;
    for (const name of this.dirty) {
      const entry = this.nodes.get(name);
      const old = this.snapshotInfos.get(name);
      if (entry === undefined || !entry.hasNode) {
        if (old !== undefined) {
          this.countImages(old, -1);
          antiAffinityChanged ||= old.podsWithRequiredAntiAffinity.length > 0;
        }
        this.snapshotInfos.delete(name);
        continue;
      }
      if (entry.generation <= this.snapshotGeneration) continue;
      const copy = cloneNodeInfo(entry.info);
      if (old?.imageSizes !== copy.imageSizes) {
        if (old !== undefined) this.countImages(old, -1);
        this.countImages(copy, 1);
      }
      antiAffinityChanged ||= (old?.podsWithRequiredAntiAffinity.length ?? 0) > 0 || copy.podsWithRequiredAntiAffinity.length > 0;
      this.snapshotInfos.set(name, copy);
      const at = this.snapshotIndex.get(name);
      if (at !== undefined) this.snapshotList[at] = copy;
    }
    this.dirty.clear();
    this.snapshotGeneration = this.generation;
    if (this.nodeSetChanged) {
      this.snapshotList = [...this.nodes.entries()].filter(([, e]) => e.hasNode).map(([name]) => this.snapshotInfos.get(name)!);
      this.snapshotIndex.clear();
      this.snapshotList.forEach((info, i) => this.snapshotIndex.set(info.node.metadata.name!, i));
      this.nodeSetChanged = false;
    }
    if (antiAffinityChanged) this.snapshotAntiAffinity = this.snapshotList.filter((info) => info.podsWithRequiredAntiAffinity.length > 0);
    return this.snapshotView;
  }

  /** Adds (sign 1) or takes back (-1) a node's images in the snapshot's count of nodes per image. */
  private countImages(info: NodeInfo, sign: 1 | -1): void {
    for (const image in info.imageSizes) {
      const n = (this.snapshotImages.get(image) ?? 0) + sign;
      if (n === 0) this.snapshotImages.delete(image);
      else this.snapshotImages.set(image, n);
    }
  }

  private move(state: PodState, pod: Readonly<Pod>): void {
    this.takeOff(state);
    state.pod = pod;
    state.nodeName = pod.spec.nodeName ?? state.nodeName;
    addPod(this.entryFor(state.nodeName).info, pod);
    this.touch(state.nodeName);
  }

  private takeOff(state: PodState): void {
    const entry = this.nodes.get(state.nodeName);
    if (entry === undefined) return;
    removePod(entry.info, state.pod);
    if (!entry.hasNode && entry.info.pods.length === 0) this.nodes.delete(state.nodeName);
    this.touch(state.nodeName);
  }

  /** The entry for a node, made with a stand-in Node if only its pods are known so far. */
  private entryFor(name: string): NodeEntry {
    let entry = this.nodes.get(name);
    if (entry === undefined) {
      entry = { info: nodeInfoFor({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {} }), hasNode: false, generation: 0 };
      this.nodes.set(name, entry);
    }
    return entry;
  }

  private touch(name: string): void {
    const entry = this.nodes.get(name);
    if (entry !== undefined) entry.generation = ++this.generation;
    this.dirty.add(name);
  }
}

/** A copy of a NodeInfo that later changes to the original do not reach (NodeInfo.Snapshot()). */
export function cloneNodeInfo(info: NodeInfo): NodeInfo {
  const copy = (r: NodeInfo['requested']) => (Object.assign({}, r, { scalar: { ...r.scalar } }));
  return {
    node: info.node,
    pods: [...info.pods],
    podsWithRequiredAntiAffinity: [...info.podsWithRequiredAntiAffinity],
    requested: copy(info.requested),
    nonZeroRequested: copy(info.nonZeroRequested),
    allocatable: info.allocatable,
    usedPorts: new Set(info.usedPorts),
    imageSizes: info.imageSizes,
  };
}
