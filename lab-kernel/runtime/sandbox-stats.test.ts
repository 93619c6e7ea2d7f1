import { describe, expect, it } from 'vitest';
import { containerConfig, node, ok, runPod, sandboxConfig } from './containerd.fixture';

describe('ListPodSandboxStats: each pod and its running containers, read from the usage model', () => {
  it("reports a pod's containers and the pod's own cgroup (containers and pause), cumulative CPU growing with time", () => {
    const { sim, runtime } = node();
    const { ids } = runPod(sim, runtime, sandboxConfig('web'), [containerConfig('nginx', 'nginx:1.27'), containerConfig('sleeper', 'busybox:1.36', { command: ['sleep', '3600'] })]);
    const first = ok(sim, runtime, 'listPodSandboxStats', {}).stats;
    sim.runFor(10_000);
    const [pod] = ok(sim, runtime, 'listPodSandboxStats', {}).stats;
    expect(first).toHaveLength(1);
    expect(pod.attributes.metadata).toEqual({ name: 'web', namespace: 'default', uid: 'uid-web', attempt: 0 });
    expect(pod.linux.containers.map((c) => [c.attributes.id, c.attributes.metadata.name])).toEqual([[ids[0], 'nginx'], [ids[1], 'sleeper']]);
    const [nginx, sleeper] = pod.linux.containers;
    // Ten more seconds at nginx's rate.
    const grown = nginx.cpu.usageCoreNanoSeconds - first[0].linux.containers[0].cpu.usageCoreNanoSeconds;
    expect(grown).toBeCloseTo(nginx.cpu.usageNanoCores * (nginx.cpu.timestamp - first[0].linux.containers[0].cpu.timestamp) / 1000, -1);
    expect(pod.linux.cpu.usageNanoCores).toBe(nginx.cpu.usageNanoCores + sleeper.cpu.usageNanoCores);
    expect(pod.linux.memory.workingSetBytes).toBeGreaterThan(nginx.memory.workingSetBytes + sleeper.memory.workingSetBytes);
  });

  it('drops a container that exited from the list, but the pod keeps the CPU time it used; the node keeps it once it is removed', () => {
    const { sim, runtime } = node();
    const { ids } = runPod(sim, runtime, sandboxConfig('pi'), [containerConfig('pi', 'perl:5.34.0')]);
    sim.runFor(12_000);
    const [pod] = ok(sim, runtime, 'listPodSandboxStats', {}).stats;
    expect(pod.linux.containers).toEqual([]);
    // perl computed for 10 s at one core.
    expect(pod.linux.cpu.usageCoreNanoSeconds).toBe(10_000_000_000);
    expect(pod.linux.cpu.usageNanoCores).toBe(0);
    ok(sim, runtime, 'removeContainer', { containerId: ids[0] });
    expect(runtime.removedCpuCoreNanoSeconds()).toBe(10_000_000_000);
  });

  it('leaves out a sandbox that was stopped', () => {
    const { sim, runtime } = node();
    const { sandboxId } = runPod(sim, runtime, sandboxConfig('web'), [containerConfig('nginx', 'nginx:1.27')]);
    ok(sim, runtime, 'stopPodSandbox', { podSandboxId: sandboxId });
    expect(ok(sim, runtime, 'listPodSandboxStats', {}).stats).toEqual([]);
  });
});
