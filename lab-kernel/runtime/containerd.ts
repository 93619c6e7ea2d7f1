import type { DnsSearchFn } from '../dns/dns-search-contract';
import type { PortForwardResult } from '../api/request';
import type { Simulation } from '../sim/simulation';
import { CniPluginError, type NetworkConfigList } from './cni';
import { BridgePlugin, CLUSTER_CIDR, CNI_NETWORK_NAME, flannelNetwork, type BridgeLinks } from './cni-bridge';
import type {
  Container, ContainerConfig, ContainerFilter, ContainerStatus, CriCallback, ExecSyncResponse, FilesystemUsage, Image, ImageService,
  ImageSpec, PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStats, PodSandboxStatus, RuntimeService, VersionResponse,
} from './cri';
import { answerAfter } from './cri-call';
import { LogFiles } from './container-log';
import * as containers from './container-service';
import type { HostLocalAllocateFn } from './host-local-contract';
import { HostLocalIpam, type Allocation } from './host-local-ipam';
import { Images } from './image-service';
import type { NodeNetwork } from './node-network';
import { portForward } from './port-forward';
import { RuntimeState } from './runtime-state';
import { runtimeTree, type RuntimeTree } from './runtime-tree';
import * as sandboxes from './sandbox-service';
import { listPodSandboxStats } from './sandbox-stats';
import { HostFs } from './host-fs';

/**
 * The simulated containerd 1.7 of one node: CRI's RuntimeService and ImageService, over
 * simulated OCI containers (namespaces, cgroups, processes) and a CNI bridge network on the
 * node's pod CIDR, built on the packet network (each sandbox a network namespace, each server
 * process a listening socket in it: container-listener.ts). Each call answers later in virtual time; what the runtime does by itself
 * (a pull done, a container exited, an OOM kill) is traced as an action of containerd/<node>.
 * CRI calls are traced by their caller, the kubelet.
 *
 *   const runtime = new Containerd(sim, { node: 'node-1', ipamAllocate, network, dnsSearch });   // network: its pods' subnet from network.podSubnet()
 *   runtime.pullImage({ image: { image: 'nginx:1.27' } }, (err, res) => ...);
 *   runtime.runPodSandbox({ config }, (err, res) => runtime.createContainer({ podSandboxId: res!.podSandboxId, config: c, sandboxConfig: config }, ...));
 *   runtime.tree()                 // => the node's pods, processes, namespaces and cgroups (runtime-tree.ts)
 *   runtime.readLog('/var/log/pods/default_web_a1b2/web/0.log')   // => ['2025-01-01T00:00:02.31Z stdout F ...']
 *
 * Its randomness (IDs, PIDs, latencies, pull jitter, MAC addresses) comes from the streams
 * containerd/<node> and containerd/<node>/cni: the same seed gives the same run.
 */
export const RUNTIME_NAME = 'containerd';
/** As packaged builds report it (the kubelet shows containerd://1.7.24); upstream's own binaries say v1.7.24. */
export const RUNTIME_VERSION = '1.7.24';

/** The flannel CNI plugin's error when flanneld has not written /run/flannel/subnet.env yet (its loadFlannelSubnetEnv). */
export const NO_SUBNET_ENV = 'plugin type="flannel" failed (add): failed to load flannel \'subnet.env\' file: open /run/flannel/subnet.env: no such file or directory. Check the flannel pod log for this node.';

export interface ContainerdOptions {
  node: string;
  /** The cluster's pod network, routed from every pod (default CLUSTER_CIDR, 10.244.0.0/16). */
  clusterCIDR?: string;
  /** The node's filesystem, shared with the kubelet and the CSI drivers: where CRI mounts lead. A fresh one if not given. */
  hostFs?: HostFs;
  /** host-local's address decision (exercise host-local-ipam), from the composition root. */
  ipamAllocate: HostLocalAllocateFn;
  /** The node on the packet network, where pods get their namespaces and veths (standaloneNodeNetwork: one with only this node on it). */
  network: NodeNetwork;
  /** The C library's resolver search, for the names containers look up (exercise dns-search), from the composition root. */
  dnsSearch: DnsSearchFn;
}

export class Containerd implements RuntimeService, ImageService {
  readonly node: string;
  private readonly clusterCIDR: string;
  /** The node on the packet network: its root namespace holds cni0, each pod's sandbox a namespace of its own. */
  readonly network: NodeNetwork;
  private readonly ipam: HostLocalIpam;
  private readonly bridge: BridgePlugin;
  private readonly logs = new LogFiles();
  private readonly images: Images;
  private readonly state: RuntimeState;

  constructor(
    private readonly sim: Simulation,
    options: ContainerdOptions,
  ) {
    this.node = options.node;
    const actor = `containerd/${options.node}`;
    this.images = new Images(sim, actor, sim.rng(`${actor}/images`));
    this.ipam = new HostLocalIpam(options.ipamAllocate);
    this.network = options.network;
    this.bridge = new BridgePlugin(this.ipam, sim.rng(`${actor}/cni`), this.network);
    this.clusterCIDR = options.clusterCIDR ?? CLUSTER_CIDR;
    this.state = new RuntimeState({
      sim, node: options.node, rng: sim.rng(actor), dnsSearch: options.dnsSearch, images: this.images, logs: this.logs, hostFs: options.hostFs ?? new HostFs(),
      network: { list: () => this.cniConfig, plugins: [this.bridge], node: this.network },
    });
  }

