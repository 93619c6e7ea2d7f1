import type { Container, Pod } from '../api/types';
import { containerEnv } from './container-env';
import type { DeviceManager } from './device-manager';
import type { ContainerInputs } from './pod-syncer';
import type { VolumeManager } from './volumes/volume-manager';

/**
 * What a container starts with besides its spec (GenerateRunContainerOptions): the device
 * plugins' envs and mounts first, then its own environment (container-env.ts) and its
 * volumes' mounts; the plugins' annotations as they answered.
 *
 *   containerInputs(cudaPod, cuda, { volumes, devices })
 *   // => { envs: [{ key: 'NVIDIA_VISIBLE_DEVICES', value: 'GPU-...' }, { key: 'MODE', value: 'train' }],
 *   //      mounts: [{ containerPath: '/data', hostPath: '/var/lib/kubelet/pods/<uid>/volumes/...' }], annotations: {} }
 *   containerInputs(pod whose env names a missing ConfigMap key, c, sources)
 *   // => { error: "couldn't find key color in ConfigMap default/app" }   (CreateContainerConfigError)
 */
export function containerInputs(pod: Readonly<Pod>, c: Readonly<Container>, sources: { volumes: VolumeManager; devices: DeviceManager }): ContainerInputs | { error: string } {
  const env = containerEnv(pod, c, sources.volumes.objects);
  if ('error' in env) return env;
  const devices = sources.devices.runContainerOptions(pod.metadata.uid!, c.name);
  const deviceEnvs = Object.entries(devices.envs).map(([key, value]) => ({ key, value }));
  const deviceMounts = devices.mounts.map((m) => ({ containerPath: m.containerPath, hostPath: m.hostPath, ...(m.readOnly ? { readonly: true } : {}) }));
  return { envs: [...deviceEnvs, ...env.envs], mounts: [...deviceMounts, ...sources.volumes.containerMounts(pod, c)], annotations: devices.annotations };
}
