/**
 * The first packet of a connection to a Service, iptables mode against IPVS mode, as the number
 * of Services grows (10, 1,000, 10,000; one endpoint each): in iptables mode the packet walks
 * the nat table's KUBE-SERVICES rule by rule until its Service's rule matches (then its KUBE-SVC
 * and KUBE-SEP chains); in IPVS mode it passes the few fixed rules IPVS mode keeps, then one
 * hash lookup in the IPVS table and the round-robin choice. Measured on the lab's netfilter and
 * IPVS table directly (no datapath around them): rules evaluated per packet (to Services drawn
 * at random) and wall-clock microseconds per packet.
 *
 *   npx ts-node --transpile-only scripts/ipvs-bench.ts            # 10, 1,000 and 10,000 Services
 *   npx ts-node --transpile-only scripts/ipvs-bench.ts 5000
 */
import { evaluateTable } from '../solutions/net/netfilter-eval';
import type { CtEntry } from '../lab-kernel/net/conntrack';
import { iptablesRestore } from '../lab-kernel/net/iptables-restore';
import { formatIp, parseIp } from '../lab-kernel/net/ipv4';
import { Ipvs } from '../lab-kernel/net/ipvs';
import { Netfilter } from '../lab-kernel/net/netfilter';
import type { MatchContext } from '../lab-kernel/net/netfilter-rule';
import type { Packet } from '../lab-kernel/net/packet';
import { servicePort } from '../lab-kernel/proxy/iptables-rules.fixture';
import { ipvsModeRules } from '../lab-kernel/proxy/ipvs-proxier';
import { Rng } from '../lab-kernel/sim/rng';
import { iptablesRules } from '../solutions/proxy/iptables-rules';

export interface IpvsBenchRow {
  services: number;
  /** Mean netfilter rules looked at for a connection's first packet. */
  iptablesRules: number;
  ipvsRules: number;
  /** Wall-clock microseconds per first packet. */
  iptablesMicros: number;
  ipvsMicros: number;
}

const NODE = { name: 'node-1', clusterCIDR: '10.244.0.0/16' };
const PACKETS = 2000;
const clusterIP = (s: number) => formatIp(parseIp('10.96.0.100') + s);

export function ipvsBench(services: number): IpvsBenchRow {
  const ports = Array.from({ length: services }, (_, s) =>
    servicePort(`default/svc-${String(s).padStart(5, '0')}:http`, clusterIP(s), { endpoints: [{ ip: formatIp(parseIp('10.244.0.2') + s), port: 8080, ready: true, serving: true, terminating: false, nodeName: 'node-2' }] }),
  );
  const iptables = new Netfilter(new Rng(1), evaluateTable);
  const jump = '*nat\n-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES\nCOMMIT\n';
  iptablesRestore(iptables, iptablesRules({ node: NODE, servicePorts: ports, existingNatChains: [] }));
  iptablesRestore(iptables, jump, { noflush: true });
  const ipvsNat = new Netfilter(new Rng(1), evaluateTable);
  iptablesRestore(ipvsNat, ipvsModeRules(NODE));
  iptablesRestore(ipvsNat, jump, { noflush: true });
  const ipvs = new Ipvs();
  for (let s = 0; s < services; s++) {
    ipvs.addService('tcp', parseIp(clusterIP(s)), 80);
    ipvs.addRealServer('tcp', parseIp(clusterIP(s)), 80, parseIp('10.244.0.2') + s, 8080);
  }
  const rng = new Rng(7);
  const targets = Array.from({ length: PACKETS }, () => rng.int(services));
  const packet = (s: number): Packet => ({ id: s, srcMac: '', dstMac: '', src: parseIp('10.244.1.2'), dst: parseIp(clusterIP(s)), proto: 'tcp', sport: 40000, dport: 80, ttl: 64, length: 0, flags: 'S', icmpType: 0, icmpCode: 0, seq: 0, inner: undefined, mark: 0, payload: undefined });
  const ctx = (p: Packet): MatchContext => ({ pkt: p, inDev: 'cni0', outDev: '', ctState: 1, local: new Set(), rng: new Rng(3) });
  const sink = { trace: undefined, at: 0, ns: 'node-1' };
  const conn = { expires: Number.POSITIVE_INFINITY } as CtEntry;
  const walk = (nf: Netfilter, afterwards: (p: Packet) => void): [number, number] => {
    const counter = { rulesEvaluated: 0 };
    const started = process.hrtime.bigint(); // wall-clock: this is a benchmark
    for (const s of targets) {
      const p = packet(s);
      nf.evaluate('nat', 'PREROUTING', ctx(p), sink, counter);
      afterwards(p);
    }
    return [counter.rulesEvaluated / PACKETS, Number(process.hrtime.bigint() - started) / 1e3 / PACKETS];
  };
  const viaIpvs = (p: Packet) => {
    const vs = ipvs.lookup('tcp', p.dst, p.dport);
    if (vs === undefined || ipvs.schedule(vs, conn, 0) === undefined) throw new Error(`no virtual service for ${formatIp(p.dst)}`);
  };
  // Each walked twice, the second one measured (the first warms the code up).
  walk(iptables, () => undefined);
  const [iptablesRulesPer, iptablesMicros] = walk(iptables, () => undefined);
  walk(ipvsNat, viaIpvs);
  const [ipvsRules, ipvsMicros] = walk(ipvsNat, viaIpvs);
  return { services, iptablesRules: iptablesRulesPer, ipvsRules, iptablesMicros, ipvsMicros };
}

export function describeIpvsBench(r: IpvsBenchRow): string {
  const n = r.services.toLocaleString('en-US').padStart(6);
  return `${n} Services: iptables ${r.iptablesRules.toFixed(0).padStart(6)} rules, ${r.iptablesMicros.toFixed(1).padStart(7)} µs a first packet; IPVS ${r.ipvsRules.toFixed(0)} rules + 1 lookup, ${r.ipvsMicros.toFixed(1).padStart(5)} µs`;
}

if (require.main === module) {
  const n = Number(process.argv[2]);
  ipvsBench(100); // warm-up
  for (const services of n > 0 ? [n] : [10, 1000, 10_000]) console.log(describeIpvsBench(ipvsBench(services)));
}
