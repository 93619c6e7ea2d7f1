import { BROADCAST_MAC, type Interface } from './interfaces';
import { formatIp, type Ip } from './ipv4';
import type { NetNamespace } from './namespace';
import { natAt, track, type Tracked, type Walk } from './nat';
import type { MatchContext } from './netfilter-rule';
import { copyPacket, flowText, ICMP, ipLength, isIcmpError, type Packet } from './packet';
import type { Rng } from '../sim/rng';
import type { Route } from './route-lookup-contract';
import { innerOf } from './conntrack';
import { vxlanDevicesOn, wrap } from './vxlan';
import type { VxlanEncapFn } from './vxlan-contract';

/**
 * The kernel's packet path, walked synchronously hop by hop with a virtual clock (w.t) that
 * advances by the hop latency at every wire crossing. In a namespace:
 *
 *   local output:  route -> conntrack -> OUTPUT nat, filter -> POSTROUTING nat -> ARP -> tx
 *   receive:       rx -> (bridge port: learn, forward / flood / up) -> conntrack -> PREROUTING nat
 *                  -> local? INPUT filter -> IPVS (a virtual service: scheduled, DNATed, sent on
 *                            through OUTPUT filter, POSTROUTING nat) -> INPUT nat
 *                            -> deliver (socket, echo, else port unreachable / RST)
 *                  -> else ip_forward? (no: dropped) -> route (none: ICMP net unreachable)
 *                     -> TTL <= 1: ICMP time exceeded; else TTL-1 -> FORWARD filter
 *                     -> POSTROUTING nat -> ARP (no answer: ICMP host unreachable) -> tx
 *
 *   dp.output(podA, udp to 10.96.0.10:53, w)   // => undefined (sent; hops in w.trace), or 'ENETUNREACH'
 *
 * Each route is the namespace's table's choice (exercise route-lookup); a lookup that throws
 * counts as no route, its error in the trace.
 *
 * Local traffic (to the namespace's own addresses) goes out and back on lo without PREROUTING
 * (its nat was decided at OUTPUT). A veth crossing into another namespace clears the mark.
 * With bridge-nf-call-iptables, bridged frames pass PREROUTING, FORWARD and POSTROUTING with
 * -i/-o the bridge; a DNAT there sends them up to be routed.
 *
 * A vxlan device (vxlan.ts) wraps what is sent out of it and hands the outer UDP packet to
 * local output (an encap hop); a UDP packet delivered locally to a vxlan device's port is
 * unwrapped there (a decap hop) and its inner packet received on the device.
 */
export interface SocketLayer {
  /** Hands a locally delivered packet to a socket; false when none takes it. */
  deliver(ns: NetNamespace, p: Packet, w: Walk): boolean;
}

export class Datapath {
  private readonly ctx: MatchContext;

  constructor(
    private readonly nsOf: (name: string) => NetNamespace,
    readonly hopLatencyMs: number,
    private readonly nextId: () => number,
    private readonly sockets: SocketLayer,
    rng: Rng,
    /** The encapsulation decision of vxlan devices (exercise vxlan-encap). */
    private readonly vxlanEncap?: VxlanEncapFn,
  ) {
    this.ctx = { pkt: undefined as unknown as Packet, inDev: '', outDev: '', ctState: 0, local: new Set(), rng };
  }

