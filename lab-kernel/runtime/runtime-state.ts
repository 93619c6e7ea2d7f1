import type { DnsSearchFn } from '../dns/dns-search-contract';
import type { NetNamespace } from '../net/namespace';
import type { Rng } from '../sim/rng';
import type { Simulation } from '../sim/simulation';
import type { CniPlugin, CniResult, NetworkConfigList } from './cni';
import { netnsName } from './cni-bridge';
import { podKey, type Container, type ContainerConfig, type ContainerState, type ExitReason, type LinuxContainerResources, type PodSandbox, type PodSandboxConfig, type PodSandboxState } from './cri';
import type { LogFiles } from './container-log';
import { mountedPath } from './container-mounts';
import type { HostFs } from './host-fs';
import { httpFrom, type HttpClient, type NodeNetwork } from './node-network';
import type { FileTable } from './file-table';
import type { Images, StoredImage } from './image-service';
import type { CpuLoad } from './resource-consumer';
import type { ShellContext } from './shell';
import { dnsFrom, type DnsClient } from './shell-dns';
import type { NetClients } from './shell-network';
import { pingFrom, type PingClient } from './shell-ping';
import type { Signal, Task } from './task';
import { LabelledRecords } from './labelled-records';

/**
 * The labels or annotations of an object created without any. The runtime keeps each sandbox's
 * and container's config frozen (deep-freeze.ts) and its answers share those parts rather than
 * copy them: a caller that writes to one fails loudly, as it could not change containerd's.
 */
