import { answerAfter } from './cri-call';
import { IMAGE_FS_MOUNTPOINT } from './image-service';
import type { ContainerStats, CpuUsage, CriCallback, MemoryUsage, PodSandboxStats } from './cri';
import { usageAt, usageRate, usageWithLoads, type Usage } from './container-usage';
import type { ContainerRecord, RuntimeState, SandboxRecord } from './runtime-state';

/**
 * CRI ListPodSandboxStats, as containerd answers it from each pod's cgroups: for every ready
 * sandbox, the pod's CPU and memory (its containers and its pause container) and each running
 * container's, read now from the usage model (container-usage.ts). Nothing is sampled in
 * between: a read works the numbers out from start times and rates.
 *
 *   listPodSandboxStats(state, {}, (err, res) => res.stats)
 *   // => [{ attributes: { id, metadata: { name: 'web', namespace: 'default', uid, attempt: 0 } },
 *   //       linux: { cpu: { usageNanoCores: 1_020_311, usageCoreNanoSeconds: ... }, memory: { workingSetBytes: ... },
 *   //                containers: [{ attributes: { metadata: { name: 'nginx' } }, cpu, memory, startedAt }] } }]
 *
 * A container that has exited counts no more CPU or memory, but the pod's cumulative CPU
 * keeps what it used, as the pod's cgroup does; so does the node's (removedCpu) once the
 * container is removed.
 */
export function listPodSandboxStats(state: RuntimeState, _req: Record<string, never>, done: CriCallback<{ stats: PodSandboxStats[] }>): void {
  answerAfter(state.sim, 1, done, () => {
    const now = state.sim.now();
    const stats = [...state.sandboxes.values()].filter((s) => s.state === 'SANDBOX_READY').map((s) => sandboxStats(state, s, now));
    return { stats };
  });
}

function sandboxStats(state: RuntimeState, s: SandboxRecord, now: number): PodSandboxStats {
  const held = state.containersOf(s.id).filter((c) => c.startedAt !== undefined);
  const pause = usageAt(pauseRate(s), { startedAtMs: s.createdAt, nowMs: now });
  const usages = held.map((c) => ({ c, usage: containerUsage(c, now) }));
  const pod = usages.reduce((sum, { usage }) => addUsage(sum, usage), pause);
  const containers: ContainerStats[] = usages
    .filter(({ c }) => state.containerState(c) === 'CONTAINER_RUNNING')
    .map(({ c, usage }) => ({
      attributes: { id: c.id, metadata: { ...c.config.metadata }, labels: { ...c.config.labels } },
      ...cgroupUsage(usage, now),
      writableLayer: { timestamp: now, fsId: { mountpoint: IMAGE_FS_MOUNTPOINT }, usedBytes: c.files.usedBytes() },
      startedAt: c.startedAt!,
    }));
  return {
    attributes: { id: s.id, metadata: { ...s.config.metadata }, labels: { ...s.config.labels } },
    linux: Object.assign({}, cgroupUsage(pod, now), { containers }),
  };
}

/** A container's usage now (it has started). */
export function containerUsage(c: ContainerRecord, now: number): Usage {
  const rate = usageRate({ behaviour: c.image.registry.behaviour, plan: c.task!.plan, resources: c.resources, id: c.id });
  const times = { startedAtMs: c.startedAt!, nowMs: now, finishedAtMs: c.finishedAt };
  return c.cpuLoads === undefined ? usageAt(rate, times) : usageWithLoads(rate, c.cpuLoads, c.resources, times);
}

function pauseRate(s: SandboxRecord) {
  return usageRate({ behaviour: { kind: 'run-until-stopped', what: 'pause' }, plan: s.pause.plan, resources: { cpuQuota: 0, cpuPeriod: 100_000, memoryLimitInBytes: 0 }, id: s.id });
}

function addUsage(a: Usage, b: Usage): Usage {
  return {
    usageNanoCores: a.usageNanoCores + b.usageNanoCores,
    usageCoreNanoSeconds: a.usageCoreNanoSeconds + b.usageCoreNanoSeconds,
    workingSetBytes: a.workingSetBytes + b.workingSetBytes,
  };
}

/** Usage as a cgroup's counters: no page cache is modelled, so memory usage is the working set. */
function cgroupUsage(u: Usage, timestamp: number): { cpu: CpuUsage; memory: MemoryUsage } {
  return {
    cpu: { timestamp, usageCoreNanoSeconds: u.usageCoreNanoSeconds, usageNanoCores: u.usageNanoCores },
    memory: { timestamp, workingSetBytes: u.workingSetBytes, usageBytes: u.workingSetBytes },
  };
}
