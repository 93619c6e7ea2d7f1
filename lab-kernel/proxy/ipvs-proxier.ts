import type { Client } from '../client/client';
import { formatIp, parseIp, type Ip } from '../net/ipv4';
import type { IpvsProto } from '../net/ipvs';
import type { NetNamespace } from '../net/namespace';
import type { PacketNetwork } from '../net/packet-network';
import type { Simulation } from '../sim/simulation';
import type { ProxyNode, ServicePortInfo } from './iptables-rules-contract';
import { MASQUERADE_MARK } from './iptables-rules-contract';
import { RuleRestorer, type Jump } from './jump-chains';
import { SYNC_PERIOD_MS } from './kube-proxy';
import type { NodeNetfilter } from './node-netfilter';
import { ServiceWatch, type Proxier } from './service-watch';

/**
 * kube-proxy in IPVS mode (--proxy-mode=ipvs; pkg/proxy/ipvs/proxier.go, 1.32), one per node:
 * the same informers and BoundedFrequencyRunner as iptables mode (service-watch.ts), but each
 * Service port becomes an IPVS virtual service (net/ipvs.ts) instead of a chain of rules:
 *
 *   a Service port with a ClusterIP   virtual service proto ClusterIP:port, scheduler rr (--ipvs-scheduler's default),
 *                                     a real server (Masq, weight 1) per ready endpoint
 *   its ClusterIP                     bound as a /32 to the dummy device kube-ipvs0 (made at the first sync, left
 *                                     down, as kube-proxy leaves it), so the node takes the packet as local and
 *                                     IPVS sees it at LOCAL_IN
 *   a sync                            adds what is missing, removes virtual services, real servers and kube-ipvs0
 *                                     addresses no Service wants any more
 *
 *   const proxy = new IpvsProxier(sim, client, { name: 'node-1', clusterCIDR: '10.244.0.0/16' }, { net, host }, namespaceNetfilter(host, now));
 *   kubectl apply web (ClusterIP 10.96.0.20, 2 ready endpoints)
 *   // => within a second, ipvsadm -Ln on the node: 'TCP  10.96.0.20:80 rr', '  -> 10.244.1.2:80 Masq 1 0 0', ...
 *
 * The few iptables rules IPVS mode still needs are simplified: kube-proxy matches the ipset
 * KUBE-CLUSTER-IP (every ClusterIP:port, a hash) with `-m set --match-set KUBE-CLUSTER-IP
 * dst,dst`; the lab has no ipset, so those two rules match the Service range 10.96.0.0/12
 * instead, which keeps them as few as upstream's whatever the number of Services:
 *   nat KUBE-SERVICES     ! -s <cluster CIDR> to a ClusterIP -> KUBE-MARK-MASQ (off-cluster clients are
 *                         masqueraded); to a ClusterIP -> ACCEPT
 *   nat KUBE-POSTROUTING  marked 0x4000: MASQUERADE --random-fully
 * with the jumps from PREROUTING and OUTPUT (to KUBE-SERVICES) and POSTROUTING.
 * Not modelled: NodePorts, externalIPs and load balancers (KUBE-NODE-PORT and its ipsets),
 * KUBE-LOOP-BACK (a pod reaching itself through its Service), the filter table's chains,
 * traffic policies, session affinity, graceful termination of real servers (weight 0 until
 * their connections end: here they go at once), and the canary monitor.
 */
export const DUMMY_DEVICE = 'kube-ipvs0';
/** Stands in for the ipset KUBE-CLUSTER-IP: kubeadm's --service-cluster-ip-range. */
export const SERVICE_RANGE = '10.96.0.0/12';

const JUMPS: ReadonlyArray<Jump> = [
  ['nat', 'OUTPUT', 'KUBE-SERVICES', '-m comment --comment "kubernetes service portals"'],
  ['nat', 'PREROUTING', 'KUBE-SERVICES', '-m comment --comment "kubernetes service portals"'],
  ['nat', 'POSTROUTING', 'KUBE-POSTROUTING', '-m comment --comment "kubernetes postrouting rules"'],
];

/** The node as the IPVS proxier changes it: its root namespace (kube-ipvs0, the IPVS table) and the network that makes devices. */
export interface IpvsHost {
  net: PacketNetwork;
  host: NetNamespace;
}

export class IpvsProxier implements Proxier {
  readonly log: string[] = [];
  syncs = 0;
  private readonly watch: ServiceWatch;
  private readonly rules: RuleRestorer;