export const NO_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * What the simulated containerd of one node holds: its sandboxes and containers (as its CRI
 * plugin's stores do), the names they reserve, and the node's counters for IDs, PIDs and
 * namespaces. The services (sandbox-service.ts, container-service.ts) read and change it.
 *
 *   state.newId()         // => '9d0c4e...' (64 hex digits from the node's seeded stream)
 *   state.newNamespace()  // => 4026532201 (the inode number `ls -l /proc/<pid>/ns` shows)
 *   state.containerState(record)  // => 'CONTAINER_RUNNING' (from its times, as containerd derives it)
 */
export interface NamespaceIds {
  net: number;
  ipc: number;
  uts: number;
  pid: number;
  mnt: number;
}

/** The node's own namespaces (typical numbers of a 5.x kernel), for NODE mode: hostNetwork, hostIPC, hostPID. */
const RESOLV_CONF = '/etc/resolv.conf';

/** Where containerd keeps a sandbox's resolv.conf, which every container of the pod sees as /etc/resolv.conf. */
export function sandboxResolvConf(id: string): string {
  return `/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/${id}/resolv.conf`;
}

export const HOST_NAMESPACES: NamespaceIds = { net: 4026531840, ipc: 4026531839, uts: 4026531838, pid: 4026531836, mnt: 4026531841 };

export interface SandboxRecord {
  id: string;
  /** containerd's name: <pod>_<namespace>_<uid>_<attempt>. */
  name: string;
  config: PodSandboxConfig;
  state: PodSandboxState;
  createdAt: number;
  /** The pod IP; '' with network NODE or once stopped. */
  ip: string;
  /** /var/run/netns/cni-<uuid>; '' with network NODE or once stopped. */
  netnsPath: string;
  cni?: CniResult;
  namespaces: NamespaceIds;
  /** The pause container's process. */
  pause: Task;
  cgroupPath: string;
  /** The ListPodSandbox entry last made of it, frozen, for as long as its state stays the same. */
  listed?: Readonly<PodSandbox>;
}

export interface ContainerRecord {
  id: string;
  /** containerd's name: <container>_<pod>_<namespace>_<uid>_<attempt>. */
  name: string;
  sandboxId: string;
  config: ContainerConfig;
  image: StoredImage;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  reason?: ExitReason;
  message?: string;
  task?: Task;
  /** Full path of its log file; '' when the kubelet gave none. */
  logPath: string;
  resources: LinuxContainerResources;
  namespaces: NamespaceIds;
  cgroupPath: string;
  stopSignal: Signal;
  /** Set once a StopContainer with a timeout has sent the stop signal: another StopContainer does not send it again. */
  stopSignalSent?: boolean;
  /** Its writable layer: the files its processes wrote, by path (an image's own files are not modelled). */
  files: FileTable;
  /** The CPU its program was asked to burn, on top of its steady use (resource-consumer.ts); absent for other images. */
  cpuLoads?: CpuLoad[];
  /** The ListContainers entry last made of it, frozen, for as long as its state stays the same. */
  listed?: Readonly<Container>;
}

export interface RuntimeStateOptions {
  sim: Simulation;
  node: string;
  rng: Rng;
  /** The C library's resolver search (exercise dns-search), for the names containers look up. */
  dnsSearch: DnsSearchFn;
  images: Images;
  /** The CNI network list (as it is when a plugin runs: it throws the plugin's error when there is none yet) and its plugins, and the node on the packet network. */
  network: { list: () => NetworkConfigList; plugins: CniPlugin[]; node: NodeNetwork };
  logs: LogFiles;
  /** The node's filesystem, where the containers' CRI mounts lead. */
  hostFs: HostFs;
}

export class RuntimeState {
  readonly sim: Simulation;
  readonly node: string;
  /** The trace's actor: containerd/<node>. */
  readonly actor: string;
  readonly rng: Rng;
  readonly dnsSearch: DnsSearchFn;
  readonly images: Images;
  readonly network: RuntimeStateOptions['network'];
  readonly logs: LogFiles;
  readonly hostFs: HostFs;
  readonly sandboxes = new LabelledRecords<SandboxRecord>((s) => s.config.labels);
  readonly containers = new LabelledRecords<ContainerRecord>((c) => c.config.labels);
  /** Reserved names and the ID holding each, until RemovePodSandbox / RemoveContainer. */
  readonly names = new Map<string, string>();
  /** CPU time (core-nanoseconds) of the containers already removed: the node's cgroup still counts it. */
  removedCpuCoreNanoSeconds = 0;
  private pid = 4200;
  private namespace = 4026532160;

  constructor(options: RuntimeStateOptions) {
    this.sim = options.sim;
    this.node = options.node;
    this.actor = `containerd/${options.node}`;
    this.rng = options.rng;
    this.dnsSearch = options.dnsSearch;
    this.images = options.images;
    this.network = options.network;
    this.logs = options.logs;
    this.hostFs = options.hostFs;
  }

  /** A random 64-hex-digit ID, as containerd's util.GenerateID. */
  newId(): string {
    let id = '';
    for (let i = 0; i < 8; i++) id += this.rng.nextUint32().toString(16).padStart(8, '0');
    return id;
  }

  newPid(): number {
    this.pid += this.rng.between(1, 40);
    return this.pid;
  }

  newNamespace(): number {
    this.namespace += this.rng.between(1, 8);
    return this.namespace;
  }

  containerState(c: ContainerRecord): ContainerState {
    if (c.finishedAt !== undefined) return 'CONTAINER_EXITED';
    return c.startedAt !== undefined ? 'CONTAINER_RUNNING' : 'CONTAINER_CREATED';
  }

  containersOf(sandboxId: string): ContainerRecord[] {
    return [...this.containers.values()].filter((c) => c.sandboxId === sandboxId);
  }

  /** The sandbox's network namespace on the packet network: its own, or the node's with hostNetwork; undefined once stopped. */
  podNamespace(sandbox: SandboxRecord): NetNamespace | undefined {
    if (sandbox.config.linux?.securityContext?.namespaceOptions?.network === 'NODE') return this.network.node.host;
    return sandbox.netnsPath === '' ? undefined : this.network.node.net.namespaces.get(netnsName(sandbox.netnsPath));
  }

  /** HTTP from the sandbox's network namespace (wget in its containers); a stopped one has no network. */
  httpFrom(sandbox: SandboxRecord): HttpClient {
    const ns = this.podNamespace(sandbox);
    return ns === undefined ? (_ip, _port, _req, _t, done) => done('ENETUNREACH') : httpFrom(this.network.node.net, ns);
  }

  /**
   * What a program of container `c` sees: the pod's hostname, its environment, its files, its
   * network namespace (`ip`; wget's and ping's answers come from the network: shell-network.ts).
   *   runCommand(['cat', '/tmp/healthy'], state.shellContext(c, 'web', {}))  // => exit 0 once c's process touched it
   */
  shellContext(c: ContainerRecord, hostname: string, env: Record<string, string>): ShellContext {
    const network = () => {
      const ns = this.podNamespace(this.sandboxes.get(c.sandboxId)!);
      return ns === undefined ? undefined : { ns, net: this.network.node.net };
    };
    return { env, hostname, startedAtMs: this.sim.now(), readFile: (path) => this.readFile(c, path), network, dnsSearch: this.dnsSearch };
  }

  /** The clients a command in the sandbox's containers sends with (shell-network.ts): wget's HTTP, ping's echoes, DNS queries. */
  netClients(sandbox: SandboxRecord): NetClients {
    return { http: this.httpFrom(sandbox), ping: this.pingFrom(sandbox), dns: this.dnsFrom(sandbox) };
  }

  /** ICMP echoes from the sandbox's network namespace (ping in its containers); a stopped one has no network. */
  pingFrom(sandbox: SandboxRecord): PingClient {
    const ns = this.podNamespace(sandbox);
    return ns === undefined ? (_dst, _t, done) => done({ sendto: 'Network is unreachable' }) : pingFrom(this.network.node.net, ns);
  }

  /** DNS queries from the sandbox's network namespace (name lookups in its containers); a stopped one gets no replies. */
  dnsFrom(sandbox: SandboxRecord): DnsClient {
    const ns = this.podNamespace(sandbox);
    return ns === undefined ? (r, done) => done(r.dns.map(() => undefined)) : dnsFrom(this.network.node.net, ns);
  }

  /**
   * A file as container `c` sees it: under a mount, the node's file behind it; /etc/resolv.conf,
   * the sandbox's (containerd mounts it into every container of the pod); else its own layer's.
   */
  readFile(c: ContainerRecord, path: string): string | undefined {
    const mounted = mountedPath(c.config.mounts, path);
    if (mounted !== undefined) return this.hostFs.read(mounted.hostPath);
    if (path === RESOLV_CONF) return this.hostFs.read(sandboxResolvConf(c.sandboxId)) ?? c.files.get(path);
    return c.files.get(path);
  }

  /**
   * A file container `c` writes ('' for an empty one) or removes (undefined): under a mount, on
   * the node (a read-only mount keeps its files: the write fails, EROFS, which the lab's shell
   * does not print); else in its own layer. `bytes` is its size when that is not its text's (dd).
   */
  writeFile(c: ContainerRecord, path: string, content: string | undefined, bytes?: number): void {
    const mounted = mountedPath(c.config.mounts, path);
    if (mounted?.readonly) return;
    if (mounted !== undefined) return this.hostFs.write(mounted.hostPath, content, bytes);
    if (content === undefined) c.files.delete(path);
    else c.files.set(path, content, bytes);
  }

  /** What the containers' writable layers take on the image filesystem (containerd's snapshots). */
  writableLayersBytes(): number {
    let sum = 0;
    for (const c of this.containers.values()) sum += c.files.usedBytes();
    return sum;
  }

  /**
   * A line in the trace about a sandbox or a container (data.sandbox or data.container, its ID),
   * tagged with the pod it belongs to (data.pod, '<namespace>/<name>') so a story can follow one pod.
   */
  action(summary: string, data?: Record<string, string | number | boolean>): void {
    const pod = data?.pod ?? this.podOf(data);
    this.sim.trace.action(this.sim.now(), this.actor, summary, pod === undefined ? data : Object.assign({}, data, { pod }));
  }

  private podOf(data: Record<string, string | number | boolean> | undefined): string | undefined {
    const sandboxId = typeof data?.sandbox === 'string' ? data.sandbox : typeof data?.container === 'string' ? this.containers.get(data.container)?.sandboxId : undefined;
    const sandbox = sandboxId === undefined ? undefined : this.sandboxes.get(sandboxId);
    return sandbox === undefined ? undefined : podKey(sandbox.config);
  }
}

/** The first 13 hex digits, as crictl shows an ID. */
export function shortId(id: string): string {
  return id.slice(0, 13);
}
