import type { Simulation } from '../sim/simulation';
import { Datapath } from './datapath';
import { Interface, macFromCounter } from './interfaces';
import { NetNamespace, type Handler } from './namespace';
import type { RouteLookupFn } from './route-lookup-contract';
import { Sockets, type ExchangeResult, type RequestOptions } from './sockets';
import { Vxlan, VXLAN_HEADROOM, type VxlanOptions } from './vxlan';
import type { VxlanEncapFn } from './vxlan-contract';
import type { NetfilterEvalFn } from './netfilter-eval-contract';

/**
 * The simulated packet network: every namespace of every host, the links between them, and the
 * sockets, over the simulation's virtual clock (hopLatencyMs per wire crossing, 0.05 ms by
 * default) and seeded randomness (`-m statistic`, MASQUERADE's random ports, ephemeral ports).
 *
 *   const net = new PacketNetwork(sim, lookup);   // lookup: how routes are chosen (route-lookup-contract.ts)
 *   const node = net.addNamespace('node-1', { root: true });
 *   const pod = net.addNamespace('pod-a');
 *   net.addBridge(node, 'cni0'); node.addAddress('cni0', '10.244.1.1/24'); node.setUp('cni0');
 *   net.addVeth(pod, 'eth0', node, 'veth-a'); net.setMaster(node, 'veth-a', 'cni0');
 *   pod.addAddress('eth0', '10.244.1.2/24'); pod.setUp('eth0'); node.setUp('veth-a');
 *   pod.addRoute({ dst: 'default', via: '10.244.1.1', dev: 'eth0' });
 *   net.ping(pod, '10.244.1.1', {}, (r) => r.outcome)   // => 'response' about 0.1 ms of hops later
 */
export interface PacketNetworkOptions {
  hopLatencyMs?: number;
  /**
   * The decision every vxlan device runs for a packet routed out of it (exercise `vxlan-encap`,
   * given by the composition root). A network without one has no vxlan devices.
   */
  vxlanEncap?: VxlanEncapFn;
  /**
   * The walk of a packet through a netfilter table (exercise `netfilter-eval`, given by the
   * composition root).
   */
  netfilterEval: NetfilterEvalFn;
}

export class PacketNetwork {
  readonly namespaces = new Map<string, NetNamespace>();
  readonly datapath: Datapath;
  readonly sockets: Sockets;
  private macs = 0;
  private ids = 0;

  constructor(
    readonly sim: Simulation,
    /** How every namespace's routing table chooses a route (exercise route-lookup), from the composition root. */
    private readonly routeLookup: RouteLookupFn,
    options: PacketNetworkOptions,
  ) {
    this.sockets = new Sockets(sim, () => this.datapath);
    this.datapath = new Datapath((name) => this.namespaces.get(name)!, options.hopLatencyMs ?? 0.05, () => ++this.ids, this.sockets, sim.rng('net/nat'), options.vxlanEncap);
    this.vxlanEncap = options.vxlanEncap;
    this.netfilterEval = options.netfilterEval;
  }

  private readonly vxlanEncap: VxlanEncapFn | undefined;
  private readonly netfilterEval: NetfilterEvalFn;

  addNamespace(name: string, options: { root?: boolean } = {}): NetNamespace {
    if (this.namespaces.has(name)) throw new Error(`Cannot create namespace file "/var/run/netns/${name}": File exists`);
    const ns = new NetNamespace(name, options.root ?? false, this.sim.rng(`net/netfilter/${name}`), new Interface(name, 'lo', 'loopback', '00:00:00:00:00:00'), this.routeLookup, this.netfilterEval);
    this.namespaces.set(name, ns);
    return ns;
  }

  /** Deletes a namespace and its devices (a veth's other end goes with it, as in Linux). */
  deleteNamespace(name: string): void {
    const ns = this.namespace(name);
    for (const dev of [...ns.interfaces.keys()]) if (dev !== 'lo') this.deleteInterface(ns, dev);
    this.namespaces.delete(name);
  }

