import { describe, expect, it } from 'vitest';
import type { Simulation } from '../sim/simulation';
import type { Containerd } from './containerd';
import { call, containerConfig, node, ok, runPod, sandboxConfig } from './containerd.fixture';
import type { ContainerStatus } from './cri';
import { linuxResources } from './linux-resources';

const status = (sim: Simulation, runtime: Containerd, containerId: string): ContainerStatus => ok(sim, runtime, 'containerStatus', { containerId }).status;
const runtimeActions = (sim: Simulation) => sim.trace.all().filter((e) => e.actor === 'containerd/node-1' && e.kind === 'action');

/** The web pod: nginx and a busybox sleeping for an hour. */
function webPod(seed: number) {
  const { sim, runtime } = node(seed);
  const config = sandboxConfig('web', { uid: 'a1b2', cgroupParent: '/kubepods/burstable/poda1b2' });
  const pod = runPod(sim, runtime, config, [
    containerConfig('nginx', 'nginx:1.27', { linux: { resources: linuxResources({ requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } }) } }),
    containerConfig('sleep', 'busybox:1.36', { command: ['sleep', '3600'] }),
  ]);
  return { sim, runtime, ...pod };
}

/** What the kubelet does to kill a pod: StopContainer for every container with the grace period, together; then StopPodSandbox. */
function killPod(sim: Simulation, runtime: Containerd, sandboxId: string, ids: string[], graceSeconds: number): number[] {
  const stopped: number[] = [];
  for (const containerId of ids) runtime.stopContainer({ containerId, timeout: graceSeconds }, () => stopped.push(sim.now()));
  sim.runUntil(() => stopped.length === ids.length, 60_000);
  ok(sim, runtime, 'stopPodSandbox', { podSandboxId: sandboxId });
  return stopped;
}

describe('a pod on the simulated containerd, from start to stop', () => {
  it('stops nginx and sleep 3600 with a 2 s grace period: nginx exits 0 at once, sleep is killed at 2 s with 137, the IP is freed', () => {
    const { sim, runtime, sandboxId, ids } = webPod(1);
    const [nginx, sleep] = ids;
    const ip = ok(sim, runtime, 'podSandboxStatus', { podSandboxId: sandboxId }).status.network.ip;
    expect(ip).toBe('10.244.0.2');
    const start = sim.now();
    const [nginxStopped, sleepStopped] = killPod(sim, runtime, sandboxId, ids, 2);
    expect(nginxStopped - start).toBeLessThan(100);
    expect(sleepStopped - start).toBeGreaterThanOrEqual(2000);
    expect(sleepStopped - start).toBeLessThan(2100);
    expect([status(sim, runtime, nginx).exitCode, status(sim, runtime, nginx).reason]).toEqual([0, 'Completed']);
    expect([status(sim, runtime, sleep).exitCode, status(sim, runtime, sleep).reason]).toEqual([137, 'Error']);
    const { status: sandbox } = ok(sim, runtime, 'podSandboxStatus', { podSandboxId: sandboxId });
    expect([sandbox.state, sandbox.network.ip, runtime.addresses()]).toEqual(['SANDBOX_NOTREADY', '', []]);
    const steps = runtimeActions(sim).filter((e) => e.time >= start).map((e) => e.summary.replace(/\([0-9a-f]{13}\)/g, '(id)').replace(/cni-[0-9a-f-]+/, 'cni-*'));
    expect(steps).toEqual([
      'sent SIGQUIT to container nginx (id)',
      'sent SIGTERM to container sleep (id)',
      'container nginx (id) exited with code 0',
      'sent SIGKILL to container sleep (id) after 2s',
      'container sleep (id) exited with code 137',
      'sandbox web_default_a1b2_0 (id): pause container exited with code 137',
      'sandbox web_default_a1b2_0 (id) stopped: released 10.244.0.2, removed /var/run/netns/cni-*',
    ]);
  });

  it('SIGKILLs the containers still running when StopPodSandbox comes first, as CRI requires', () => {
    const { sim, runtime, sandboxId, ids } = webPod(1);
    const start = sim.now();
    ok(sim, runtime, 'stopPodSandbox', { podSandboxId: sandboxId });
    expect(sim.now() - start).toBeLessThan(100);
    expect(ids.map((id) => status(sim, runtime, id).exitCode)).toEqual([137, 137]);
  });

  it('hands the next pod the next address, not the one just freed', () => {
    const { sim, runtime, sandboxId, ids } = webPod(1);
    killPod(sim, runtime, sandboxId, ids, 0);
    const { podSandboxId } = ok(sim, runtime, 'runPodSandbox', { config: sandboxConfig('next') });
    expect(ok(sim, runtime, 'podSandboxStatus', { podSandboxId }).status.network.ip).toBe('10.244.0.3');
  });

  it("OOM-kills a container that needs more memory than its limit (the docs' stress example): 137, OOMKilled", () => {
    const { sim, runtime } = node();
    const hog = (name: string, bytes: string, limit: string) =>
      containerConfig(name, 'polinux/stress', {
        command: ['stress'],
        args: ['--vm', '1', '--vm-bytes', bytes, '--vm-hang', '1'],
        linux: { resources: linuxResources({ requests: { memory: '50Mi' }, limits: { memory: limit } }) },
      });
    const { ids } = runPod(sim, runtime, sandboxConfig('memory-demo'), [hog('over', '250M', '100Mi'), hog('within', '150M', '200Mi')]);
    sim.runFor(5000);
    const over = status(sim, runtime, ids[0]);
    expect([over.state, over.exitCode, over.reason]).toEqual(['CONTAINER_EXITED', 137, 'OOMKilled']);
    expect(over.finishedAt! - over.startedAt!).toBe(100);
    expect(status(sim, runtime, ids[1]).state).toBe('CONTAINER_RUNNING');
    expect(runtimeActions(sim).map((e) => e.summary)).toContain(`OOM-killed container over (${ids[0].slice(0, 13)}): it needs 262144000 bytes, its memory limit is 104857600`);
  });

  it('runs the same way for the same seed: equal trace hashes', () => {
    const run = (seed: number) => {
      const { sim, runtime, sandboxId, ids } = webPod(seed);
      killPod(sim, runtime, sandboxId, ids, 2);
      call(sim, runtime, 'removePodSandbox', { podSandboxId: sandboxId });
      return sim.trace;
    };
    const first = run(7);
    expect(first.length).toBeGreaterThan(10);
    expect(run(7).hash()).toBe(first.hash());
    expect(run(8).hash()).not.toBe(first.hash());
  });
});
