/**
 * The Container Network Interface (containernetworking/cni, SPEC.md, version 1.0.0), as the
 * runtime uses it: a network configuration list names plugins; the runtime runs each, in
 * order, with the call's parameters in its environment (CNI_COMMAND=ADD, CNI_CONTAINERID,
 * CNI_NETNS, CNI_IFNAME ...) and the plugin's configuration on its stdin; each ADD returns a
 * Result that the next plugin receives as prevResult. DEL runs them in reverse order.
 *
 *   addNetworkList(list, plugins, { CNI_COMMAND: 'ADD', CNI_CONTAINERID: '3f2a...', CNI_NETNS: '/var/run/netns/cni-1b2c...', CNI_IFNAME: 'eth0', ... })
 *   // => { cniVersion: '1.0.0', interfaces: [{ name: 'cni0', ... }, { name: 'veth5e2d0a1c', ... }, { name: 'eth0', sandbox: '/var/run/netns/cni-1b2c...' }],
 *   //      ips: [{ interface: 2, address: '10.244.0.2/24', gateway: '10.244.0.1' }], routes: [{ dst: '0.0.0.0/0' }], dns: {} }
 *
 * A plugin that fails throws a CniPluginError; libcni names it in the error the runtime sees:
 *   'plugin type="bridge" name="containerd-net" failed (add): failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.0.254'
 */
export const CNI_VERSION = '1.0.0';

export interface IpRange {
  subnet: string;
  rangeStart?: string;
  rangeEnd?: string;
  gateway?: string;
}

export interface Route {
  dst: string;
  gw?: string;
}

export interface HostLocalIpamConfig {
  type: 'host-local';
  /** Range sets; each a list of ranges (the lab uses one set of one range: the node's podCIDR). */
  ranges: IpRange[][];
  routes?: Route[];
}

export interface BridgePluginConfig {
  type: 'bridge';
  /** The bridge on the node: 'cni0'. */
  bridge: string;
  /** Give the bridge the gateway address, so pods route through the node. */
  isGateway: boolean;
  ipMasq: boolean;
  /** The MTU of the bridge and both ends of each veth (unset: the kernel's default, 1500). */
  mtu?: number;
  ipam: HostLocalIpamConfig;
}

export type PluginConfig = BridgePluginConfig;

export interface NetworkConfigList {
  cniVersion: string;
  name: string;
  plugins: PluginConfig[];
}

/** The call's parameters, as environment variables of the plugin's process. */
export interface CniEnv {
  CNI_COMMAND: 'ADD' | 'DEL';
  CNI_CONTAINERID: string;
  /** The network namespace's path; '' on a DEL after the namespace is gone. */
  CNI_NETNS: string;
  CNI_IFNAME: string;
  /** 'IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web;...' */
  CNI_ARGS: string;
  CNI_PATH: string;
}

export interface CniInterface {
  name: string;
  mac: string;
  /** Set for an interface inside a container's network namespace: that namespace's path. */
  sandbox?: string;
}

export interface CniIpConfig {
  /** Index into `interfaces` of the interface that holds the address. */
  interface: number;
  /** CIDR notation: '10.244.0.2/24'. */
  address: string;
  gateway: string;
}

export interface CniResult {
  cniVersion: string;
  interfaces: CniInterface[];
  ips: CniIpConfig[];
  routes: Route[];
  dns: { nameservers?: string[]; search?: string[] };
}

/** What the plugin receives on stdin: its configuration, the list's name and version, and the previous plugin's result. */
export type PluginInput<C extends PluginConfig = PluginConfig> = C & { cniVersion: string; name: string; prevResult?: CniResult };

export interface CniPlugin {
  readonly type: string;
  add(env: CniEnv, input: PluginInput): CniResult;
  del(env: CniEnv, input: PluginInput): void;
}

export class CniPluginError extends Error {}

/** Runs ADD through the list; returns the last plugin's result. Throws with libcni's wording if a plugin fails. */
export function addNetworkList(list: NetworkConfigList, plugins: readonly CniPlugin[], env: CniEnv): CniResult {
  let prevResult: CniResult | undefined;
  for (const config of list.plugins) {
    const input: PluginInput = Object.assign({}, config, { cniVersion: list.cniVersion, name: list.name }, prevResult ? { prevResult } : {});
    prevResult = call(config, list, 'add', () => pluginOf(plugins, config).add(env, input));
  }
  if (prevResult === undefined) throw new CniPluginError(`network list ${list.name} has no plugins`);
  return prevResult;
}

/** Runs DEL through the list, last plugin first. */
export function delNetworkList(list: NetworkConfigList, plugins: readonly CniPlugin[], env: CniEnv): void {
  for (const config of [...list.plugins].reverse()) {
    const input: PluginInput = Object.assign({}, config, { cniVersion: list.cniVersion, name: list.name });
    call(config, list, 'delete', () => pluginOf(plugins, config).del(env, input));
  }
}

/** The runtime's CNI_ARGS for a pod (containerd's toCNILabels), in a fixed order. */
export function podCniArgs(namespace: string, name: string, sandboxId: string, uid: string): string {
  return `IgnoreUnknown=1;K8S_POD_NAMESPACE=${namespace};K8S_POD_NAME=${name};K8S_POD_INFRA_CONTAINER_ID=${sandboxId};K8S_POD_UID=${uid}`;
}

function pluginOf(plugins: readonly CniPlugin[], config: PluginConfig): CniPlugin {
  const plugin = plugins.find((p) => p.type === config.type);
  if (plugin === undefined) throw new CniPluginError(`failed to find plugin "${config.type}" in path [/opt/cni/bin]`);
  return plugin;
}

function call<T>(config: PluginConfig, list: NetworkConfigList, verb: 'add' | 'delete', run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof CniPluginError)) throw e;
    throw new CniPluginError(`plugin type=${JSON.stringify(config.type)} name=${JSON.stringify(list.name)} failed (${verb}): ${e.message}`);
  }
}
