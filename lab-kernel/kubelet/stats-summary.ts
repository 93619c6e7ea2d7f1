import { parseQuantity, value } from '../api/quantity';
import type { CPUStats, FsStats, MemoryStats, PodStats, Summary } from '../api/stats-summary';
import type { VolumeUsage } from './volumes/volume-manager';
import { timestamp } from '../api/time';
import type { CpuUsage, MemoryUsage, PodSandboxStats } from '../runtime/cri';
import { usageAt, usageSpread } from '../runtime/container-usage';

/**
 * The kubelet's Summary API (GET /stats/summary): the node's usage and each pod's, put
 * together from what the runtime reports (CRI ListPodSandboxStats: each pod's cgroup and its
 * running containers) and from the node itself (its capacity, its image filesystem).
 *
 *   summarize({ nodeName: 'node-1', nodeStartMs: 0, nowMs: 60_000, memoryCapacityBytes: 8 Gi,
 *               sandboxes, podStartTimes, removedCpuCoreNanoSeconds: 0,
 *               disk: { capacityBytes: 20 Gi, imageFsUsedBytes: 72_515_660, otherUsedBytes: 4_096 }, podDisk })
 *   // => { node: { nodeName: 'node-1', cpu: { usageNanoCores: 26_012_337, ... },
 *   //              memory: { workingSetBytes: 373_407_744, availableBytes: 8_216_457_216, ... }, fs, runtime: { imageFs } },
 *   //      pods: [{ podRef: { name: 'web', namespace: 'default', uid }, containers: [{ name: 'nginx', ... }], cpu, memory }] }
 *
 * The node's numbers are its root cgroup's: the pods' plus what runs outside them (the
 * kubelet, containerd, systemd and the kernel: about 25m of CPU and 350 MiB, spread by node),
 * and the CPU time of containers already removed. memory.availableBytes is the capacity less
 * the working set, as the kubelet's eviction manager reads it. The kubelet on a real node
 * reads its node and pod cgroups through cAdvisor and its containers through CRI (1.32,
 * PodAndContainerStatsFromCRI off); here all of it comes from the runtime's model.
 *
 * The image filesystem is also the node's root filesystem (node.fs), as on a kubeadm node
 * where /var/lib/containerd sits on the root disk: one disk, so both report the same available
 * bytes. The image filesystem uses what containerd reports (images and writable layers), the
 * node's filesystem that plus the log files and the files the kubelet keeps (volumes). Each
 * pod lists its volumes and its ephemeral storage: the containers' writable layers (rootfs) and
 * logs, and its volumes but hostPath (calcEphemeralStorage).
 */
export interface SummaryInput {
  nodeName: string;
  /** When the node booted (its root cgroup's start). */
  nodeStartMs: number;
  nowMs: number;
  memoryCapacityBytes: number;
  sandboxes: readonly PodSandboxStats[];
  /** status.startTime of each pod the kubelet knows, by uid. */
  podStartTimes: ReadonlyMap<string, string>;
  removedCpuCoreNanoSeconds: number;
  disk: { capacityBytes: number; imageFsUsedBytes: number; otherUsedBytes: number };
  /** What a pod's containers' log directories and its volumes take on the node's disk. */
  podDisk: (pod: { namespace: string; name: string; uid: string }) => { logs: (container: string) => number; volumes: readonly VolumeUsage[] };
}

/** What runs outside the pods: the kubelet, containerd, systemd, the kernel. */
const SYSTEM_NANOCORES = 25_000_000;
const SYSTEM_BYTES = 350 * 1024 * 1024;

/** The node's memory capacity in bytes, from its status' quantity ('8Gi' => 8_589_934_592). */
export function capacityBytes(quantity: string): number {
  return value(parseQuantity(quantity));
}

export function summarize(input: SummaryInput): Summary {
  const time = timestamp(input.nowMs);
  const spread = usageSpread(input.nodeName);
  const system = usageAt(
    { nanoCores: Math.round(SYSTEM_NANOCORES * spread), workingSetBytes: Math.round((SYSTEM_BYTES * spread) / 4096) * 4096 },
    { startedAtMs: input.nodeStartMs, nowMs: input.nowMs },
  );
  const { capacityBytes: capacity, imageFsUsedBytes, otherUsedBytes } = input.disk;
  const available = Math.max(0, capacity - imageFsUsedBytes - otherUsedBytes);
  const fsStats = (usedBytes: number): FsStats => ({ time, availableBytes: available, capacityBytes: capacity, usedBytes });
  const pods = input.sandboxes.map((s) => podStats(s, input.podStartTimes, input.podDisk(s.attributes.metadata), fsStats));
  const sum = (f: (s: PodSandboxStats) => number) => input.sandboxes.reduce((total, s) => total + f(s), 0);
  const workingSet = system.workingSetBytes + sum((s) => s.linux.memory.workingSetBytes);
  return {
    node: {
      nodeName: input.nodeName,
      startTime: timestamp(input.nodeStartMs),
      cpu: {
        time,
        usageNanoCores: system.usageNanoCores + sum((s) => s.linux.cpu.usageNanoCores),
        usageCoreNanoSeconds: system.usageCoreNanoSeconds + input.removedCpuCoreNanoSeconds + sum((s) => s.linux.cpu.usageCoreNanoSeconds),
      },
      memory: { time, availableBytes: Math.max(0, input.memoryCapacityBytes - workingSet), usageBytes: workingSet, workingSetBytes: workingSet },
      fs: fsStats(imageFsUsedBytes + otherUsedBytes),
      runtime: { imageFs: fsStats(imageFsUsedBytes) },
    },
    pods,
  };
}

function podStats(
  s: PodSandboxStats,
  startTimes: ReadonlyMap<string, string>,
  disk: ReturnType<SummaryInput['podDisk']>,
  fsStats: (usedBytes: number) => FsStats,
): PodStats {
  const { name, namespace, uid } = s.attributes.metadata;
  const containers = s.linux.containers.map((c) => ({
    name: c.attributes.metadata.name,
    startTime: timestamp(c.startedAt),
    cpu: cpuStats(c.cpu),
    memory: memoryStats(c.memory),
    rootfs: fsStats(c.writableLayer.usedBytes),
    logs: fsStats(disk.logs(c.attributes.metadata.name)),
  }));
  const ephemeral = containers.reduce((sum, c) => sum + c.rootfs.usedBytes + c.logs.usedBytes, 0)
    + disk.volumes.reduce((sum, v) => sum + (v.ephemeral ? v.usedBytes : 0), 0);
  const earliest = Math.min(...s.linux.containers.map((c) => c.startedAt), s.linux.cpu.timestamp);
  return {
    podRef: { name, namespace, uid },
    startTime: startTimes.get(uid) ?? timestamp(earliest),
    containers,
    cpu: cpuStats(s.linux.cpu),
    memory: memoryStats(s.linux.memory),
    volume: disk.volumes.map((v) => ({ name: v.name, ...fsStats(v.usedBytes) })),
    'ephemeral-storage': fsStats(ephemeral),
  };
}

function cpuStats(u: CpuUsage): CPUStats {
  return { time: timestamp(u.timestamp), usageNanoCores: u.usageNanoCores, usageCoreNanoSeconds: u.usageCoreNanoSeconds };
}

function memoryStats(u: MemoryUsage): MemoryStats {
  return { time: timestamp(u.timestamp), usageBytes: u.usageBytes, workingSetBytes: u.workingSetBytes };
}