  /**
   * /etc/cni/net.d/10-flannel.conflist as the bridge plugin gets it: cni0 over host-local IPAM
   * on the node's subnet (flannel's subnet.env), no masquerading (flanneld's). Before flanneld
   * has the subnet, the flannel plugin's error, as every ADD meets it then.
   */
  get cniConfig(): NetworkConfigList {
    const subnet = this.network.podSubnet();
    if (subnet === undefined) throw new CniPluginError(NO_SUBNET_ENV);
    return flannelNetwork(subnet, this.clusterCIDR, this.network.mtu);
  }

  version(_req: { version?: string }, done: CriCallback<VersionResponse>): void {
    answerAfter(this.sim, 1, done, () => ({ version: '0.1.0', runtimeName: RUNTIME_NAME, runtimeVersion: RUNTIME_VERSION, runtimeApiVersion: 'v1' }));
  }

  runPodSandbox(req: { config: PodSandboxConfig }, done: CriCallback<{ podSandboxId: string }>): void {
    sandboxes.runPodSandbox(this.state, req, done);
  }

  stopPodSandbox(req: { podSandboxId: string }, done: CriCallback<Record<string, never>>): void {
    sandboxes.stopPodSandbox(this.state, req, done);
  }

  removePodSandbox(req: { podSandboxId: string }, done: CriCallback<Record<string, never>>): void {
    sandboxes.removePodSandbox(this.state, req, done);
  }

  podSandboxStatus(req: { podSandboxId: string }, done: CriCallback<{ status: PodSandboxStatus }>): void {
    sandboxes.podSandboxStatus(this.state, req, done);
  }

  listPodSandbox(req: { filter?: PodSandboxFilter }, done: CriCallback<{ items: PodSandbox[] }>): void {
    sandboxes.listPodSandbox(this.state, req, done);
  }

  createContainer(req: { podSandboxId: string; config: ContainerConfig; sandboxConfig: PodSandboxConfig }, done: CriCallback<{ containerId: string }>): void {
    containers.createContainer(this.state, req, done);
  }

  startContainer(req: { containerId: string }, done: CriCallback<Record<string, never>>): void {
    containers.startContainer(this.state, req, done);
  }

  stopContainer(req: { containerId: string; timeout: number }, done: CriCallback<Record<string, never>>): void {
    containers.stopContainer(this.state, req, done);
  }

  removeContainer(req: { containerId: string }, done: CriCallback<Record<string, never>>): void {
    containers.removeContainer(this.state, req, done);
  }

  containerStatus(req: { containerId: string }, done: CriCallback<{ status: ContainerStatus }>): void {
    containers.containerStatus(this.state, req, done);
  }

  listContainers(req: { filter?: ContainerFilter }, done: CriCallback<{ containers: Container[] }>): void {
    containers.listContainers(this.state, req, done);
  }

  execSync(req: { containerId: string; cmd: string[]; timeout?: number }, done: CriCallback<ExecSyncResponse>): void {
    containers.execSync(this.state, req, done);
  }

  /** PortForward: one connection to `port` in the sandbox's network namespace (port-forward.ts). */
  portForward(req: { podSandboxId: string; port: number }, done: CriCallback<PortForwardResult>): void {
    portForward(this.state, req, done);
  }

  listPodSandboxStats(req: Record<string, never>, done: CriCallback<{ stats: PodSandboxStats[] }>): void {
    listPodSandboxStats(this.state, req, done);
  }

  /** CPU time of the containers already removed, which the node's own cgroup still counts (cAdvisor reads it there). */
  removedCpuCoreNanoSeconds(): number {
    return this.state.removedCpuCoreNanoSeconds;
  }

  listImages(req: Record<string, never>, done: CriCallback<{ images: Image[] }>): void {
    this.images.listImages(req, done);
  }

  imageStatus(req: { image: ImageSpec }, done: CriCallback<{ image?: Image }>): void {
    this.images.imageStatus(req, done);
  }

  pullImage(req: { image: ImageSpec; sandboxConfig?: PodSandboxConfig }, done: CriCallback<{ imageRef: string }>): void {
    this.images.pullImage(req, done);
  }

  removeImage(req: { image: ImageSpec }, done: CriCallback<Record<string, never>>): void {
    this.images.removeImage(req, done);
  }

  /** ImageFsInfo: the snapshotter's filesystem holds the images and the containers' writable layers. */
  imageFsInfo(req: Record<string, never>, done: CriCallback<{ imageFilesystems: FilesystemUsage[] }>): void {
    this.images.imageFsInfo(req, (err, res) => {
      if (err !== undefined) return done(err);
      const layers = this.state.writableLayersBytes();
      done(undefined, { imageFilesystems: res!.imageFilesystems.map((f) => (Object.assign({}, f, { usedBytes: f.usedBytes + layers }))) });
    });
  }

  /** A container log file's lines (CRI format), by its full path; undefined if none was written. */
  readLog(path: string): string[] | undefined {
    return this.logs.read(path);
  }

  /** What the log files under a directory take on the node's disk (every log file's, without one). */
  logsUsedBytes(dir?: string): number {
    return this.logs.usedBytes(dir);
  }

  /** Deletes a container log file, as the kubelet does on the host when it removes the container (os.Remove). */
  removeLog(path: string): void {
    this.logs.remove(path);
  }

  /** The node's pods, processes, namespaces and cgroups, as plain data. */
  tree(): RuntimeTree {
    return runtimeTree(this.state);
  }

  /** The node's side of the pod network: the bridge and its veths. */
  links(): BridgeLinks {
    return this.bridge.links();
  }

  /** Which pod holds which address of the pod CIDR (host-local's records). */
  addresses(): Allocation[] {
    return this.ipam.allocations(CNI_NETWORK_NAME);
  }
}