  constructor(
    sim: Simulation,
    client: Client,
    private readonly node: Readonly<ProxyNode>,
    private readonly machine: IpvsHost,
    netfilter: NodeNetfilter,
  ) {
    this.rules = new RuleRestorer(netfilter, JUMPS);
    this.watch = new ServiceWatch(sim, client, () => this.sync());
    this.watch.start();
  }

  hasSynced(): boolean {
    return this.watch.hasSynced();
  }

  shutDown(): void {
    this.watch.shutDown();
  }

  private sync(): void {
    const err = this.rules.restore(ipvsModeRules(this.node));
    if (err !== undefined) {
      this.log.push(`"Failed to execute iptables-restore" err=${JSON.stringify(err.message)}`);
      this.watch.runner.retryAfter(SYNC_PERIOD_MS);
      return;
    }
    this.syncIpvs(this.watch.servicePorts());
    this.syncs++;
  }

  /** Makes the IPVS table and kube-ipvs0's addresses what the Service ports ask for. */
  private syncIpvs(ports: readonly ServicePortInfo[]): void {
    const { net, host } = this.machine;
    if (!host.interfaces.has(DUMMY_DEVICE)) net.addDummy(host, DUMMY_DEVICE);
    const dummy = host.device(DUMMY_DEVICE);
    const wanted = new Map<string, { proto: IpvsProto; ip: Ip; port: number; servers: Array<[Ip, number]> }>();
    for (const sp of ports) {
      if (sp.protocol !== 'TCP' && sp.protocol !== 'UDP') continue;
      const proto = sp.protocol === 'TCP' ? 'tcp' : 'udp';
      const ip = parseIp(sp.clusterIP);
      const servers = sp.endpoints.filter((e) => e.ready).map((e): [Ip, number] => [parseIp(e.ip), e.port]);
      wanted.set(`${proto} ${ip} ${sp.port}`, { proto, ip, port: sp.port, servers });
    }
    const bound = new Set(dummy.addresses.map((a) => a.ip));
    for (const vs of host.ipvs.services()) {
      if (bound.has(vs.ip) && !wanted.has(`${vs.proto} ${vs.ip} ${vs.port}`)) host.ipvs.deleteService(vs.proto, vs.ip, vs.port);
    }
    for (const w of wanted.values()) {
      const vs = host.ipvs.lookup(w.proto, w.ip, w.port) ?? host.ipvs.addService(w.proto, w.ip, w.port);
      const keep = new Set(w.servers.map(([ip, port]) => `${ip}:${port}`));
      for (const rs of [...vs.realServers]) if (!keep.has(`${rs.ip}:${rs.port}`)) host.ipvs.deleteRealServer(w.proto, w.ip, w.port, rs.ip, rs.port);
      const have = new Set(vs.realServers.map((rs) => `${rs.ip}:${rs.port}`));
      for (const [ip, port] of w.servers) if (!have.has(`${ip}:${port}`)) host.ipvs.addRealServer(w.proto, w.ip, w.port, ip, port);
    }
    const ips = new Set([...wanted.values()].map((w) => w.ip));
    for (const ip of bound) if (!ips.has(ip)) host.removeAddress(DUMMY_DEVICE, ip);
    for (const ip of ips) if (!bound.has(ip)) host.addAddress(DUMMY_DEVICE, `${formatIp(ip)}/32`);
  }
}

/** The nat rules IPVS mode writes (simplified as the header says); the same whatever the Services. */
export function ipvsModeRules(node: Readonly<ProxyNode>): string {
  const masq = node.clusterCIDR === undefined ? [] : [`-A KUBE-SERVICES ! -s ${node.clusterCIDR} -d ${SERVICE_RANGE} -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -j KUBE-MARK-MASQ`];
  return [
    '*nat',
    ':KUBE-SERVICES - [0:0]',
    ':KUBE-POSTROUTING - [0:0]',
    ':KUBE-MARK-MASQ - [0:0]',
    ...masq,
    `-A KUBE-SERVICES -d ${SERVICE_RANGE} -j ACCEPT`,
    `-A KUBE-MARK-MASQ -j MARK --or-mark ${MASQUERADE_MARK}`,
    `-A KUBE-POSTROUTING -m mark ! --mark ${MASQUERADE_MARK}/${MASQUERADE_MARK} -j RETURN`,
    `-A KUBE-POSTROUTING -j MARK --xor-mark ${MASQUERADE_MARK}`,
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    'COMMIT',
    '',
  ].join('\n');
}
