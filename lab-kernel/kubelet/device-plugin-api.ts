/**
 * The device plugin API, v1beta1 (k8s.io/kubelet/pkg/apis/deviceplugin/v1beta1, api.proto):
 * how a vendor's plugin tells the kubelet about devices it cannot know itself (GPUs, FPGAs,
 * NICs) and what a container needs to use the ones it gets. Two gRPC services on Unix sockets
 * in /var/lib/kubelet/device-plugins/:
 *
 *   Registration (the kubelet's, kubelet.sock)
 *     Register({ version: 'v1beta1', endpoint: 'nvidia-gpu.sock', resourceName: 'nvidia.com/gpu' })
 *   DevicePlugin (the plugin's, at its endpoint; the kubelet dials it once registered)
 *     ListAndWatch()            => a stream: [{ ID: 'GPU-1f2e...', health: 'Healthy' }, ...], again at every change
 *     Allocate({ containerRequests: [{ devicesIDs: ['GPU-1f2e...'] }] })
 *                               => { containerResponses: [{ envs: { NVIDIA_VISIBLE_DEVICES: 'GPU-1f2e...' } }] }
 *
 * In the lab a "socket" is a direct call on the same machine: the plugin object stands for its
 * endpoint, answers come back at once, and ListAndWatch is a callback the plugin calls with the
 * whole list each time (as the stream sends it). The field names are the Go ones
 * (DevicesIDs, ContainerResponses), camel-cased. Not modelled: GetDevicePluginOptions,
 * GetPreferredAllocation, PreStartContainer, CDI devices, topology.
 */
export const DEVICE_PLUGIN_VERSION = 'v1beta1';
/** The versions the kubelet's registration server accepts (api.SupportedVersions). */
export const SUPPORTED_VERSIONS: readonly string[] = [DEVICE_PLUGIN_VERSION];
export const DEVICE_PLUGIN_PATH = '/var/lib/kubelet/device-plugins/';
export const KUBELET_SOCKET = `${DEVICE_PLUGIN_PATH}kubelet.sock`;

export type DeviceHealth = 'Healthy' | 'Unhealthy';

export interface DevicePluginOptions {
  /** The kubelet must call PreStartContainer before each container start. */
  preStartRequired?: boolean;
  /** The plugin answers GetPreferredAllocation. */
  getPreferredAllocationAvailable?: boolean;
}

export interface RegisterRequest {
  version: string;
  /** The plugin's socket, a name in DEVICE_PLUGIN_PATH. */
  endpoint: string;
  /** An extended resource name: nvidia.com/gpu. */
  resourceName: string;
  options?: DevicePluginOptions;
}

export interface Device {
  ID: string;
  health: DeviceHealth;
}

export interface ListAndWatchResponse {
  devices: Device[];
}

export interface ContainerAllocateRequest {
  devicesIDs: string[];
}

export interface AllocateRequest {
  containerRequests: ContainerAllocateRequest[];
}

/** A host path mounted into the container (driver libraries, tools). */
export interface Mount {
  containerPath: string;
  hostPath: string;
  readOnly?: boolean;
}

/** A device node made visible in the container: /dev/nvidia0, permissions 'rw'. */
export interface DeviceSpec {
  containerPath: string;
  hostPath: string;
  permissions: string;
}

/** What one container needs to use its devices, passed on to the runtime with the container's config. */
export interface ContainerAllocateResponse {
  envs?: Record<string, string>;
  mounts?: Mount[];
  devices?: DeviceSpec[];
  annotations?: Record<string, string>;
}

export interface AllocateResponse {
  containerResponses: ContainerAllocateResponse[];
}

/** The DevicePlugin service, as the kubelet's client sees it (GetDevicePluginOptions left out). An Error is a failed RPC. */
export interface DevicePlugin {
  /** Sends the device list at once and again at every change, until the returned stop is called. */
  listAndWatch(send: (response: ListAndWatchResponse) => void): () => void;
  allocate(request: AllocateRequest): AllocateResponse | Error;
}
