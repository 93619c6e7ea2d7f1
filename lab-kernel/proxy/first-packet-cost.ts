import type { CtEntry } from '../net/conntrack';
import { iptablesRestore } from '../net/iptables-restore';
import { formatIp, parseIp } from '../net/ipv4';
import { Ipvs } from '../net/ipvs';
import { Netfilter } from '../net/netfilter';
import type { NetfilterEvalFn } from '../net/netfilter-eval-contract';
import type { MatchContext } from '../net/netfilter-rule';
import type { Packet } from '../net/packet';
import { Rng } from '../sim/rng';
import type { IptablesRulesFn, ServicePortInfo } from './iptables-rules-contract';
import { ipvsModeRules } from './ipvs-proxier';

/**
 * What a connection's first packet to a Service costs a node, iptables mode against IPVS mode,
 * as the number of Services grows (one endpoint each). In iptables mode (proxy/kube-proxy.ts,
 * upstream pkg/proxy/iptables/proxier.go) the packet walks the nat table's KUBE-SERVICES rule by
 * rule until its Service's rule matches, then its KUBE-SVC and KUBE-SEP chains: the cost grows
 * with the number of Services. In IPVS mode (proxy/ipvs-proxier.ts, pkg/proxy/ipvs/proxier.go)
 * it passes the few fixed rules that mode keeps, then one hash lookup in the IPVS table: the
 * cost stays flat. Measured on the lab's netfilter and IPVS table alone (no datapath around them).
 *
 *   const bench = firstPacketBench(1000, cluster.reference);
 *   bench.run('iptables')   // => about 500 + a few: the mean rules looked at per first packet
 *   bench.run('ipvs')       // => 3, and one IPVS lookup
 *   firstPacketCost([10, 100, 1000], cluster.reference)
 *   // => [{ services: 10, 'iptables rules': ..., 'IPVS rules': 3, 'IPVS lookups': 1 }, ...]
 *
 * Each packet goes to a Service drawn at random (seeded): the same run gives the same counts.
 * Simplified: only the nat table's PREROUTING (where the Service is chosen), TCP, no conntrack
 * (every packet is a first packet); IPVS mode's ipset match is the range rule ipvsModeRules writes.
 */
export type FirstPacketMode = 'iptables' | 'ipvs';

export interface FirstPacketBench {
  readonly services: number;
  /** Sends every drawn first packet through the mode's node once; answers the mean rules evaluated per packet. */
  run(mode: FirstPacketMode): number;
}

const NODE = { name: 'node-1', clusterCIDR: '10.244.0.0/16' };
const PREROUTING_JUMP = '*nat\n-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\nCOMMIT\n';
const clusterIP = (s: number) => formatIp(parseIp('10.96.0.100') + s);
const endpointIP = (s: number) => formatIp(parseIp('10.244.2.2') + s);

function oneEndpointService(s: number): ServicePortInfo {
  return {
    name: `default/svc-${String(s).padStart(5, '0')}:http`,
    protocol: 'TCP',
    clusterIP: clusterIP(s),
    port: 80,
    nodePort: 0,
    externalIPs: [],
    loadBalancerIPs: [],
    sessionAffinity: 'None',
    stickyMaxAgeSeconds: 10800,
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    endpoints: [{ ip: endpointIP(s), port: 8080, ready: true, serving: true, terminating: false, nodeName: 'node-2' }],
  };
}

/** A node's nat table for `services` Services in each mode, and `packets` first packets to Services drawn at random. */
/** The code the measure runs: kube-proxy's rules and the table walk (the reference's, or a learner's: cluster.reference has both). */
export interface FirstPacketCode {
  'kube-proxy-iptables': IptablesRulesFn;
  'netfilter-eval': NetfilterEvalFn;
}

export function firstPacketBench(services: number, code: FirstPacketCode, packets = 2000): FirstPacketBench {
  const iptablesRules = code['kube-proxy-iptables'];
  const netfilterEval = code['netfilter-eval'];
  const iptables = new Netfilter(new Rng(1), netfilterEval);
  iptablesRestore(iptables, iptablesRules({ node: NODE, servicePorts: Array.from({ length: services }, (_, s) => oneEndpointService(s)), existingNatChains: [] }));
  iptablesRestore(iptables, PREROUTING_JUMP, { noflush: true });
  const ipvsNat = new Netfilter(new Rng(1), netfilterEval);
  iptablesRestore(ipvsNat, ipvsModeRules(NODE));
  iptablesRestore(ipvsNat, PREROUTING_JUMP, { noflush: true });
  const ipvs = new Ipvs();
  for (let s = 0; s < services; s++) {
    ipvs.addService('tcp', parseIp(clusterIP(s)), 80);
    ipvs.addRealServer('tcp', parseIp(clusterIP(s)), 80, parseIp(endpointIP(s)), 8080);
  }
  const rng = new Rng(7);
  const targets = Array.from({ length: packets }, () => rng.int(services));
  const packet = (s: number): Packet => ({ id: s, srcMac: '', dstMac: '', src: parseIp('10.244.1.2'), dst: parseIp(clusterIP(s)), proto: 'tcp', sport: 40000, dport: 80, ttl: 64, length: 0, flags: 'S', icmpType: 0, icmpCode: 0, seq: 0, inner: undefined, mark: 0, payload: undefined });
  const ctx = (p: Packet): MatchContext => ({ pkt: p, inDev: 'cni0', outDev: '', ctState: 1, local: new Set(), rng: new Rng(3) });
  const sink = { trace: undefined, at: 0, ns: NODE.name };
  const conn = { expires: Number.POSITIVE_INFINITY } as CtEntry;
  const throughIpvs = (p: Packet) => {
    const vs = ipvs.lookup('tcp', p.dst, p.dport);
    if (vs === undefined || ipvs.schedule(vs, conn, 0) === undefined) throw new Error(`no virtual service for ${formatIp(p.dst)}`);
  };
  return {
    services,
    run(mode) {
      const counter = { rulesEvaluated: 0 };
      for (const s of targets) {
        const p = packet(s);
        (mode === 'iptables' ? iptables : ipvsNat).evaluate('nat', 'PREROUTING', ctx(p), sink, counter);
        if (mode === 'ipvs') throughIpvs(p);
      }
      return counter.rulesEvaluated / packets;
    },
  };
}

/** The mean rules a first packet meets in each mode, one row per number of Services (200 packets each). */
export function firstPacketCost(sizes: readonly number[], code: FirstPacketCode): { services: number; 'iptables rules': number; 'IPVS rules': number; 'IPVS lookups': number }[] {
  return sizes.map((n) => {
    const bench = firstPacketBench(n, code, 200);
    return { services: n, 'iptables rules': Math.round(bench.run('iptables')), 'IPVS rules': Math.round(bench.run('ipvs')), 'IPVS lookups': 1 };
  });
}
