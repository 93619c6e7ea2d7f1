import type { CriError } from './cri-error';

/**
 * The Container Runtime Interface (k8s.io/cri-api, pkg/apis/runtime/v1/api.proto, 1.32) as
 * plain TypeScript data: what the kubelet sends a container runtime, and what it answers.
 * Field names are the proto's, in camelCase; only the fields the lab uses are here.
 *
 *   const config: PodSandboxConfig = {
 *     metadata: { name: 'web', namespace: 'default', uid: 'a1b2', attempt: 0 },
 *     hostname: 'web', logDirectory: '/var/log/pods/default_web_a1b2',
 *     linux: { cgroupParent: '/kubepods/besteffort/poda1b2' },
 *   };
 *   runtime.runPodSandbox({ config }, (err, res) => res!.podSandboxId);   // => '3f2a9c...' (64 hex digits)
 *
 * Every call answers through a callback, later in virtual time: err-first, like Node's, with
 * a CriError (a gRPC code and containerd's text) or undefined and the response.
 *
 * Times: CRI counts int64 nanoseconds since 1970; a JavaScript number cannot hold those
 * exactly, so here createdAt, startedAt, finishedAt and timestamp are VIRTUAL MILLISECONDS
 * (sim.now()). A time the proto leaves 0 ("not specified") is left out here.
 */
export type CriCallback<T> = (err: CriError | undefined, res?: T) => void;

/** How a pod's container shares a Linux namespace: with the pod (its sandbox), alone, with the node, or with another container. */
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';

export interface NamespaceOption {
  /** Default POD; NODE for hostNetwork pods. */
  network?: NamespaceMode;
  /** Default POD in CRI, but the kubelet sends CONTAINER unless the pod sets shareProcessNamespace. */
  pid?: NamespaceMode;
  /** Default POD; NODE for hostIPC pods. */
  ipc?: NamespaceMode;
  targetId?: string;
}

export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt: number;
}

export interface LinuxPodSandboxConfig {
  /** The pod's cgroup, cgroupfs style: /kubepods/burstable/pod<uid> (see qos-class.ts). */
  cgroupParent?: string;
  securityContext?: { namespaceOptions?: NamespaceOption };
}

/** CRI's DNSConfig: what the runtime writes into the sandbox's resolv.conf. */
export interface DnsConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  /** The pod's DNS settings as the kubelet formed them (dns/resolv-conf.ts); containers see them as /etc/resolv.conf. */
  dnsConfig?: DnsConfig;
  /** The pod's hostname (its UTS namespace); empty only with network NODE. */
  hostname?: string;
  /** Where container logs go on the host: /var/log/pods/<namespace>_<name>_<uid>. */
  logDirectory?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  linux?: LinuxPodSandboxConfig;
}

export interface ImageSpec {
  /** A reference ('nginx:1.27', 'docker.io/library/nginx:1.27') or an image ID ('sha256:...'). */
  image: string;
  /** The image as the pod spec names it (set by the kubelet in CreateContainer). */
  userSpecifiedImage?: string;
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
}

/** A container's cgroup settings, as the kubelet computes them (linux-resources.ts). 0 = not specified. */
export interface LinuxContainerResources {
  /** CFS period in microseconds: 100000 (100 ms). */
  cpuPeriod: number;
  /** CFS quota in microseconds per period; 0 = no CPU limit. */
  cpuQuota: number;
  /** Relative CPU weight: milliCPU * 1024 / 1000, at least 2. */
  cpuShares: number;
  /** 0 = no memory limit. */
  memoryLimitInBytes: number;
}

export interface ContainerMetadata {
  name: string;
  attempt: number;
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  /** The entrypoint (a pod's `command`); the image's own when left out. */
  command?: string[];
  /** The arguments (a pod's `args`); the image's CMD when both are left out. */
  args?: string[];
  workingDir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Relative to the sandbox's logDirectory: '<container>/<attempt>.log'. */
  logPath?: string;
  linux?: { resources?: LinuxContainerResources; securityContext?: { namespaceOptions?: NamespaceOption } };
}

export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

/** Why a container is EXITED: containerd's reasons (helpers.go). */
export type ExitReason = 'Completed' | 'Error' | 'OOMKilled' | 'StartError';

export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: number;
  /** The pod IP from CNI; '' once the sandbox is stopped, and for network NODE (the kubelet uses the node's IP). */
  network: { ip: string };
  linux: { namespaces: { options: NamespaceOption } };
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  image: ImageSpec;
  /** The image ID: 'sha256:...'. */
  imageRef: string;
  state: ContainerState;
  createdAt: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** Set once the container has EXITED: 0, 1, 137 (SIGKILL), 128 (could not start) ... */
  exitCode?: number;
  /** The image's first tag, as containerd reports it: 'docker.io/library/nginx:1.27'. */
  image: ImageSpec;
  /** The image's digest reference: 'docker.io/library/nginx@sha256:...' (the pod's imageID). */
  imageRef: string;
  reason?: ExitReason;
  message?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  mounts: Mount[];
  /** Full path of the log file on the host ('' if the config gave none). */
  logPath: string;
  resources: { linux: LinuxContainerResources };
}

