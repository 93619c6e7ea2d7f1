import { CniPluginError, type CniEnv, type HostLocalIpamConfig, type IpRange, type Route } from './cni';
import { ipToNumber, numberToIp, type HostLocalAllocateFn, type IpamRange } from './host-local-contract';

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
 * until the whole range has been used. DEL frees what the container had. Which address to take
 * is the decision of exercise host-local-ipam (host-local-contract.ts); this is the plugin
 * around it: the config, the store, the result.
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

interface NetworkStore {
  /** Reserved addresses and their owners, by address. */
  reserved: Map<string, { containerId: string; ifname: string }>;
  /** The last address reserved in each range set, where the next search starts. */
  lastReserved: Map<number, string>;
}

export class HostLocalIpam {
  readonly type = 'host-local';
  private readonly networks = new Map<string, NetworkStore>();

  /** `allocate` is the address decision (exercise host-local-ipam), from the composition root. */
  constructor(private readonly allocate: HostLocalAllocateFn) {}

  add(env: CniEnv, input: { name: string; ipam: HostLocalIpamConfig }): IpamResult {
    const store = this.storeOf(input.name);
    // LoadIPAMConfig: every range set is canonicalized before anything is allocated.
    const sets = input.ipam.ranges.map((set, idx) => {
      try {
        return set.map(canonicalRange);
      } catch (e) {
        throw new CniPluginError(`invalid range set ${idx}: ${(e as Error).message}`);
      }
    });
    const ips: IpamResult['ips'] = [];
    const taken: string[] = [];
    sets.forEach((ranges, idx) => {
      let ip: string;
      try {
        const reserved = [...store.reserved].map(([address, owner]) => ({ ip: address, ...owner }));
        ip = this.allocate({ ranges, reserved, lastReserved: store.lastReserved.get(idx), containerId: env.CNI_CONTAINERID, ifname: env.CNI_IFNAME }).ip;
        const range = ranges.find((r) => inRange(r, ip));
        if (range === undefined || store.reserved.has(ip) || ranges.some((r) => r.gateway === ip)) throw new Error(`the allocator chose ${ip}, which is not free in range set ${idx}`);
        store.reserved.set(ip, { containerId: env.CNI_CONTAINERID, ifname: env.CNI_IFNAME });
        store.lastReserved.set(idx, ip);
        taken.push(ip);
        ips.push({ address: `${ip}/${range.subnet.split('/')[1]}`, gateway: range.gateway });
      } catch (e) {
        for (const t of taken) store.reserved.delete(t);
        throw new CniPluginError(`failed to allocate for range ${idx}: ${e instanceof Error ? e.message : String(e)}`);
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
      .sort(([a], [b]) => ipToNumber(a) - ipToNumber(b))
      .map(([ip, owner]) => ({ ip, ...owner }));
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

function inRange(r: IpamRange, ip: string): boolean {
  const n = ipToNumber(ip);
  return n >= ipToNumber(r.rangeStart) && n <= ipToNumber(r.rangeEnd);
}

/**
 * Range.Canonicalize: a range with its defaults filled in: start at network+1, end before the
 * broadcast address, gateway network+1.
 *   canonicalRange({ subnet: '10.244.1.0/24' })  // => { subnet, rangeStart: '10.244.1.1', rangeEnd: '10.244.1.254', gateway: '10.244.1.1' }
 */
export function canonicalRange(range: IpRange): IpamRange {
  const [address, bits] = range.subnet.split('/');
  const prefix = Number(bits);
  const ip = ipToNumber(address);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(ip / size) * size;
  if (prefix > 30) throw new Error(`Network ${range.subnet} too small to allocate from`);
  if (network !== ip) throw new Error(`Network has host bits set. For a subnet mask of length ${prefix} the network address is ${numberToIp(network)}`);
  return {
    subnet: range.subnet,
    rangeStart: range.rangeStart ?? numberToIp(network + 1),
    rangeEnd: range.rangeEnd ?? numberToIp(network + size - 2),
    gateway: range.gateway ?? numberToIp(network + 1),
  };
}
