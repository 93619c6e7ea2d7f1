import { describe, expect, it } from 'vitest';
import { containerConfig, node, runPod, sandboxConfig } from './containerd.fixture';
import { linuxResources } from './linux-resources';

describe("the node's runtime as plain data: sandboxes, processes, namespaces, cgroups", () => {
  it("puts the app containers in the pause container's network, IPC and UTS namespaces, each with its own PID and mount namespaces", () => {
    const { sim, runtime } = node();
    const { ids } = runPod(sim, runtime, sandboxConfig('web'), [containerConfig('nginx', 'nginx:1.27'), containerConfig('sleep', 'busybox:1.36', { command: ['sleep', '3600'] })]);
    const [pod] = runtime.tree().pods;
    const [pause, nginx, sleep] = pod.processes;
    expect(pod.processes.map((p) => [p.role, p.name, p.state])).toEqual([
      ['pause', 'POD', 'CONTAINER_RUNNING'],
      ['container', 'nginx', 'CONTAINER_RUNNING'],
      ['container', 'sleep', 'CONTAINER_RUNNING'],
    ]);
    expect([nginx.id, sleep.id]).toEqual(ids);
    for (const ns of ['net', 'ipc', 'uts'] as const) expect([nginx.namespaces[ns], sleep.namespaces[ns]]).toEqual([pause.namespaces[ns], pause.namespaces[ns]]);
    expect(new Set([pause, nginx, sleep].map((p) => p.namespaces.pid)).size).toBe(3);
    expect(new Set([pause, nginx, sleep].map((p) => p.namespaces.mnt)).size).toBe(3);
    expect(pause.namespaces.net).toMatch(/^net:\[40265\d{5}\]$/);
    expect([pod.ip, pod.hostname, nginx.listens, sleep.argv]).toEqual(['10.244.0.2', 'web', 80, ['sleep', '3600']]);
  });

  it("gives each container a cgroup under the pod's, with the kubelet's values, and the pause container the sandbox's 2 shares", () => {
    const { sim, runtime } = node();
    const config = sandboxConfig('web', { uid: 'a1b2', cgroupParent: '/kubepods/burstable/poda1b2' });
    const resources = linuxResources({ requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } });
    const { sandboxId, ids } = runPod(sim, runtime, config, [containerConfig('nginx', 'nginx:1.27', { linux: { resources } })]);
    const [pause, nginx] = runtime.tree().pods[0].processes;
    expect(pause.cgroup).toEqual({ path: `/kubepods/burstable/poda1b2/${sandboxId}`, cpuShares: 2, cpuQuota: 0, cpuPeriod: 0, memoryLimitBytes: 0 });
    expect(nginx.cgroup).toEqual({ path: `/kubepods/burstable/poda1b2/${ids[0]}`, cpuShares: 256, cpuQuota: 50000, cpuPeriod: 100000, memoryLimitBytes: 134217728 });
  });

  it('shares the PID namespace of the pause container when the pod shares its process namespace', () => {
    const { sim, runtime } = node();
    const shared = { linux: { securityContext: { namespaceOptions: { pid: 'POD' as const } } } };
    runPod(sim, runtime, sandboxConfig('shared'), [containerConfig('a', 'busybox:1.36', { command: ['sleep', '60'], ...shared })]);
    const [pause, a] = runtime.tree().pods[0].processes;
    expect(a.namespaces.pid).toBe(pause.namespaces.pid);
  });
});