export interface Image {
  /** 'sha256:<64 hex>' */
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  /** Exempt from the kubelet's image garbage collection (containerd pins its sandbox image). */
  pinned: boolean;
}

export interface FilesystemUsage {
  timestamp: number;
  fsId: { mountpoint: string };
  /** Bytes used on this filesystem: for ImageFsInfo the images and the containers' writable layers, for a container's writable layer its files. */
  usedBytes: number;
}

/**
 * ListPodSandboxStats: each ready sandbox's cgroup counters, the pod's and each running
 * container's (times are virtual ms; CRI sends nanoseconds since the epoch).
 */
export interface CpuUsage {
  timestamp: number;
  usageCoreNanoSeconds: number;
  usageNanoCores: number;
}

export interface MemoryUsage {
  timestamp: number;
  workingSetBytes: number;
  usageBytes: number;
}

export interface ContainerStats {
  attributes: { id: string; metadata: ContainerMetadata; labels: Record<string, string> };
  cpu: CpuUsage;
  memory: MemoryUsage;
  /** What its processes wrote outside the volumes (its snapshot's upper directory). */
  writableLayer: FilesystemUsage;
  /** When the container started (cAdvisor's creation time of its cgroup). */
  startedAt: number;
}

export interface PodSandboxStats {
  attributes: { id: string; metadata: PodSandboxMetadata; labels: Record<string, string> };
  /** The pod's cgroup: its containers and its pause container. */
  linux: { cpu: CpuUsage; memory: MemoryUsage; containers: ContainerStats[] };
}

export interface VersionResponse {
  /** The kubelet API version containerd still reports: '0.1.0'. */
  version: string;
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
}

export interface ExecSyncResponse {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface PodSandboxFilter {
  id?: string;
  state?: PodSandboxState;
  labelSelector?: Record<string, string>;
}

export interface ContainerFilter {
  id?: string;
  state?: ContainerState;
  podSandboxId?: string;
  labelSelector?: Record<string, string>;
}

/** The RuntimeService of CRI: sandboxes and containers. */
export interface RuntimeService {
  version(req: { version?: string }, done: CriCallback<VersionResponse>): void;
  runPodSandbox(req: { config: PodSandboxConfig; runtimeHandler?: string }, done: CriCallback<{ podSandboxId: string }>): void;
  stopPodSandbox(req: { podSandboxId: string }, done: CriCallback<Record<string, never>>): void;
  removePodSandbox(req: { podSandboxId: string }, done: CriCallback<Record<string, never>>): void;
  podSandboxStatus(req: { podSandboxId: string }, done: CriCallback<{ status: PodSandboxStatus }>): void;
  listPodSandbox(req: { filter?: PodSandboxFilter }, done: CriCallback<{ items: PodSandbox[] }>): void;
  createContainer(req: { podSandboxId: string; config: ContainerConfig; sandboxConfig: PodSandboxConfig }, done: CriCallback<{ containerId: string }>): void;
  startContainer(req: { containerId: string }, done: CriCallback<Record<string, never>>): void;
  /** timeout: seconds between the stop signal and SIGKILL; 0 kills at once. */
  stopContainer(req: { containerId: string; timeout: number }, done: CriCallback<Record<string, never>>): void;
  removeContainer(req: { containerId: string }, done: CriCallback<Record<string, never>>): void;
  containerStatus(req: { containerId: string }, done: CriCallback<{ status: ContainerStatus }>): void;
  listContainers(req: { filter?: ContainerFilter }, done: CriCallback<{ containers: Container[] }>): void;
  /** timeout: seconds; 0 = no limit. */
  execSync(req: { containerId: string; cmd: string[]; timeout?: number }, done: CriCallback<ExecSyncResponse>): void;
  /** The usage of every ready sandbox and of its running containers. */
  listPodSandboxStats(req: Record<string, never>, done: CriCallback<{ stats: PodSandboxStats[] }>): void;
}

/** The ImageService of CRI: the node's images. */
export interface ImageService {
  /** containerd ignores the proto's filter: every image. */
  listImages(req: Record<string, never>, done: CriCallback<{ images: Image[] }>): void;
  /** Answers `{}` (no error) for an image the node does not have. */
  imageStatus(req: { image: ImageSpec }, done: CriCallback<{ image?: Image }>): void;
  pullImage(req: { image: ImageSpec; sandboxConfig?: PodSandboxConfig }, done: CriCallback<{ imageRef: string }>): void;
  removeImage(req: { image: ImageSpec }, done: CriCallback<Record<string, never>>): void;
  imageFsInfo(req: Record<string, never>, done: CriCallback<{ imageFilesystems: FilesystemUsage[] }>): void;
}

/** The pod a sandbox runs, as '<namespace>/<name>' (what the trace tags a runtime's lines with). */
export function podKey(config: PodSandboxConfig): string {
  return `${config.metadata.namespace}/${config.metadata.name}`;
}
