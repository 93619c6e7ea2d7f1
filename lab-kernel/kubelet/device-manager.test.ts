import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { Rng } from '../sim/rng';
import { DeviceManager } from './device-manager';
import { GpuDevicePlugin } from './gpu-device-plugin';

/** A device manager with one NVIDIA plugin of `gpus` GPUs registered. */
function withGpus(gpus: number) {
  const manager = new DeviceManager();
  const plugin = new GpuDevicePlugin(new Rng(7), gpus);
  expect(plugin.start((req, p) => manager.register(req, p))).toBeUndefined();
  const ids = plugin.devices.map((d) => d.ID).sort();
  return { manager, plugin, ids };
}

/** A pod whose containers ask for these numbers of GPUs (as a limit: defaulting copies it into the request). */
function gpuPod(uid: string, ...gpus: number[]): Pod {
  const containers = gpus.map((n, i) => ({ name: `c${i}`, image: 'cuda', resources: { limits: { 'nvidia.com/gpu': String(n) } } }));
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: uid, namespace: 'default', uid }, spec: { containers } };
}

/** Why the device manager refuses the pod at admission, or undefined if it admits it. */
function refusal(manager: DeviceManager, pod: Pod, activePods: ReadonlySet<string>) {
  const result = manager.admit({ pod, activePods });
  return result.admit ? undefined : { reason: result.reason, message: result.message };
}

const visible = (manager: DeviceManager, uid: string, container = 'c0') => manager.runContainerOptions(uid, container).envs.NVIDIA_VISIBLE_DEVICES;

describe('the device manager', () => {
  it('reports every device as capacity and only the healthy ones as allocatable', () => {
    const { manager, plugin, ids } = withGpus(3);
    expect(manager.capacity()).toEqual({ capacity: { 'nvidia.com/gpu': '3' }, allocatable: { 'nvidia.com/gpu': '3' } });
    plugin.setHealth(ids[1], 'Unhealthy');
    expect(manager.capacity()).toEqual({ capacity: { 'nvidia.com/gpu': '3' }, allocatable: { 'nvidia.com/gpu': '2' } });
    expect(new DeviceManager().capacity()).toEqual({ capacity: {}, allocatable: {} });
  });

  it('refuses a plugin of another API version, or one whose resource is not an extended resource', () => {
    const manager = new DeviceManager();
    const plugin = new GpuDevicePlugin(new Rng(1), 1);
    expect(manager.register({ version: 'v1alpha', endpoint: 'x.sock', resourceName: 'nvidia.com/gpu' }, plugin)?.message)
      .toBe('requested API version "v1alpha" is not supported by kubelet. Supported version is ["v1beta1"]');
    expect(manager.register({ version: 'v1beta1', endpoint: 'x.sock', resourceName: 'gpu' }, plugin)?.message).toBe('the ResourceName "gpu" is invalid');
    expect(manager.register({ version: 'v1beta1', endpoint: 'x.sock', resourceName: 'kubernetes.io/gpu' }, plugin)?.message).toBe('the ResourceName "kubernetes.io/gpu" is invalid');
    expect(manager.capacity()).toEqual({ capacity: {}, allocatable: {} });
  });

  it('gives each container its own free devices and the plugin\'s answer: NVIDIA_VISIBLE_DEVICES', () => {
    const { manager, ids } = withGpus(3);
    expect(refusal(manager, gpuPod('a', 2, 1), new Set(['a']))).toBeUndefined();
    expect(visible(manager, 'a', 'c0')).toBe(`${ids[0]},${ids[1]}`);
    expect(visible(manager, 'a', 'c1')).toBe(ids[2]);
    expect(manager.allocated('nvidia.com/gpu')).toEqual(ids);
    // A container without devices gets nothing from the plugins.
    expect(manager.runContainerOptions('a', 'sidecar')).toEqual({ envs: {}, mounts: [], devices: [], annotations: {} });
  });

  it('rejects a pod asking for more devices than are free: UnexpectedAdmissionError', () => {
    const { manager } = withGpus(2);
    expect(refusal(manager, gpuPod('a', 1), new Set(['a']))).toBeUndefined();
    expect(refusal(manager, gpuPod('b', 2), new Set(['a', 'b']))).toEqual({
      reason: 'UnexpectedAdmissionError',
      message: 'Allocate failed due to requested number of devices unavailable for nvidia.com/gpu. Requested: 2, Available: 1, which is unexpected',
    });
  });

  it('allocates healthy devices only, and none at all when none is healthy', () => {
    const { manager, plugin, ids } = withGpus(2);
    plugin.setHealth(ids[0], 'Unhealthy');
    expect(refusal(manager, gpuPod('a', 2), new Set(['a']))?.message).toBe('Allocate failed due to requested number of devices unavailable for nvidia.com/gpu. Requested: 2, Available: 1, which is unexpected');
    expect(refusal(manager, gpuPod('b', 1), new Set(['b']))).toBeUndefined();
    expect(visible(manager, 'b')).toBe(ids[1]);
    plugin.setHealth(ids[1], 'Unhealthy');
    expect(refusal(manager, gpuPod('c', 1), new Set(['b', 'c']))?.message).toBe('Allocate failed due to no healthy devices present; cannot allocate unhealthy devices nvidia.com/gpu, which is unexpected');
  });

  it('keeps a container\'s devices while its pod is active, and frees them once it is not', () => {
    const { manager, ids } = withGpus(2);
    expect(refusal(manager, gpuPod('a', 2), new Set(['a']))).toBeUndefined();
    const first = visible(manager, 'a');
    // Allocating again (a restart) changes nothing: the same devices, the same answer.
    expect(refusal(manager, gpuPod('a', 2), new Set(['a']))).toBeUndefined();
    expect(visible(manager, 'a')).toBe(first);
    expect(refusal(manager, gpuPod('b', 2), new Set(['a', 'b']))?.message).toContain('Requested: 2, Available: 0');
    // Pod a has finished: its devices are freed at the next allocation.
    expect(refusal(manager, gpuPod('c', 2), new Set(['c']))).toBeUndefined();
    expect(visible(manager, 'c')).toBe(`${ids[0]},${ids[1]}`);
    expect(visible(manager, 'a')).toBeUndefined();
  });

  it('ignores resources no plugin serves', () => {
    const { manager } = withGpus(1);
    const pod = gpuPod('a', 1);
    pod.spec.containers[0].resources!.limits!['example.com/dongle'] = '3';
    expect(refusal(manager, pod, new Set(['a']))).toBeUndefined();
    expect(manager.allocated('example.com/dongle')).toEqual([]);
  });
});