  /** Sends a locally made packet; returns the errno the sender sees at once, or undefined. */
  output(ns: NetNamespace, p: Packet, w: Walk): 'ENETUNREACH' | 'EHOSTUNREACH' | 'EPERM' | undefined {
    let route = this.route(ns, p, w);
    if (route === 'none') return this.drop(ns, p, w, 'no route to host (ENETUNREACH)'), 'ENETUNREACH';
    if (p.src === 0) p.src = route === 'local' ? p.dst : ns.sourceFor(route, p.dst);
    const tr = track(ns, p, w);
    const dst = p.dst;
    const ctx = this.context(ns, p, '', route === 'local' ? 'lo' : route.dev, tr, w);
    if (natAt(ns, 'OUTPUT', p, tr, ctx, w, () => 0) === 'DROP') return this.drop(ns, p, w, 'nat OUTPUT'), 'EPERM';
    if (p.dst !== dst) {
      route = this.route(ns, p, w);
      if (route === 'none') return this.drop(ns, p, w, 'no route to host (ENETUNREACH)'), 'ENETUNREACH';
    }
    const outDev = route === 'local' ? 'lo' : route.dev;
    if (!this.filter(ns, 'OUTPUT', p, tr, '', outDev, w)) return 'EPERM';
    const out = route === 'local' ? undefined : ns.device(route.dev);
    const nexthop = route === 'local' ? p.dst : route.via ?? p.dst;
    if (natAt(ns, 'POSTROUTING', p, tr, this.context(ns, p, '', outDev, tr, w), w, () => out?.addressFor(nexthop) ?? 0) === 'DROP') {
      return this.drop(ns, p, w, 'nat POSTROUTING'), 'EPERM';
    }
    if (route === 'local') {
      w.trace?.wire('tx', w.t, ns.name, 'lo', p);
      w.trace?.wire('rx', w.t, ns.name, 'lo', p);
      this.inputLocal(ns, p, tr, 'lo', w);
      return undefined;
    }
    if (tr.entry !== undefined) ns.conntrack.confirm(tr.entry);
    return this.xmit(ns, out!, nexthop, p, w) ? undefined : (this.drop(ns, p, w, `no answer to ARP for ${formatIp(nexthop)}`), 'EHOSTUNREACH');
  }

  /** A packet arriving on dev. */
  receive(ns: NetNamespace, dev: Interface, p: Packet, w: Walk): void {
    w.trace?.wire('rx', w.t, ns.name, dev.name, p);
    if (dev.master !== undefined) return this.bridgeInput(ns, dev.master, dev, p, w);
    if (p.dstMac !== dev.mac && p.dstMac !== BROADCAST_MAC) return; // another host's frame: the NIC ignores it
    this.ipInput(ns, dev.name, p, w);
  }

  private ipInput(ns: NetNamespace, inDev: string, p: Packet, w: Walk, tracked?: Tracked): void {
    const tr = tracked ?? track(ns, p, w);
    if (tracked === undefined && natAt(ns, 'PREROUTING', p, tr, this.context(ns, p, inDev, '', tr, w), w, () => 0) === 'DROP') {
      return this.drop(ns, p, w, 'nat PREROUTING');
    }
    if (ns.isLocal(p.dst)) {
      w.trace?.add({ kind: 'route', at: w.t, ns: ns.name, packetId: p.id, dst: p.dst, route: `local ${formatIp(p.dst)} dev ${inDev}` });
      return this.inputLocal(ns, p, tr, inDev, w);
    }
    if (!ns.ipForward) return this.drop(ns, p, w, 'not for this host and net.ipv4.ip_forward = 0');
    const route = this.route(ns, p, w);
    if (route === 'none' || route === 'local') return this.icmpError(ns, p, ICMP.DEST_UNREACH, ICMP.NET_UNREACH, 0, w);
    if (p.ttl <= 1) return this.icmpError(ns, p, ICMP.TIME_EXCEEDED, 0, 0, w);
    p.ttl--;
    w.trace?.add({ kind: 'forward', at: w.t, ns: ns.name, packetId: p.id, inDev, outDev: route.dev, ttl: p.ttl });
    if (!this.filter(ns, 'FORWARD', p, tr, inDev, route.dev, w)) return;
    this.postroute(ns, p, tr, inDev, route, w);
  }

  /** POSTROUTING nat, conntrack confirmation, then out of the route's device (no neighbour: ICMP host unreachable). */
  private postroute(ns: NetNamespace, p: Packet, tr: Tracked, inDev: string, route: Route, w: Walk): void {
    const out = ns.device(route.dev);
    const nexthop = route.via ?? p.dst;
    if (natAt(ns, 'POSTROUTING', p, tr, this.context(ns, p, inDev, route.dev, tr, w), w, () => out.addressFor(nexthop) ?? 0) === 'DROP') {
      return this.drop(ns, p, w, 'nat POSTROUTING');
    }
    if (tr.entry !== undefined) ns.conntrack.confirm(tr.entry);
    if (!this.xmit(ns, out, nexthop, p, w)) this.icmpError(ns, p, ICMP.DEST_UNREACH, ICMP.HOST_UNREACH, 0, w);
  }

