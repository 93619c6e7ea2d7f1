import type { Client } from '../client/client';
import type { NetNamespace } from '../net/namespace';
import type { PacketNetwork } from '../net/packet-network';
import type { Simulation } from '../sim/simulation';
import type { EndpointInfo, ProxyNode, ServicePortInfo } from './iptables-rules-contract';
import { RuleRestorer, type Jump } from './jump-chains';
import { SYNC_PERIOD_MS } from './kube-proxy';
import type { NodeNetfilter } from './node-netfilter';
import { ServiceWatch, type Proxier } from './service-watch';

/**
 * kube-proxy in userspace mode (--proxy-mode=userspace; pkg/proxy/userspace, release-1.25, the
 * last release that had it: 1.26 removed it). kube-proxy itself carries every connection:
 *
 *   a Service port with a ClusterIP   kube-proxy listens on a port of the node (a random free one) for it
 *   nat KUBE-PORTALS-CONTAINER        (from PREROUTING) a pod's packet to ClusterIP:port -> REDIRECT --to-ports <that port>:
 *                                     to the node's own address on the interface it came in by (cni0)
 *   nat KUBE-PORTALS-HOST             (from OUTPUT) the node's own packet to ClusterIP:port -> DNAT to <node IP>:<that port>
 *   a connection accepted             kube-proxy picks an endpoint round-robin (LoadBalancerRR) and opens a second
 *                                     connection to it from the node, copying the request over and the answer back
 *
 *   -A KUBE-PORTALS-CONTAINER -d 10.96.0.20/32 -p tcp -m comment --comment "default/web" -m tcp --dport 80 -j REDIRECT --to-ports 48577
 *   -A KUBE-PORTALS-HOST -d 10.96.0.20/32 -p tcp -m comment --comment "default/web" -m tcp --dport 80 -j DNAT --to-destination 192.168.1.11:48577
 *
 * So each request crosses into user space and out again, two connections where the other modes
 * have one: the trace of a request shows the REDIRECT, the delivery to kube-proxy's listener, a
 * `process` hop, the second connection's packets to the endpoint and back, then the answer to
 * the client. The endpoint sees the node's address, not the client's.
 *
 * Simplified: only ready endpoints, tried once (upstream tries the next endpoint when a connect
 * fails; here the client times out); no NodePorts, externalIPs or load balancers
 * (KUBE-NODEPORT-*), no session affinity, no UDP idle timeouts; the proxy port is drawn from
 * the ephemeral range with a seeded stream rather than by the kernel's bind to port 0.
 */
const JUMPS: ReadonlyArray<Jump> = [
  ['nat', 'PREROUTING', 'KUBE-PORTALS-CONTAINER', '-m comment --comment "handle ClusterIPs; NOTE: this must be before the NodePort rules"'],
  ['nat', 'OUTPUT', 'KUBE-PORTALS-HOST', '-m comment --comment "handle ClusterIPs; NOTE: this must be before the NodePort rules"'],
];

/** The node as the userspace proxier uses it: its root namespace (where it listens) and its address. */
export interface UserspaceHost {
  net: PacketNetwork;
  host: NetNamespace;
  hostIP: string;
}

interface Portal {
  port: number;
  protocol: 'tcp' | 'udp';
  /** The port's key, to tell a changed Service port from an unchanged one. */
  key: string;
  endpoints: EndpointInfo[];
  /** LoadBalancerRR's index: the endpoint the next connection goes to. */
  next: number;
  close: () => void;
}

export class UserspaceProxier implements Proxier {
  readonly log: string[] = [];
  syncs = 0;
  private readonly watch: ServiceWatch;
  private readonly portals = new Map<string, Portal>();
  private readonly ports;
  private readonly iptables: RuleRestorer;

  constructor(
    sim: Simulation,
    client: Client,
    node: Readonly<ProxyNode>,
    private readonly machine: UserspaceHost,
    netfilter: NodeNetfilter,
  ) {
    this.iptables = new RuleRestorer(netfilter, JUMPS);
    this.ports = sim.rng(`kube-proxy/${node.name}/userspace-ports`);
    this.watch = new ServiceWatch(sim, client, () => this.sync());
    this.watch.start();
  }

