import { isExtendedResourceName } from '../api/resource-names';
import type { Container, ResourceList } from '../api/types';
import { value, parseQuantity } from '../api/quantity';
import { ADMIT, type PodAdmitAttributes, type PodAdmitHandler, type PodAdmitResult } from './pod-admission';
import { SUPPORTED_VERSIONS, type ContainerAllocateResponse, type DevicePlugin, type RegisterRequest } from './device-plugin-api';

/**
 * The kubelet's device manager (pkg/kubelet/cm/devicemanager): the registry of device plugins,
 * the devices each one reports, and which container holds which device.
 *
 *   register({ version: 'v1beta1', endpoint: 'nvidia-gpu.sock', resourceName: 'nvidia.com/gpu' }, plugin)
 *     // the plugin's ListAndWatch: 2 devices, both Healthy
 *   capacity()    // => { capacity: { 'nvidia.com/gpu': '2' }, allocatable: { 'nvidia.com/gpu': '2' } }
 *     // one device turns Unhealthy
 *   capacity()    // => { capacity: { 'nvidia.com/gpu': '2' }, allocatable: { 'nvidia.com/gpu': '1' } }
 *
 * Admission (the kubelet's resource allocator, before a new pod runs): for each init container
 * then each container, the limit of each resource a plugin serves is allocated: free healthy
 * devices are picked (the lab takes them in ID order: no topology, no GetPreferredAllocation),
 * the plugin's Allocate is called with them, and its answer kept. Too few free devices:
 *
 *   admit({ pod asking nvidia.com/gpu: 2, activePods }), with 1 free
 *   // => { admit: false, reason: 'UnexpectedAdmissionError', message: 'Allocate failed due to requested number
 *   //      of devices unavailable for nvidia.com/gpu. Requested: 2, Available: 1, which is unexpected' }
 *
 * A container keeps its devices for the life of its pod (the checkpoint; here in memory): a
 * restarted container gets the same devices and the same answer (runContainerOptions). The
 * devices of a pod that is no longer active (finished, rejected, gone) are freed at the next
 * allocation (updateAllocatedDevices), as upstream does. Node capacity does not count
 * allocations: allocatable is the healthy devices, capacity all of them.
 *
 * Not modelled: GetDevicePluginOptions (and so PreStartContainer and GetPreferredAllocation),
 * re-registration keeping the old endpoint's devices, the stop grace period of a plugin that
 * went away, topology hints.
 */
interface Endpoint {
  plugin: DevicePlugin;
  stop: () => void;
}

/** What one container was given for one resource. */
interface ContainerDevices {
  ids: string[];
  response: ContainerAllocateResponse;
}

export class DeviceManager implements PodAdmitHandler {
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly healthy = new Map<string, Set<string>>();
  private readonly unhealthy = new Map<string, Set<string>>();
  /** pod uid => container name => resource => devices (podDevices). */
  private readonly podDevices = new Map<string, Map<string, Map<string, ContainerDevices>>>();

  /** `onDevices` hears of every ListAndWatch update (the kubelet traces it). */
  constructor(private readonly onDevices: (resource: string, healthy: number, total: number) => void = () => {}) {}

  /**
   * The Registration service's Register: checks the version and the resource name, then dials
   * the plugin and starts its ListAndWatch. A second registration for the
   * same resource replaces the first. An Error answers the plugin's RPC.
   *
   *   register({ version: 'v1alpha', ... })   // => Error 'requested API version "v1alpha" is not supported by kubelet. Supported version is ["v1beta1"]'
   *   register({ resourceName: 'gpu', ... })  // => Error 'the ResourceName "gpu" is invalid'
   */
  register(request: RegisterRequest, plugin: DevicePlugin): Error | undefined {
    if (!SUPPORTED_VERSIONS.includes(request.version)) {
      return new Error(`requested API version ${JSON.stringify(request.version)} is not supported by kubelet. Supported version is ${JSON.stringify(SUPPORTED_VERSIONS)}`);
    }
    const resource = request.resourceName;
    if (!isExtendedResourceName(resource)) return new Error(`the ResourceName ${JSON.stringify(resource)} is invalid`);
    this.endpoints.get(resource)?.stop();
    const endpoint: Endpoint = { plugin, stop: () => {} };
    this.endpoints.set(resource, endpoint);
    endpoint.stop = plugin.listAndWatch(({ devices }) => {
      if (this.endpoints.get(resource) !== endpoint) return;
      this.healthy.set(resource, new Set(devices.filter((d) => d.health === 'Healthy').map((d) => d.ID)));
      this.unhealthy.set(resource, new Set(devices.filter((d) => d.health !== 'Healthy').map((d) => d.ID)));
      this.onDevices(resource, this.healthy.get(resource)!.size, devices.length);
    });
    return undefined;
  }

