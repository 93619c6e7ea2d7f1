import type { Status } from '../api/status';
import type { Node, Pod, ResourceList } from '../api/types';
import type { Client } from '../client/client';
import type { EventRecorder } from '../client/event-recorder';
import { Informer } from '../client/informer';
import type { Simulation } from '../sim/simulation';
import type { NodeImage } from './node-images';
import { NodeLease } from './node-lease';
import { NodeStatusReporter, type ConditionState } from './node-status';
import type { NodeNetwork } from '../runtime/node-network';

/**
 * The kubelet's node side: it registers the Node (retrying every second until the API server
 * takes it), then keeps the heartbeat Lease and the node status going, watches its own Node,
 * and calls back once registered so the pod side can start.
 *
 *   const agent = new NodeAgent(sim, client, { name: 'node-1', index: 1, controlPlane: false, network }, recorder);
 *   agent.start(() => pods.start());   // POST nodes node-1 => 201, then the lease and the status loop
 *   agent.hostIP                       // => '192.168.1.11' (its spec.podCIDR comes from the node IPAM controller)
 */
export interface NodeConfig {
  name: string;
  /** 0 for the first node; used for its addresses. */
  index: number;
  controlPlane: boolean;
  /** The size of the disk that holds the node's images (its image filesystem), in bytes; default 20 GiB (image-gc-manager.ts). */
  imageFsBytes?: number;
  /** The machine on the packet network (the composition root's): where the kubelet's runtime puts its pods. */
  network: NodeNetwork;
}

/** The InternalIP of the node with this index: nodeHostIP(1) => '192.168.1.11'. */
export function nodeHostIP(index: number): string {
  return `192.168.1.${10 + index}`;
}

/**
 * How the kubelet's events name its Node: no apiVersion, and the node's name as its uid.
 *   nodeReference('node-1')   // => { kind: 'Node', name: 'node-1', uid: 'node-1' }
 */
export function nodeReference(node: string): { kind: 'Node'; name: string; uid: string } {
  return { kind: 'Node', name: node, uid: node };
}

export const KUBELET_VERSION = 'v1.32.0';
/** What every node has (and, with no reservations, offers to pods). */
export const NODE_CAPACITY: Readonly<Record<'cpu' | 'memory' | 'pods', string>> = { cpu: '4', memory: '8Gi', pods: '110' };
const RUNTIME_VERSION = 'containerd://1.7.24';

export class NodeAgent {
  /** Its own Node, as the API server holds it (a watch on metadata.name=<node>). */
  readonly nodeInformer: Informer<Node>;
  readonly lease: NodeLease;
  readonly nodeStatus: NodeStatusReporter;
  private registered = false;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    readonly config: NodeConfig,
    private readonly recorder: EventRecorder,
    /** The extended resources the device manager reports (device-manager.ts): none on a node without device plugins. */
    private readonly extendedResources: () => { capacity: ResourceList; allocatable: ResourceList } = () => ({ capacity: {}, allocatable: {} }),
    /** Whether the eviction manager sees the node under memory or disk pressure now (eviction-manager.ts). */
    private readonly pressure: () => { memory: boolean; disk: boolean } = () => ({ memory: false, disk: false }),
    /** The images the status lists, from the image manager's cache (node-images.ts). */
    private readonly images: () => readonly NodeImage[] = () => [],
  ) {
    this.nodeInformer = new Informer<Node>(sim, client, { resource: 'nodes', fieldSelector: `metadata.name=${config.name}` });
    const observed = () => this.nodeInformer.lister.get(config.name);
    this.lease = new NodeLease(sim, client, { node: config.name, nodeUid: () => observed()?.metadata.uid });
    this.nodeStatus = new NodeStatusReporter(sim, client, { node: config.name, observed, compute: () => this.computeStatus() });
  }

  get hostIP(): string {
    return nodeHostIP(this.config.index);
  }

  isRegistered(): boolean {
    return this.registered;
  }

  /** 'Starting kubelet.', then registration; `onRegistered` once the API server holds the Node. */
  start(onRegistered: () => void): void {
    this.recorder.event(nodeReference(this.config.name), 'Normal', 'Starting', 'Starting kubelet.');
    this.register(onRegistered);
  }

  stop(): void {
    this.lease.stop();
    this.nodeStatus.stop();
    this.nodeInformer.stop();
  }

  /** A static pod's mirror: the manifest's pod, named after the node, for the API server to show. */
  postMirrorPod(mirror: Pod): void {
    this.client.request({ verb: 'create', resource: 'pods', namespace: mirror.metadata.namespace, body: mirror }, (res) => {
      if (res.code !== 201 && res.code !== 409) {
        this.sim.trace.error(this.sim.now(), this.client.component, `mirror pod ${mirror.metadata.name}: ${(res.body as Status).message}`);
      }
    });
  }

  private register(onRegistered: () => void): void {
    this.client.request({ verb: 'create', resource: 'nodes', body: this.nodeObject() }, (res) => {
      if (res.code !== 201 && res.code !== 409) {
        this.sim.trace.error(this.sim.now(), this.client.component, `register node failed: ${(res.body as Status).message}; retrying`);
        this.sim.after(1000, () => this.register(onRegistered));
        return;
      }
      this.registered = true;
      this.sim.trace.action(this.sim.now(), this.client.component, `registered node ${this.config.name}`);
      this.nodeInformer.start();
      this.lease.start();
      this.nodeStatus.start(this.sim.now());
      onRegistered();
    });
  }

  private nodeObject(): Node {
    const labels: Record<string, string> = { 'kubernetes.io/hostname': this.config.name, 'kubernetes.io/os': 'linux' };
    if (this.config.controlPlane) labels['node-role.kubernetes.io/control-plane'] = '';
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: this.config.name, labels },
      // No podCIDR: the node IPAM controller gives the Node one (the kubelet's --pod-cidr is for a standalone kubelet only).
      spec: this.config.controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {},
      status: this.nodeStatus.current(),
    };
  }

  /** The node's status as the kubelet's setters work it out now (conditions without their times). */
  private computeStatus() {
    const condition = (type: string, status: 'True' | 'False', reason: string, message: string): ConditionState => ({ type, status, reason, message });
    const devices = this.extendedResources();
    const pressure = this.pressure();
    const images = this.images();
    return {
      capacity: Object.assign({}, NODE_CAPACITY, devices.capacity),
      allocatable: Object.assign({}, NODE_CAPACITY, devices.allocatable),
      conditions: [
        pressure.memory
          ? condition('MemoryPressure', 'True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available')
          : condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        pressure.disk
          ? condition('DiskPressure', 'True', 'KubeletHasDiskPressure', 'kubelet has disk pressure')
          : condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [{ type: 'InternalIP', address: this.hostIP }, { type: 'Hostname', address: this.config.name }],
      nodeInfo: { kubeletVersion: KUBELET_VERSION, containerRuntimeVersion: RUNTIME_VERSION, osImage: 'kubelab simulated Linux' },
      ...(images.length > 0 ? { images: [...images] } : {}),
    };
  }
}