  hasSynced(): boolean {
    return this.watch.hasSynced();
  }

  shutDown(): void {
    this.watch.shutDown();
    for (const p of this.portals.values()) p.close();
    this.portals.clear();
  }

  /** The port kube-proxy listens on for a Service port ('default/web:http'), if it proxies it. */
  proxyPort(servicePort: string): number | undefined {
    return this.portals.get(servicePort)?.port;
  }

  private sync(): void {
    const ports = this.watch.servicePorts().filter((sp) => sp.protocol === 'TCP' || sp.protocol === 'UDP');
    const names = new Set(ports.map((sp) => sp.name));
    for (const [name, p] of this.portals) {
      if (names.has(name)) continue;
      p.close();
      this.portals.delete(name);
    }
    for (const sp of ports) this.openPortal(sp);
    const err = this.iptables.restore(this.rules(ports));
    if (err !== undefined) {
      this.log.push(`"Failed to install iptables portal" err=${JSON.stringify(err.message)}`);
      this.watch.runner.retryAfter(SYNC_PERIOD_MS);
      return;
    }
    this.syncs++;
  }

  /** A listener for the Service port (again, if its ClusterIP, port or protocol changed); its endpoints brought up to date. */
  private openPortal(sp: ServicePortInfo): void {
    const key = `${sp.protocol} ${sp.clusterIP}:${sp.port}`;
    const endpoints = sp.endpoints.filter((e) => e.ready);
    const old = this.portals.get(sp.name);
    if (old !== undefined && old.key === key) {
      old.endpoints = endpoints;
      return;
    }
    old?.close();
    const { net, host } = this.machine;
    const protocol = sp.protocol === 'TCP' ? 'tcp' : 'udp';
    let port: number;
    do port = 32768 + this.ports.int(28232);
    while (host.listeners.has(`${protocol}:${port}`));
    const portal: Portal = { port, protocol, key, endpoints, next: 0, close: () => undefined };
    portal.close = net.listen(host, protocol, port, (req, reply) => {
      if (portal.endpoints.length === 0) return;
      const ep = portal.endpoints[portal.next % portal.endpoints.length];
      portal.next = (portal.next + 1) % portal.endpoints.length;
      req.trace?.add({ kind: 'process', at: net.sim.now(), ns: host.name, packetId: 0, process: 'kube-proxy (userspace)', what: `accepted a connection for ${sp.name} on :${port}; connecting to ${ep.ip}:${ep.port} (round robin)` });
      net.request(host, { proto: protocol, dst: ep.ip, port: ep.port, length: req.length, payload: req.payload, trace: req.trace }, (r) => {
        if (r.outcome !== 'response') return;
        req.trace?.add({ kind: 'process', at: net.sim.now(), ns: host.name, packetId: 0, process: 'kube-proxy (userspace)', what: `copying ${ep.ip}:${ep.port}'s answer back to the client` });
        reply(r.response);
      });
    });
    this.portals.set(sp.name, portal);
  }

  /** KUBE-PORTALS-CONTAINER and KUBE-PORTALS-HOST, a rule each per Service port. */
  private rules(ports: readonly ServicePortInfo[]): string {
    const out = ['*nat', ':KUBE-PORTALS-CONTAINER - [0:0]', ':KUBE-PORTALS-HOST - [0:0]'];
    for (const sp of ports) {
      const p = this.portals.get(sp.name)!;
      const common = `-m comment --comment "${sp.name}" -p ${p.protocol} -m ${p.protocol} -d ${sp.clusterIP}/32 --dport ${sp.port}`;
      out.push(`-A KUBE-PORTALS-CONTAINER ${common} -j REDIRECT --to-ports ${p.port}`);
      out.push(`-A KUBE-PORTALS-HOST ${common} -j DNAT --to-destination ${this.machine.hostIP}:${p.port}`);
    }
    out.push('COMMIT', '');
    return out.join('\n');
  }
}
