import { uuid } from '../api/names';
import type { Rng } from '../sim/rng';
import { DEVICE_PLUGIN_VERSION, type AllocateRequest, type AllocateResponse, type Device, type DeviceHealth, type DevicePlugin, type ListAndWatchResponse, type RegisterRequest } from './device-plugin-api';

/**
 * A simulated GPU device plugin, after NVIDIA's k8s-device-plugin (usually a DaemonSet pod on
 * each GPU node; in the lab a process the node starts with its kubelet). It serves the
 * resource nvidia.com/gpu on the socket nvidia-gpu.sock, one device per GPU, named by the
 * GPU's UUID, and with its default device list strategy (envvar) gives a container its GPUs
 * as one environment variable, which the NVIDIA container runtime reads to mount them:
 *
 *   const plugin = new GpuDevicePlugin(sim.rng('nvidia-device-plugin/node-1'), 2);
 *   plugin.start((req, p) => kubelet.devices.register(req, p));
 *     // Register { version: 'v1beta1', endpoint: 'nvidia-gpu.sock', resourceName: 'nvidia.com/gpu' }
 *   plugin.devices
 *     // => [{ ID: 'GPU-c58b371d-7a54-4103-9dad-fed7e17a3ad6', health: 'Healthy' }, { ID: 'GPU-...', health: 'Healthy' }]
 *   plugin.allocate({ containerRequests: [{ devicesIDs: ['GPU-c58b...'] }] })
 *     // => { containerResponses: [{ envs: { NVIDIA_VISIBLE_DEVICES: 'GPU-c58b...' } }] }
 *   plugin.setHealth('GPU-c58b...', 'Unhealthy')   // an Xid error: ListAndWatch sends the new list
 */
export const NVIDIA_GPU = 'nvidia.com/gpu';
export const NVIDIA_VISIBLE_DEVICES = 'NVIDIA_VISIBLE_DEVICES';
const SOCKET = 'nvidia-gpu.sock';

export class GpuDevicePlugin implements DevicePlugin {
  private readonly list: Device[];
  private readonly watchers = new Set<(response: ListAndWatchResponse) => void>();

  /** `count` GPUs, their UUIDs drawn from `rng`. */
  constructor(rng: Pick<Rng, 'int'>, count: number) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`a node's GPU count must be a whole number, got ${count}`);
    this.list = Array.from({ length: count }, () => ({ ID: `GPU-${uuid(rng)}`, health: 'Healthy' as DeviceHealth }));
  }

  /** The devices and their health now. */
  get devices(): Device[] {
    return this.list.map((d) => ({ ...d }));
  }

  /** Registers with the kubelet's Registration service; its Error if it refused. */
  start(register: (request: RegisterRequest, plugin: DevicePlugin) => Error | undefined): Error | undefined {
    return register({ version: DEVICE_PLUGIN_VERSION, endpoint: SOCKET, resourceName: NVIDIA_GPU, options: { getPreferredAllocationAvailable: true } }, this);
  }

  listAndWatch(send: (response: ListAndWatchResponse) => void): () => void {
    send({ devices: this.devices });
    this.watchers.add(send);
    return () => this.watchers.delete(send);
  }

  /** The health check's verdict on one GPU; every ListAndWatch stream hears of a change. */
  setHealth(id: string, health: DeviceHealth): void {
    const device = this.list.find((d) => d.ID === id);
    if (device === undefined) throw new Error(`no GPU ${id} on this node`);
    if (device.health === health) return;
    device.health = health;
    for (const send of this.watchers) send({ devices: this.devices });
  }

  /** One answer per container: NVIDIA_VISIBLE_DEVICES, its GPUs' IDs joined by commas. */
  allocate(request: AllocateRequest): AllocateResponse | Error {
    const known = new Set(this.list.map((d) => d.ID));
    for (const { devicesIDs } of request.containerRequests) {
      const unknown = devicesIDs.find((id) => !known.has(id));
      if (unknown !== undefined) return new Error(`invalid allocation request for '${NVIDIA_GPU}': unknown device: ${unknown}`);
    }
    return { containerResponses: request.containerRequests.map(({ devicesIDs }) => ({ envs: { [NVIDIA_VISIBLE_DEVICES]: devicesIDs.join(',') } })) };
  }
}
