/**
 * The kubelet's Summary API (GET /stats/summary, stats/v1alpha1 in k8s.io/kubelet): the node's
 * and each pod's resource usage, as JSON with RFC 3339 times. The lab keeps the fields it
 * models; upstream has more (network, rlimit, swap, inodes, accelerators).
 *
 *   {
 *     node: { nodeName: 'node-1', startTime: '2025-01-01T00:00:00Z',
 *             cpu: { time, usageNanoCores: 31_220_112, usageCoreNanoSeconds: 1_873_206_720 },
 *             memory: { time, availableBytes, usageBytes, workingSetBytes },
 *             fs: { time, availableBytes, capacityBytes, usedBytes },
 *             runtime: { imageFs: { time, availableBytes, capacityBytes, usedBytes } } },
 *     pods: [{ podRef: { name: 'web', namespace: 'default', uid }, startTime,
 *              containers: [{ name: 'nginx', startTime, cpu, memory, rootfs, logs }], cpu, memory,
 *              volume: [{ name: 'cache', time, availableBytes, capacityBytes, usedBytes }],
 *              'ephemeral-storage': { time, availableBytes, capacityBytes, usedBytes } }]
 *   }
 */
export interface Summary {
  node: NodeStats;
  pods: PodStats[];
}

export interface CPUStats {
  time: string;
  usageNanoCores: number;
  usageCoreNanoSeconds: number;
}

export interface MemoryStats {
  time: string;
  availableBytes?: number;
  usageBytes: number;
  workingSetBytes: number;
}

export interface FsStats {
  time: string;
  availableBytes: number;
  capacityBytes: number;
  usedBytes: number;
}

export interface NodeStats {
  nodeName: string;
  startTime: string;
  cpu: CPUStats;
  memory: MemoryStats;
  fs: FsStats;
  runtime: { imageFs: FsStats };
}

export interface PodStats {
  podRef: { name: string; namespace: string; uid: string };
  startTime: string;
  containers: ContainerStats[];
  cpu: CPUStats;
  memory: MemoryStats;
  /** The pod's volumes on the node's disk (not its claims). */
  volume?: VolumeStats[];
  /** Its local ephemeral storage: the containers' writable layers and logs, and its ephemeral volumes. */
  'ephemeral-storage'?: FsStats;
}

export interface ContainerStats {
  name: string;
  startTime: string;
  cpu: CPUStats;
  memory: MemoryStats;
  /** Its writable layer, on the image filesystem. */
  rootfs?: FsStats;
  /** Its log files (every instance's), on the node's filesystem. */
  logs?: FsStats;
}

export interface VolumeStats extends FsStats {
  name: string;
}
