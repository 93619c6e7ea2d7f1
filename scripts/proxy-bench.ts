/**
 * kube-proxy's iptables sync at scale (issue 14's target: 1,000 Services with 10 endpoints each
 * synced in under 1 s): the reference rule generator writes the full nat and filter tables for
 * them, and the node's netfilter restores the text, as a sync after a restart does.
 *
 *   npx ts-node --transpile-only scripts/proxy-bench.ts            # 1,000 Services x 10 endpoints
 *   npx ts-node --transpile-only scripts/proxy-bench.ts 100 10
 */
import { iptablesRestore } from '../lab-kernel/net/iptables-restore';
import { formatIp as ip } from '../lab-kernel/net/ipv4';
import { Netfilter } from '../lab-kernel/net/netfilter';
import { servicePort } from '../lab-kernel/proxy/iptables-rules.fixture';
import { Rng } from '../lab-kernel/sim/rng';
import { iptablesRules } from '../solutions/proxy/iptables-rules';

export interface ProxyBenchResult {
  services: number;
  endpoints: number;
  lines: number;
  /** Wall-clock seconds to write the rules, and to restore them. */
  generateSeconds: number;
  restoreSeconds: number;
}


export function proxyBench(services: number, endpoints: number): ProxyBenchResult {
  const servicePorts = Array.from({ length: services }, (_, s) =>
    servicePort(`default/svc-${String(s).padStart(5, '0')}:http`, ip((10 << 24) + (96 << 16) + 100 + s), {
      endpoints: Array.from({ length: endpoints }, (_, e) => ({ ip: ip((10 << 24) + (244 << 16) + s * endpoints + e + 2), port: 8080, ready: true, serving: true, terminating: false, nodeName: `node-${e % 3}` })),
    }),
  );
  const time = <T>(f: () => T): [T, number] => {
    const started = process.hrtime.bigint(); // wall-clock: this is a benchmark
    const out = f();
    return [out, Number(process.hrtime.bigint() - started) / 1e9];
  };
  const [text, generateSeconds] = time(() => iptablesRules({ node: { name: 'node-1', clusterCIDR: '10.244.0.0/16' }, servicePorts, existingNatChains: [] }));
  const nf = new Netfilter(new Rng(1));
  const [, restoreSeconds] = time(() => iptablesRestore(nf, text));
  return { services, endpoints, lines: text.split('\n').length, generateSeconds, restoreSeconds };
}

export function describeProxyBench(r: ProxyBenchResult): string {
  return `${r.services} Services x ${r.endpoints} endpoints (${r.lines} lines): rules written in ${r.generateSeconds.toFixed(2)} s, restored in ${r.restoreSeconds.toFixed(2)} s, ${(r.generateSeconds + r.restoreSeconds).toFixed(2)} s a sync`;
}

if (require.main === module) {
  const [s, e] = process.argv.slice(2).map(Number);
  proxyBench(50, 10); // warm-up
  console.log(describeProxyBench(proxyBench(s || 1000, e || 10)));
}
