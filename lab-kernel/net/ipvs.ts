import type { CtEntry } from './conntrack';
import { formatIp, type Ip } from './ipv4';

/**
 * IPVS, the kernel's layer-4 load balancer (net/netfilter/ipvs), for one namespace: a table of
 * virtual services (protocol, address, port, scheduler), each with its real servers (address,
 * port, weight), all forwarded by masquerading (NAT), the only method kube-proxy uses.
 *
 *   ipvs.addService('tcp', 10.96.0.20, 80)                    // ipvsadm -A -t 10.96.0.20:80 -s rr
 *   ipvs.addRealServer('tcp', 10.96.0.20, 80, 10.244.1.2, 80)  // ipvsadm -a -t 10.96.0.20:80 -r 10.244.1.2:80 -m -w 1
 *   ipvs.addRealServer('tcp', 10.96.0.20, 80, 10.244.2.2, 80)
 *   const vs = ipvs.lookup('tcp', 10.96.0.20, 80)              // one hash lookup, however many services there are
 *   ipvs.schedule(vs, conn, now)   // => 10.244.1.2:80, then 10.244.2.2:80, then 10.244.1.2:80 (rr)
 *   ipvs.list(now)
 *   // => ['IP Virtual Server version 1.2.1 (size=4096)', 'Prot LocalAddress:Port Scheduler Flags',
 *   //     '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
 *   //     'TCP  10.96.0.20:80 rr', '  -> 10.244.1.2:80                Masq    1      0          2', ...]
 *
 * Where it runs: the datapath asks it at LOCAL_IN (after the filter table's INPUT, before nat
 * INPUT), so only a packet addressed to one of the namespace's own addresses reaches it; that is
 * why kube-proxy binds every ClusterIP to the dummy device kube-ipvs0. A connection's first
 * packet is scheduled to a real server and its destination rewritten; the choice is written into
 * the packet's conntrack entry (as IPVS does with net.ipv4.vs.conntrack=1, which kube-proxy
 * sets), so the rest of the connection and its replies are rewritten from there, and the packet
 * leaves through OUTPUT and POSTROUTING. No real server: ICMP port unreachable to the client.
 *
 * Schedulers: rr only (kube-proxy's default): each real server of weight > 0 in turn, in the
 * order they were added. Not modelled: the other schedulers, persistence, IPVS's own connection
 * timeouts (a connection lives as long as its conntrack entry), direct routing and tunnelling.
 * `ipvsadm -Ln` is printed with ipvsadm's widths ("  -> %-28s %-7s %-6d %-10u %-10u"), less the
 * trailing blanks, abridged: the lab's TCP exchange is never ESTABLISHED, so every live
 * connection counts as InActConn.
 */
export type IpvsProto = 'tcp' | 'udp';

export interface RealServer {
  readonly ip: Ip;
  readonly port: number;
  weight: number;
}

export interface VirtualService {
  readonly proto: IpvsProto;
  readonly ip: Ip;
  readonly port: number;
  readonly scheduler: 'rr';
  readonly realServers: RealServer[];
  /** rr's place: the index of the real server chosen last. */
  last: number;
}

export class Ipvs {
  private readonly table = new Map<string, VirtualService>();
  /** Connections scheduled, with the real server each went to (for the counters). */
  private readonly conns = new Map<CtEntry, { vs: VirtualService; rs: RealServer }>();

  /** `ipvsadm -A -t|-u ip:port -s rr`. */
  addService(proto: IpvsProto, ip: Ip, port: number): VirtualService {
    const k = key(proto, ip, port);
    if (this.table.has(k)) throw new Error('Service already exists');
    const vs: VirtualService = { proto, ip, port, scheduler: 'rr', realServers: [], last: -1 };
    this.table.set(k, vs);
    return vs;
  }

  /** `ipvsadm -D -t|-u ip:port`. */
  deleteService(proto: IpvsProto, ip: Ip, port: number): void {
    if (!this.table.delete(key(proto, ip, port))) throw new Error('No such service');
  }

  /** `ipvsadm -a -t|-u vip:vport -r ip:port -m -w weight`. */
  addRealServer(proto: IpvsProto, vip: Ip, vport: number, ip: Ip, port: number, weight = 1): void {
    const vs = this.mustGet(proto, vip, vport);
    if (vs.realServers.some((r) => r.ip === ip && r.port === port)) throw new Error('Destination already exists');
    vs.realServers.push({ ip, port, weight });
  }

  /** `ipvsadm -d -t|-u vip:vport -r ip:port`. */
  deleteRealServer(proto: IpvsProto, vip: Ip, vport: number, ip: Ip, port: number): void {
    const vs = this.mustGet(proto, vip, vport);
    const i = vs.realServers.findIndex((r) => r.ip === ip && r.port === port);
    if (i < 0) throw new Error('No such destination');
    vs.realServers.splice(i, 1);
    if (vs.last >= i) vs.last--;
  }

  /** The virtual service at proto ip:port: one hash lookup. */
  lookup(proto: IpvsProto, ip: Ip, port: number): VirtualService | undefined {
    return this.table.get(key(proto, ip, port));
  }

  services(): VirtualService[] {
    return [...this.table.values()];
  }

  /** rr: the next real server of weight > 0 after the last one chosen, remembered for conn; undefined when none. */
  schedule(vs: VirtualService, conn: CtEntry, now: number): RealServer | undefined {
    const n = vs.realServers.length;
    for (let step = 1; step <= n; step++) {
      const i = (vs.last + step) % n;
      const rs = vs.realServers[i];
      if (rs.weight <= 0) continue;
      vs.last = i;
      this.prune(now);
      this.conns.set(conn, { vs, rs });
      return rs;
    }
    return undefined;
  }

  /** `ipvsadm -Ln`: the header, then each service sorted by protocol, address and port, its real servers by address and port (libipvs: ipvs_cmp_services, ipvs_cmp_dests). */
  list(now: number): string[] {
    this.prune(now);
    const inactive = new Map<RealServer, number>();
    for (const { rs } of this.conns.values()) inactive.set(rs, (inactive.get(rs) ?? 0) + 1);
    const out = ['IP Virtual Server version 1.2.1 (size=4096)', 'Prot LocalAddress:Port Scheduler Flags', '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn'];
    const sorted = this.services().sort((a, b) => a.proto.localeCompare(b.proto) || a.ip - b.ip || a.port - b.port);
    for (const vs of sorted) {
      out.push(`${vs.proto.toUpperCase()}  ${formatIp(vs.ip)}:${vs.port} ${vs.scheduler}`);
      for (const rs of [...vs.realServers].sort((a, b) => a.ip - b.ip || a.port - b.port)) {
        out.push(`  -> ${`${formatIp(rs.ip)}:${rs.port}`.padEnd(28)} Masq    ${String(rs.weight).padEnd(6)} ${'0'.padEnd(10)} ${inactive.get(rs) ?? 0}`);
      }
    }
    return out;
  }

  private prune(now: number): void {
    for (const c of this.conns.keys()) if (c.expires <= now) this.conns.delete(c);
  }

  private mustGet(proto: IpvsProto, ip: Ip, port: number): VirtualService {
    const vs = this.lookup(proto, ip, port);
    if (vs === undefined) throw new Error('No such service');
    return vs;
  }
}

/** The service's hash key: protocol, address and port as characters (no formatting per packet). */
function key(proto: IpvsProto, ip: Ip, port: number): string {
  return String.fromCharCode(proto === 'tcp' ? 6 : 17, ip >>> 16, ip & 0xffff, port);
}