  /**
   * IPVS at LOCAL_IN (ipvs.ts): a new connection to a virtual service is scheduled to a real
   * server, DNATed there (the choice kept in its conntrack entry) and sent on through OUTPUT
   * filter and POSTROUTING nat; no real server, an ICMP port unreachable. false: not IPVS's.
   */
  private ipvsInput(ns: NetNamespace, p: Packet, tr: Tracked, w: Walk): boolean {
    if (p.proto === 'icmp' || !tr.isNew || tr.entry === undefined) return false;
    const vs = ns.ipvs.lookup(p.proto, p.dst, p.dport);
    if (vs === undefined) return false;
    const rs = ns.ipvs.schedule(vs, tr.entry, w.t);
    const service = `${vs.proto.toUpperCase()} ${formatIp(vs.ip)}:${vs.port} ${vs.scheduler}`;
    w.trace?.add({ kind: 'ipvs', at: w.t, ns: ns.name, packetId: p.id, service, realServer: rs === undefined ? undefined : `${formatIp(rs.ip)}:${rs.port}` });
    if (rs === undefined) {
      this.icmpError(ns, p, ICMP.DEST_UNREACH, ICMP.PORT_UNREACH, p.dst, w);
      return true;
    }
    const before = w.trace === undefined ? '' : flowText(p);
    ns.conntrack.setDnat(tr.entry, rs.ip, rs.port);
    p.dst = rs.ip;
    p.dport = rs.port;
    w.trace?.add({ kind: 'rewrite', at: w.t, ns: ns.name, packetId: p.id, nat: 'IPVS DNAT', before, after: flowText(p) });
    const route = this.route(ns, p, w);
    if (route === 'local') return this.inputLocal(ns, p, tr, 'lo', w), true;
    if (route === 'none') return this.icmpError(ns, p, ICMP.DEST_UNREACH, ICMP.NET_UNREACH, 0, w), true;
    if (!this.filter(ns, 'OUTPUT', p, tr, '', route.dev, w)) return true;
    this.postroute(ns, p, tr, '', route, w);
    return true;
  }

  private inputLocal(ns: NetNamespace, p: Packet, tr: Tracked, inDev: string, w: Walk): void {
    if (!this.filter(ns, 'INPUT', p, tr, inDev, '', w)) return;
    if (this.ipvsInput(ns, p, tr, w)) return;
    if (natAt(ns, 'INPUT', p, tr, this.context(ns, p, inDev, '', tr, w), w, () => 0) === 'DROP') return this.drop(ns, p, w, 'nat INPUT');
    if (tr.entry !== undefined) ns.conntrack.confirm(tr.entry);
    if (p.proto === 'icmp' && p.icmpType === ICMP.ECHO_REQUEST) {
      w.trace?.add({ kind: 'deliver', at: w.t, ns: ns.name, packetId: p.id, to: 'kernel (echo request)' });
      this.output(ns, this.packet(Object.assign({}, p, { src: p.dst, dst: p.src, icmpType: ICMP.ECHO_REPLY, ttl: 64 })), w);
      return;
    }
    if (p.proto === 'udp' && this.vxlanInput(ns, p, w)) return;
    if (this.sockets.deliver(ns, p, w)) return;
    if (p.proto === 'udp') {
      this.drop(ns, p, w, `no socket on udp port ${p.dport}`);
      this.icmpError(ns, p, ICMP.DEST_UNREACH, ICMP.PORT_UNREACH, p.dst, w);
    } else if (p.proto === 'tcp' && p.flags !== 'R.' && p.flags !== 'R') {
      this.drop(ns, p, w, `no socket on tcp port ${p.dport}: reset`);
      this.reset(ns, p, w);
    } else this.drop(ns, p, w, 'no socket');
  }

