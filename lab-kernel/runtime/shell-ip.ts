import type { Interface } from '../net/interfaces';
import { formatIp, maskOf } from '../net/ipv4';
import type { NetNamespace } from '../net/namespace';
import type { PacketNetwork } from '../net/packet-network';

/**
 * busybox's `ip` applet, the two objects a learner reads a pod's network with: `ip addr` (also
 * `ip a`, `ip address`, `ip addr show`) and `ip route` (`ip r`, `ip route show`), printed from a
 * namespace of the packet network as busybox prints them (networking/libiproute/ipaddress.c:
 * print_linkinfo, print_addrinfo), abridged: no `valid_lft` lines, no IPv6, no `qlen`, no
 * trailing blanks. Interface indexes count from 1 in the namespace's order (lo first); a veth
 * names its peer's index in the peer's namespace (`eth0@if4`, the kernel's IFLA_LINK). busybox
 * then looks that index up among the namespace's own interfaces: when none there is up (a pod's
 * eth0, whose peer index is the node's) it adds `M-DOWN` to the flags (and where one has that
 * index, names the peer by its name: not modelled, as node views share this printer, and a pod's
 * peer index on a node is never 1 or 2). busybox built against
 * glibc or uClibc (the busybox image's builds) prints no `state`: its IFLA_OPERSTATE branch
 * needs IFF_DORMANT, which their <net/if.h> does not define.
 *
 *   ipCommand(['addr'], pod, net).lines
 *   // => ['1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue',
 *   //     '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
 *   //     '    inet 127.0.0.1/8 scope host lo',
 *   //     '2: eth0@if4: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue',
 *   //     '    link/ether 7e:b2:02:8d:69:4c brd ff:ff:ff:ff:ff:ff',
 *   //     '    inet 10.244.1.2/24 brd 10.244.1.255 scope global eth0']
 *   ipCommand(['route'], pod, net).lines
 *   // => ['default via 10.244.1.1 dev eth0', '10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2']
 *   ipCommand(['link', 'add', 'x'], pod, net)   // => stderr: the lab's ip only shows addr and route; exit 1
 */
/** What an applet printed (each line `atMs` after it started, 0 when not given), its exit status, and how long it ran. */
export interface AppletRun {
  lines: { atMs?: number; stream: 'stdout' | 'stderr'; line: string }[];
  status: number;
  elapsedMs?: number;
}

export function ipCommand(args: readonly string[], ns: NetNamespace | undefined, net: PacketNetwork | undefined): AppletRun {
  const [object = '', verb = 'show'] = args;
  const show = verb === 'show' || verb === 'list' || verb === 'ls';
  if (ns === undefined) return { lines: [{ stream: 'stderr', line: 'ip: cannot open netlink socket: the container has no network' }], status: 1 };
  if (show && ['a', 'ad', 'addr', 'address'].includes(object)) return stdout(ipAddr(ns, net));
  if (show && ['r', 'ro', 'route'].includes(object)) return stdout(ns.routes.show());
  return { lines: [{ stream: 'stderr', line: `ip: the lab's ip shows what is there: ip addr, ip route (not '${args.join(' ')}')` }], status: 1 };
}

/** `ip addr`: each interface with its flags, MAC and IPv4 addresses (abridged as above). */
export function ipAddr(ns: NetNamespace, net: PacketNetwork | undefined): string[] {
  const out: string[] = [];
  const own = [...ns.interfaces.values()];
  own.forEach((d, i) => {
    const link = d.peer === undefined ? undefined : indexOf(net?.namespaces.get(d.peer.ns), d.peer);
    const mdown = link !== undefined && own[link - 1]?.up !== true;
    const master = d.master === undefined ? '' : ` master ${d.master.name}`;
    out.push(`${i + 1}: ${d.name}${link === undefined ? '' : `@if${link || '?'}`}: <${flags(d, mdown)}> mtu ${d.mtu} qdisc noqueue${master}`);
    out.push(d.kind === 'loopback' ? `    link/loopback ${d.mac} brd 00:00:00:00:00:00` : `    link/ether ${d.mac} brd ff:ff:ff:ff:ff:ff`);
    for (const a of d.addresses) {
      const cidr = `${formatIp(a.ip)}/${a.cidr.len}`;
      const brd = a.cidr.len >= 31 || d.kind === 'loopback' ? '' : ` brd ${formatIp((a.cidr.ip | ~maskOf(a.cidr.len)) >>> 0)}`;
      out.push(`    inet ${cidr}${brd} scope ${d.kind === 'loopback' ? 'host' : 'global'} ${d.name}`);
    }
  });
  return out;
}

/** busybox's print_link_flags: the kind's flags, UP and LOWER_UP when up, M-DOWN when the link's index is down here. */
function flags(d: Interface, mdown: boolean): string {
  const kind = d.kind === 'loopback' ? ['LOOPBACK'] : ['BROADCAST', 'MULTICAST'];
  return [...kind, ...(d.up ? ['UP', 'LOWER_UP'] : []), ...(mdown ? ['M-DOWN'] : [])].join(',');
}

/** An interface's index in its namespace, counting from 1 (0: the namespace is not known). */
function indexOf(ns: NetNamespace | undefined, d: Interface): number {
  return ns === undefined ? 0 : [...ns.interfaces.values()].indexOf(d) + 1;
}

function stdout(lines: string[]): AppletRun {
  return { lines: lines.map((line) => ({ stream: 'stdout', line })), status: 0 };
}
