/**
 * The contract of exercise `host-local-ipam`: the address decision of the host-local IPAM
 * plugin (containernetworking/plugins, plugins/ipam/host-local/backend/allocator), which the
 * node's bridge CNI plugin calls for every pod sandbox (host-local-ipam.ts runs it).
 *
 * One range set (the lab's: one range, the node's pod CIDR) with its defaults filled in, what
 * is already reserved, and where the last search stopped; out comes the address to reserve, or
 * an Error with host-local's message.
 *
 *   allocate({ ranges: [10.244.1.0/24: 10.244.1.1-10.244.1.254, gateway 10.244.1.1], reserved: [],
 *              lastReserved: undefined, containerId: 'c1', ifname: 'eth0' })
 *   // => { ip: '10.244.1.2' }
 */
export interface IpamRange {
  /** The range's network, '10.244.1.0/24'. */
  subnet: string;
  /** The first and last address it may hand out ('10.244.1.1', '10.244.1.254' by default). */
  rangeStart: string;
  rangeEnd: string;
  /** The gateway, never handed out ('10.244.1.1' by default: the bridge's address). */
  gateway: string;
}

/** An address held, and by whom: the container's ID and its interface. */
export interface Reservation {
  ip: string;
  containerId: string;
  ifname: string;
}

export interface HostLocalInput {
  /** The range set to allocate from, in order. */
  ranges: readonly IpamRange[];
  /** Every address reserved in the network, by any container. */
  reserved: readonly Reservation[];
  /** The address the last allocation from this range set reserved (host-local's last_reserved_ip file), if any. */
  lastReserved?: string;
  containerId: string;
  ifname: string;
}

export type HostLocalAllocateFn = (input: HostLocalInput) => { ip: string };

/**
 * An IPv4 address as a number, for counting through a range, and back (the packet network's
 * own helpers): ipToNumber('10.244.1.2') => 183_763_202; numberToIp(183_763_202) => '10.244.1.2'.
 * ipToNumber throws on anything that is not an address.
 */
export { formatIp as numberToIp, parseIp as ipToNumber } from '../net/ipv4';