  namespace(name: string): NetNamespace {
    const ns = this.namespaces.get(name);
    if (ns === undefined) throw new Error(`Cannot open network namespace "${name}": No such file or directory`);
    return ns;
  }

  /**
   * `ip link add aName type veth peer name bName` with each end in its namespace (both down);
   * MACs from the network's counter unless given (a CNI plugin's random ones).
   */
  addVeth(a: NetNamespace, aName: string, b: NetNamespace, bName: string, macs?: [string, string]): [Interface, Interface] {
    const x = this.addDevice(a, aName, 'veth', macs?.[0]);
    const y = this.addDevice(b, bName, 'veth', macs?.[1]);
    x.peer = y;
    y.peer = x;
    return [x, y];
  }

  /** `ip link add name type bridge`. */
  addBridge(ns: NetNamespace, name: string, mac?: string): Interface {
    return this.addDevice(ns, name, 'bridge', mac);
  }

  /** `ip link add name type dummy`. */
  addDummy(ns: NetNamespace, name: string): Interface {
    return this.addDevice(ns, name, 'dummy');
  }

  /**
   * `ip link add name type vxlan id <vni> local <ip> dev <lower> dstport <port> nolearning`
   * (down, with the given MAC); its MTU is the lower device's less VXLAN's 50 bytes.
   */
  addVxlan(ns: NetNamespace, name: string, options: VxlanOptions, mac: string): Interface {
    if (this.vxlanEncap === undefined) throw new Error(`cannot add vxlan device ${name}: this network was made without a VXLAN encapsulation decision (PacketNetworkOptions.vxlanEncap)`);
    const lower = ns.device(options.dev);
    const d = this.addDevice(ns, name, 'vxlan', mac);
    d.vxlan = new Vxlan(options);
    d.mtu = lower.mtu - VXLAN_HEADROOM;
    return d;
  }

  /** `ip link set dev master bridge`. */
  setMaster(ns: NetNamespace, dev: string, bridge: string): void {
    const d = ns.device(dev);
    const br = ns.device(bridge);
    if (br.kind !== 'bridge') throw new Error(`Error: Device ${bridge} is not a bridge.`);
    d.master = br;
    br.ports.push(d);
  }

  /** `ip link del dev`: a veth takes its peer with it; a bridge frees its ports. */
  deleteInterface(ns: NetNamespace, dev: string): void {
    const d = ns.device(dev);
    if (d.master !== undefined) {
      d.master.ports.splice(d.master.ports.indexOf(d), 1);
      d.master.fdb!.forgetPort(d.name);
    }
    for (const port of d.ports) port.master = undefined;
    ns.removeDevice(dev);
    const peer = d.peer;
    if (peer !== undefined) {
      peer.peer = undefined;
      d.peer = undefined;
      this.deleteInterface(this.namespace(peer.ns), peer.name);
    }
  }

  listen(ns: NetNamespace, proto: 'udp' | 'tcp', port: number, handler: Handler): () => void {
    return this.sockets.listen(ns, proto, port, handler);
  }

  request(from: NetNamespace, options: RequestOptions, done: (r: ExchangeResult) => void): void {
    this.sockets.request(from, options, done);
  }

  ping(from: NetNamespace, dst: string, options: { ttl?: number; timeoutMs?: number }, done: (r: ExchangeResult) => void): void {
    this.sockets.ping(from, dst, options, done);
  }

  private addDevice(ns: NetNamespace, name: string, kind: 'veth' | 'bridge' | 'dummy' | 'vxlan', mac?: string): Interface {
    if (ns.interfaces.has(name)) throw new Error('RTNETLINK answers: File exists');
    const d = new Interface(ns.name, name, kind, mac ?? macFromCounter(++this.macs));
    ns.interfaces.set(name, d);
    return d;
  }
}