  private bridgeInput(ns: NetNamespace, br: Interface, port: Interface, p: Packet, w: Walk): void {
    br.fdb!.learn(p.srcMac, port.name, w.t);
    if (p.dstMac === br.mac) {
      w.trace?.add({ kind: 'bridge', at: w.t, ns: ns.name, packetId: p.id, bridge: br.name, inPort: port.name, action: 'local', outPorts: [] });
      w.trace?.wire('rx', w.t, ns.name, br.name, p);
      return this.ipInput(ns, br.name, p, w);
    }
    let out: Interface | undefined;
    const known = br.fdb!.lookup(p.dstMac, w.t);
    if (known !== undefined) {
      out = ns.interfaces.get(known);
      if (out === port && !port.hairpin) return this.drop(ns, p, w, `bridge ${br.name}: would leave by its ingress port ${port.name} (hairpin off)`);
      w.trace?.add({ kind: 'bridge', at: w.t, ns: ns.name, packetId: p.id, bridge: br.name, inPort: port.name, action: 'forward', outPorts: [known] });
    } else {
      const ports = br.ports.filter((q) => q !== port && q.up);
      w.trace?.add({ kind: 'bridge', at: w.t, ns: ns.name, packetId: p.id, bridge: br.name, inPort: port.name, action: 'flood', outPorts: ports.map((q) => q.name) });
      out = ports.find((q) => this.macBehind(q, p.dstMac, new Set()));
      if (out === undefined) return this.drop(ns, p, w, `bridge ${br.name}: flooded, no port leads to ${p.dstMac}`);
    }
    if (ns.bridgeNfCallIptables) {
      const tr = track(ns, p, w);
      const dst = p.dst;
      if (natAt(ns, 'PREROUTING', p, tr, this.context(ns, p, br.name, '', tr, w), w, () => 0) === 'DROP') return this.drop(ns, p, w, 'nat PREROUTING');
      if (p.dst !== dst) return this.ipInput(ns, br.name, p, w, tr);
      if (!this.filter(ns, 'FORWARD', p, tr, br.name, br.name, w)) return;
      if (natAt(ns, 'POSTROUTING', p, tr, this.context(ns, p, br.name, br.name, tr, w), w, () => br.addressFor(p.dst) ?? 0) === 'DROP') return;
      if (tr.entry !== undefined) ns.conntrack.confirm(tr.entry);
    }
    this.wireOut(ns, out!, p, w);
  }

  /** Resolves the next hop's MAC (recording a fresh resolution), then sends the frame out of dev. */
  private xmit(ns: NetNamespace, dev: Interface, nexthop: Ip, p: Packet, w: Walk): boolean {
    if (dev.kind === 'dummy') return this.drop(ns, p, w, `${dev.name} is a dummy device`), true;
    let mac = ns.neighbours.lookup(dev.name, nexthop, w.t);
    if (mac === undefined) {
      mac = this.arp(dev, nexthop, w.t);
      ns.neighbours.record(dev.name, nexthop, mac, w.t);
      w.trace?.add({ kind: 'arp', at: w.t, ns: ns.name, packetId: p.id, dev: dev.name, ip: nexthop, mac });
      if (mac === undefined) return false;
    }
    p.srcMac = dev.mac;
    p.dstMac = mac;
    if (dev.kind === 'vxlan') return this.vxlanXmit(ns, dev, p, w), true;
    if (dev.kind === 'bridge') {
      const port = dev.fdb!.lookup(mac, w.t);
      const ports = port === undefined ? dev.ports.filter((q) => q.up) : [ns.device(port)];
      w.trace?.wire('tx', w.t, ns.name, dev.name, p);
      w.trace?.add({ kind: 'bridge', at: w.t, ns: ns.name, packetId: p.id, bridge: dev.name, inPort: dev.name, action: port === undefined ? 'flood' : 'forward', outPorts: ports.map((q) => q.name) });
      const out = ports.find((q) => this.macBehind(q, mac!, new Set()));
      if (out === undefined) return this.drop(ns, p, w, `bridge ${dev.name}: no port leads to ${mac}`), true;
      this.wireOut(ns, out, p, w);
      return true;
    }
    this.wireOut(ns, dev, p, w);
    return true;
  }

