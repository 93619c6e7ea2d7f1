import { CniPluginError, type CniEnv, type HostLocalIpamConfig, type IpRange, type Route } from './cni';

/**
 * The host-local IPAM plugin (containernetworking/plugins, plugins/ipam/host-local): hands out
 * the addresses of the node's pod CIDR and remembers who has which, as its files in
 * /var/lib/cni/networks/<network>/ do.
 *
 *   subnet 10.244.0.0/24: the range is 10.244.0.1-10.244.0.254; the gateway .1 is skipped
 *   ADD a => 10.244.0.2/24 (gateway 10.244.0.1)   ADD b => .3   DEL a   ADD c => .4 (not .2)
 *   ... when every address is taken:
 *   ADD z => 'failed to allocate for range 0: no IP addresses available in range set: 10.244.0.1-10.244.0.254'
 *
 * It allocates round-robin: each search starts after the last address it reserved and wraps
 * around at the end, so an address just freed (a crash-looping pod's) is not handed out again
 * until the whole range has been used. DEL frees what the container had.
 */
export interface IpamResult {
  ips: { address: string; gateway: string }[];
  routes: Route[];
}

export interface Allocation {
  ip: string;
  containerId: string;
  ifname: string;
}

interface Range {
  network: number;
  prefix: number;
  start: number;
  end: number;
  gateway: number;
}

interface NetworkStore {
  /** Reserved addresses (as numbers) and their owners. */
  reserved: Map<number, { containerId: string; ifname: string }>;
  /** The last address reserved in each range set, where the next search starts. */
  lastReserved: Map<number, number>;
}

export class HostLocalIpam {
  readonly type = 'host-local';
  private readonly networks = new Map<string, NetworkStore>();

  add(env: CniEnv, input: { name: string; ipam: HostLocalIpamConfig }): IpamResult {
    const store = this.storeOf(input.name);
    const ips: IpamResult['ips'] = [];
    const taken: number[] = [];
    input.ipam.ranges.forEach((set, idx) => {
      try {
        const ranges = set.map(canonicalRange);
        const ip = allocate(store, idx, ranges, env.CNI_CONTAINERID, env.CNI_IFNAME);
        taken.push(ip);
        const range = ranges.find((r) => contains(r, ip))!;
        ips.push({ address: `${formatIp(ip)}/${range.prefix}`, gateway: formatIp(range.gateway) });
      } catch (e) {
        for (const ip of taken) store.reserved.delete(ip);
        throw new CniPluginError(`failed to allocate for range ${idx}: ${(e as Error).message}`);
      }
    });
    return { ips, routes: input.ipam.routes ?? [] };
  }

  del(env: CniEnv, input: { name: string }): void {
    const store = this.storeOf(input.name);
    for (const [ip, owner] of store.reserved) {
      if (owner.containerId === env.CNI_CONTAINERID && owner.ifname === env.CNI_IFNAME) store.reserved.delete(ip);
    }
  }

  /** Who holds which address of a network, lowest address first. */
  allocations(network: string): Allocation[] {
    return [...this.storeOf(network).reserved]
      .sort(([a], [b]) => a - b)
      .map(([ip, owner]) => ({ ip: formatIp(ip), ...owner }));
  }

  private storeOf(network: string): NetworkStore {
    let store = this.networks.get(network);
    if (store === undefined) {
      store = { reserved: new Map(), lastReserved: new Map() };
      this.networks.set(network, store);
    }
    return store;
  }
}

function allocate(store: NetworkStore, setIdx: number, ranges: Range[], containerId: string, ifname: string): number {
  for (const [ip, owner] of store.reserved) {
    if (owner.containerId === containerId && owner.ifname === ifname && ranges.some((r) => contains(r, ip))) {
      throw new Error(`${formatIp(ip)} has been allocated to ${containerId}, duplicate allocation is not allowed`);
    }
  }
  // Every address of the set in search order: after the last reserved one, wrapping round.
  const all = ranges.flatMap((r) => addresses(r));
  const last = store.lastReserved.get(setIdx);
  const from = last === undefined ? 0 : all.indexOf(last) + 1;
  for (let i = 0; i < all.length; i++) {
    const ip = all[(from + i) % all.length];
    if (ranges.some((r) => r.gateway === ip) || store.reserved.has(ip)) continue;
    store.reserved.set(ip, { containerId, ifname });
    store.lastReserved.set(setIdx, ip);
    return ip;
  }
  throw new Error(`no IP addresses available in range set: ${ranges.map((r) => `${formatIp(r.start)}-${formatIp(r.end)}`).join(',')}`);
}

function addresses(r: Range): number[] {
  const out: number[] = [];
  for (let ip = r.start; ip <= r.end; ip++) out.push(ip);
  return out;
}

function contains(r: Range, ip: number): boolean {
  return ip >= r.start && ip <= r.end;
}

/** A range with its defaults filled in: start at network+1, end before the broadcast address, gateway network+1. */
function canonicalRange(range: IpRange): Range {
  const [address, bits] = range.subnet.split('/');
  const prefix = Number(bits);
  const ip = parseIp(address);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(ip / size) * size;
  if (prefix > 30) throw new Error(`Network ${range.subnet} too small to allocate from`);
  if (network !== ip) throw new Error(`Network has host bits set. For a subnet mask of length ${prefix} the network address is ${formatIp(network)}`);
  return {
    network,
    prefix,
    start: range.rangeStart === undefined ? network + 1 : parseIp(range.rangeStart),
    end: range.rangeEnd === undefined ? network + size - 2 : parseIp(range.rangeEnd),
    gateway: range.gateway === undefined ? network + 1 : parseIp(range.gateway),
  };
}

export function parseIp(text: string): number {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`invalid IPv4 address ${JSON.stringify(text)}`);
  return ((parts[0] * 256 + parts[1]) * 256 + parts[2]) * 256 + parts[3];
}

export function formatIp(ip: number): string {
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}