  /**
   * GetCapacity, for the node status: per resource, capacity = every device, allocatable = the
   * healthy ones.
   */
  capacity(): { capacity: ResourceList; allocatable: ResourceList } {
    const capacity: ResourceList = {};
    const allocatable: ResourceList = {};
    for (const resource of [...this.endpoints.keys()].sort()) {
      const healthy = this.healthy.get(resource)?.size ?? 0;
      capacity[resource] = String(healthy + (this.unhealthy.get(resource)?.size ?? 0));
      allocatable[resource] = String(healthy);
    }
    return { capacity, allocatable };
  }

  /**
   * The resource allocator's Admit: every container's devices, init containers first. The
   * first failure rejects the pod (what was allocated before it is freed once the pod is no
   * longer active).
   */
  admit({ pod, activePods }: PodAdmitAttributes): PodAdmitResult {
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      const err = this.allocate(pod.metadata.uid!, c, activePods);
      if (err !== undefined) return { admit: false, reason: 'UnexpectedAdmissionError', message: `Allocate failed due to ${err.message}, which is unexpected` };
    }
    return ADMIT;
  }

  /**
   * GetDeviceRunContainerOptions: what a container's plugins answered, merged (envs,
   * mounts, devices, annotations), for CreateContainer. Empty for a container with no devices.
   *
   *   runContainerOptions(uid, 'cuda')   // => { envs: { NVIDIA_VISIBLE_DEVICES: 'GPU-...' }, mounts: [], devices: [], annotations: {} }
   */
  runContainerOptions(podUid: string, container: string): Required<ContainerAllocateResponse> {
    const merged: Required<ContainerAllocateResponse> = { envs: {}, mounts: [], devices: [], annotations: {} };
    for (const { response } of this.podDevices.get(podUid)?.get(container)?.values() ?? []) {
      Object.assign(merged.envs, response.envs);
      merged.mounts.push(...(response.mounts ?? []));
      merged.devices.push(...(response.devices ?? []));
      Object.assign(merged.annotations, response.annotations);
    }
    return merged;
  }

  /** The device IDs of a resource held by containers now, sorted. */
  allocated(resource: string): string[] {
    const ids: string[] = [];
    for (const containers of this.podDevices.values()) for (const resources of containers.values()) ids.push(...(resources.get(resource)?.ids ?? []));
    return ids.sort();
  }

  /** allocateContainerResources: one container's devices, resource by resource. */
  private allocate(podUid: string, c: Readonly<Container>, activePods: ReadonlySet<string>): Error | undefined {
    let freed = false;
    for (const [resource, limit] of Object.entries(c.resources?.limits ?? {})) {
      const endpoint = this.endpoints.get(resource);
      if (endpoint === undefined || limit === undefined) continue;
      // Garbage-collect the devices of pods that are gone before allocating.
      if (!freed) {
        for (const uid of [...this.podDevices.keys()]) if (!activePods.has(uid)) this.podDevices.delete(uid);
        freed = true;
      }
      const picked = this.devicesToAllocate(podUid, c.name, resource, value(parseQuantity(limit)));
      if (picked instanceof Error) return picked;
      if (picked.length === 0) continue;
      const answer = endpoint.plugin.allocate({ containerRequests: [{ devicesIDs: picked }] });
      if (answer instanceof Error) return answer;
      const containers = this.podDevices.get(podUid) ?? new Map<string, Map<string, ContainerDevices>>();
      this.podDevices.set(podUid, containers);
      const resources = containers.get(c.name) ?? new Map<string, ContainerDevices>();
      containers.set(c.name, resources);
      resources.set(resource, { ids: picked, response: answer.containerResponses[0] ?? {} });
    }
    return undefined;
  }

  /** devicesToAllocate: the devices to ask the plugin for, none if the container has them already. */
  private devicesToAllocate(podUid: string, container: string, resource: string, required: number): string[] | Error {
    const held = this.podDevices.get(podUid)?.get(container)?.get(resource)?.ids;
    if (held !== undefined) {
      if (held.length !== required) return new Error(`pod ${JSON.stringify(podUid)} container ${JSON.stringify(container)} changed request for resource ${JSON.stringify(resource)} from ${held.length} to ${required}`);
      return [];
    }
    if (required === 0) return [];
    const healthy = this.healthy.get(resource) ?? new Set<string>();
    if (healthy.size === 0) return new Error(`no healthy devices present; cannot allocate unhealthy devices ${resource}`);
    const inUse = new Set(this.allocated(resource));
    const available = [...healthy].filter((id) => !inUse.has(id)).sort();
    if (available.length < required) return new Error(`requested number of devices unavailable for ${resource}. Requested: ${required}, Available: ${available.length}`);
    return available.slice(0, required);
  }
}