  /** A frame sent out of a vxlan device: wrapped as its encapsulation decision says, and sent from this namespace; or dropped. */
  private vxlanXmit(ns: NetNamespace, dev: Interface, p: Packet, w: Walk): void {
    w.trace?.wire('tx', w.t, ns.name, dev.name, p);
    let outer: ReturnType<typeof wrap>;
    try {
      outer = wrap(this.vxlanEncap!, dev, p);
    } catch (e) {
      return this.drop(ns, p, w, `vxlan ${dev.name}: the encapsulation failed: ${(e as Error).message}`);
    }
    if ('drop' in outer) return this.drop(ns, p, w, `vxlan ${dev.name}: ${outer.drop}`);
    w.trace?.add({ kind: 'encap', at: w.t, ns: ns.name, packetId: p.id, dev: dev.name, vni: outer.vxlan!.vni, outer: flowText(outer), inner: flowText(p) });
    this.output(ns, outer, w);
  }

  /**
   * A UDP packet delivered here: a vxlan device's, if one (up) has its port. The device for its
   * VNI gets the inner frame, as received on its wire; no such device, it is dropped. false: no
   * vxlan socket on that port.
   */
  private vxlanInput(ns: NetNamespace, p: Packet, w: Walk): boolean {
    const devices = vxlanDevicesOn(ns.interfaces.values(), p.dport);
    if (devices.length === 0) return false;
    const vni = p.vxlan?.vni;
    const dev = devices.find((d) => d.vxlan!.vni === vni);
    if (dev === undefined) {
      this.drop(ns, p, w, vni === undefined ? `udp port ${p.dport}: not a VXLAN packet` : `vxlan: no device for VNI ${vni} on udp port ${p.dport}`);
      return true;
    }
    const inner = copyPacket(p.vxlan!.inner);
    w.trace?.add({ kind: 'decap', at: w.t, ns: ns.name, packetId: p.id, dev: dev.name, vni: vni!, outer: flowText(p), inner: flowText(inner) });
    this.receive(ns, dev, inner, w);
    return true;
  }

  /** A frame leaves by dev (a veth end) and, one hop later, arrives at its peer. */
  private wireOut(ns: NetNamespace, dev: Interface, p: Packet, w: Walk): void {
    w.trace?.wire('tx', w.t, ns.name, dev.name, p);
    const peer = dev.peer;
    if (peer === undefined || !peer.up || !dev.up) return this.drop(ns, p, w, `${dev.name}: link down`);
    w.t += this.hopLatencyMs;
    if (peer.ns !== ns.name) p.mark = 0;
    this.receive(this.nsOf(peer.ns), peer, p, w);
  }

  /** ARP over dev's link: the MAC of whoever answers for ip (any of its namespace's addresses), teaching bridges on the way. */
  private arp(dev: Interface, ip: Ip, now: number): string | undefined {
    const answer = (q: Interface, from: string, seen: Set<Interface>): string | undefined => {
      if (!q.up || seen.has(q)) return undefined;
      seen.add(q);
      if (q.master === undefined) return this.nsOf(q.ns).isLocal(ip) && ip >>> 24 !== 127 ? q.mac : undefined;
      const br = q.master;
      br.fdb!.learn(from, q.name, now);
      if (this.nsOf(br.ns).isLocal(ip)) return br.mac;
      for (const port of br.ports) {
        if (port === q || port.peer === undefined) continue;
        const mac = answer(port.peer, from, seen);
        if (mac !== undefined) return br.fdb!.learn(mac, port.name, now), mac;
      }
      return undefined;
    };
    if (dev.kind === 'bridge') {
      for (const port of dev.ports) {
        const mac = port.peer === undefined ? undefined : answer(port.peer, dev.mac, new Set());
        if (mac !== undefined) return dev.fdb!.learn(mac, port.name, now), mac;
      }
      return undefined;
    }
    return dev.peer === undefined ? undefined : answer(dev.peer, dev.mac, new Set());
  }

  /** Whether a frame for mac sent out of port reaches its owner. */
  private macBehind(port: Interface, mac: string, seen: Set<Interface>): boolean {
    const q = port.peer;
    if (q === undefined || seen.has(q)) return false;
    seen.add(q);
    if (q.mac === mac) return true;
    const br = q.master;
    return br !== undefined && (br.mac === mac || br.ports.some((r) => r !== q && this.macBehind(r, mac, seen)));
  }

