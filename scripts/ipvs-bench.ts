/**
 * The first packet of a connection to a Service, iptables mode against IPVS mode, as the number
 * of Services grows (10, 1,000, 10,000; one endpoint each): in iptables mode the packet walks
 * the nat table's KUBE-SERVICES rule by rule until its Service's rule matches (then its KUBE-SVC
 * and KUBE-SEP chains); in IPVS mode it passes the few fixed rules IPVS mode keeps, then one
 * hash lookup in the IPVS table and the round-robin choice. Measured on the lab's netfilter and
 * IPVS table directly (no datapath around them; lab-kernel/proxy/first-packet-cost.ts, which
 * chapter 10 also uses): rules evaluated per packet (to Services drawn at random) and wall-clock
 * microseconds per packet.
 *
 *   npx ts-node --transpile-only scripts/ipvs-bench.ts            # 10, 1,000 and 10,000 Services
 *   npx ts-node --transpile-only scripts/ipvs-bench.ts 5000
 */
import { firstPacketBench, type FirstPacketBench, type FirstPacketMode } from '../lab-kernel/proxy/first-packet-cost';
import { evaluateTable } from '../solutions/net/netfilter-eval';
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

const PACKETS = 2000;

/** Each mode walked twice, the second one measured (the first warms the code up). */
function measure(bench: FirstPacketBench, mode: FirstPacketMode): [number, number] {
  bench.run(mode);
  const started = process.hrtime.bigint(); // wall-clock: this is a benchmark
  const rules = bench.run(mode);
  return [rules, Number(process.hrtime.bigint() - started) / 1e3 / PACKETS];
}

export function ipvsBench(services: number): IpvsBenchRow {
  const bench = firstPacketBench(services, { 'kube-proxy-iptables': iptablesRules, 'netfilter-eval': evaluateTable }, PACKETS);
  const [iptablesRulesPer, iptablesMicros] = measure(bench, 'iptables');
  const [ipvsRules, ipvsMicros] = measure(bench, 'ipvs');
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
