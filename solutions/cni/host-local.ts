/**
 * Exercise `host-local-ipam` — which address a new pod gets. (chapter 09)
 *
 * Every pod has its own IP address, from its node's pod CIDR (10.244.1.0/24 on the first
 * worker). Who hands them out? Not Kubernetes: the container runtime calls a CNI plugin when it
 * creates a pod's sandbox, and the plugin (here `bridge`) asks an IPAM plugin for an address.
 * The usual one, `host-local`, keeps a file per reserved address on the node
 * (/var/lib/cni/networks/<network>/10.244.1.2 holds the container's ID) and one file with the
 * last address it handed out. You write its decision, as its allocator makes it.
 *
 * The runtime around your code (lab-kernel/runtime/host-local-ipam.ts) fills in the range's
 * defaults (start at the network + 1, end before the broadcast address, the gateway at the
 * network + 1), keeps the reservations, wraps your errors as the plugin does ("failed to
 * allocate for range 0: ...") and returns the result to the bridge plugin, which puts the address
 * on the pod's eth0.
 *
 * Run a cluster whose nodes use your code with
 *   createCluster({ use: { 'host-local-ipam': 'exercise' } })
 * and grade it with
 *   npm run grade -- host-local-ipam
 *
 * Input => output, by example (range 10.244.1.0/24: 10.244.1.1-10.244.1.254, gateway 10.244.1.1):
 *
 *   nothing reserved yet                        => 10.244.1.2 (the gateway .1 is skipped)
 *   .2 reserved, last reserved .2               => 10.244.1.3
 *   .3 freed again, last reserved .4            => 10.244.1.5 (round-robin: not .3, not yet)
 *   last reserved .254 (the end), .2 reserved   => 10.244.1.3 (wraps around to the start)
 *   container c1 already holds .7 on eth0       => Error '10.244.1.7 has been allocated to c1, duplicate allocation is not allowed'
 *   every address reserved                      => Error 'no IP addresses available in range set: 10.244.1.1-10.244.1.254'
 */
import { ipToNumber, numberToIp, type HostLocalInput, type IpamRange } from '../../lab-kernel/runtime/host-local-contract';

/**
 * TODO(1) Does this container already hold an address of this range set? The CNI spec forbids
 * a second ADD for the same container and interface, so host-local refuses it. An address the
 * container holds in a different range (another network's) does not count.
 *
 *   reserved [{ ip: '10.244.1.7', containerId: 'c1', ifname: 'eth0' }], c1 eth0   => '10.244.1.7'
 *   the same, c1 eth1 (another interface)                                      => undefined
 *   reserved [{ ip: '192.168.0.5', containerId: 'c1', ifname: 'eth0' }], c1 eth0 => undefined (not in the ranges)
 */
export function alreadyAllocated(input: HostLocalInput): string | undefined {
  // BEGIN SOLUTION
  const mine = input.reserved.find((r) => r.containerId === input.containerId && r.ifname === input.ifname && inRanges(input.ranges, r.ip));
  return mine?.ip;
  // END SOLUTION
}

/**
 * TODO(2) The order in which to try the addresses (RangeIter): every address from the first
 * range's start to its end, then the next range's, ...; but starting right after lastReserved
 * and wrapping around, so that a freed address is not handed out again until all the others
 * have been. Without lastReserved (or when it is not in the ranges any more), start at the
 * first range's start.
 *
 *   range .1-.5, lastReserved undefined   => ['.1', '.2', '.3', '.4', '.5']
 *   range .1-.5, lastReserved '.3'         => ['.4', '.5', '.1', '.2', '.3']
 *   range .1-.5, lastReserved '.5'         => ['.1', '.2', '.3', '.4', '.5']
 *   (each '.n' here stands for a full address such as '10.244.1.n')
 */
export function searchOrder(ranges: readonly IpamRange[], lastReserved: string | undefined): string[] {
  // BEGIN SOLUTION
  const all: string[] = [];
  for (const r of ranges) {
    const end = ipToNumber(r.rangeEnd);
    for (let n = ipToNumber(r.rangeStart); n <= end; n++) all.push(numberToIp(n));
  }
  const at = lastReserved === undefined ? -1 : all.indexOf(lastReserved);
  return [...all.slice(at + 1), ...all.slice(0, at + 1)];
  // END SOLUTION
}

/**
 * TODO(3) The allocation (IPAllocator.Get): refuse a duplicate (TODO 1); then take the first
 * address in search order (TODO 2) that is neither a range's gateway nor reserved by anyone.
 * None left: throw an Error saying which ranges were full, each as 'start-end', joined by ','.
 *
 *   => { ip: '10.244.1.2' }
 *   throws new Error('10.244.1.7 has been allocated to c1, duplicate allocation is not allowed')
 *   throws new Error('no IP addresses available in range set: 10.244.1.1-10.244.1.254')
 */
export function allocate(input: HostLocalInput): { ip: string } {
  // BEGIN SOLUTION
  const held = alreadyAllocated(input);
  if (held !== undefined) throw new Error(`${held} has been allocated to ${input.containerId}, duplicate allocation is not allowed`);
  const taken = new Set(input.reserved.map((r) => r.ip));
  const gateways = new Set(input.ranges.map((r) => r.gateway));
  for (const ip of searchOrder(input.ranges, input.lastReserved)) {
    if (!gateways.has(ip) && !taken.has(ip)) return { ip };
  }
  throw new Error(`no IP addresses available in range set: ${input.ranges.map((r) => `${r.rangeStart}-${r.rangeEnd}`).join(',')}`);
  // END SOLUTION
}

/** Whether an address lies in one of the ranges (from its start to its end). Given. */
export function inRanges(ranges: readonly IpamRange[], ip: string): boolean {
  const n = ipToNumber(ip);
  return ranges.some((r) => n >= ipToNumber(r.rangeStart) && n <= ipToNumber(r.rangeEnd));
}