  private route(ns: NetNamespace, p: Packet, w: Walk) {
    if (ns.isLocal(p.dst)) {
      w.trace?.add({ kind: 'route', at: w.t, ns: ns.name, packetId: p.id, dst: p.dst, route: `local ${formatIp(p.dst)} dev lo` });
      return 'local' as const;
    }
    let r: Route | undefined;
    try {
      r = ns.routes.lookup(p.dst);
    } catch (e) {
      // The lookup itself failed (exercise code that throws): the packet has no route, and the trace says why.
      w.trace?.add({ kind: 'drop', at: w.t, ns: ns.name, packetId: p.id, reason: `route lookup failed: ${e instanceof Error ? e.message : String(e)}` });
      return 'none' as const;
    }
    w.trace?.add({ kind: 'route', at: w.t, ns: ns.name, packetId: p.id, dst: p.dst, route: r?.text });
    return r ?? ('none' as const);
  }

  /** The filter table at a hook; false when the packet is dropped or rejected there. */
  private filter(ns: NetNamespace, hook: 'INPUT' | 'FORWARD' | 'OUTPUT', p: Packet, tr: Tracked, inDev: string, outDev: string, w: Walk): boolean {
    if (ns.netfilter.isEmpty('filter', hook)) return true;
    const t = ns.netfilter.evaluate('filter', hook, this.context(ns, p, inDev, outDev, tr, w), { trace: w.trace, at: w.t, ns: ns.name }, w.trace);
    if (t.t === 'ACCEPT') return true;
    this.drop(ns, p, w, `filter ${hook}: ${t.t}`);
    if (t.t === 'REJECT') {
      if (t.with === 'tcp-reset' && p.proto === 'tcp') this.reset(ns, p, w);
      else {
        const code = t.with === 'icmp-net-unreachable' ? ICMP.NET_UNREACH : t.with === 'icmp-host-unreachable' ? ICMP.HOST_UNREACH : ICMP.PORT_UNREACH;
        this.icmpError(ns, p, ICMP.DEST_UNREACH, code, ns.isLocal(p.dst) ? p.dst : 0, w);
      }
    }
    return false;
  }

  /** An ICMP error back to the packet's sender (never about an ICMP error), from src (0: as routed). */
  private icmpError(ns: NetNamespace, p: Packet, type: number, code: number, src: Ip, w: Walk): void {
    if (type === ICMP.TIME_EXCEEDED) this.drop(ns, p, w, 'TTL expired in transit');
    else if (code !== ICMP.PORT_UNREACH) this.drop(ns, p, w, code === ICMP.NET_UNREACH ? 'no route: net unreachable' : 'no answer to ARP: host unreachable');
    if (isIcmpError(p)) return;
    const length = 8 + Math.min(ipLength(p), 548);
    this.output(ns, this.packet({ src, dst: p.src, proto: 'icmp', icmpType: type, icmpCode: code, inner: innerOf(p), length, sport: 0, dport: 0 }), w);
  }

  private reset(ns: NetNamespace, p: Packet, w: Walk): void {
    this.output(ns, this.packet({ src: p.dst, dst: p.src, proto: 'tcp', sport: p.dport, dport: p.sport, flags: 'R.', length: 0 }), w);
  }

  /** A new packet made by the kernel (reply, error, reset). */
  packet(fields: Partial<Packet>): Packet {
    return { srcMac: '', dstMac: '', src: 0, dst: 0, proto: 'udp', sport: 0, dport: 0, ttl: 64, length: 0, flags: '', icmpType: 0, icmpCode: 0, seq: 0, inner: undefined, mark: 0, payload: undefined, ...fields, id: this.nextId() };
  }

  private drop(ns: NetNamespace, p: Packet, w: Walk, reason: string): void {
    w.trace?.add({ kind: 'drop', at: w.t, ns: ns.name, packetId: p.id, reason });
  }

  private context(ns: NetNamespace, p: Packet, inDev: string, outDev: string, tr: Tracked, w: Walk): MatchContext {
    const c = this.ctx;
    c.pkt = p;
    c.nowMs = w.t;
    c.recent = ns.netfilter.recent;
    c.inDev = inDev;
    c.outDev = outDev;
    c.ctState = tr.state;
    c.local = ns.localAddresses;
    return c;
  }
}
