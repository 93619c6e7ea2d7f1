import { evaluateTable } from '../solutions/net/netfilter-eval';
/**
 * kube-proxy's iptables sync at scale (issue 14's target: 1,000 Services with 10 endpoints each
 * synced in under 1 s): a real kube-proxy (proxy/kube-proxy.ts) on the reference rule generator,
 * its informers fed by a cluster's API server with 1,000 selector-less Services and an
 * EndpointSlice of 10 endpoints each, makes its first sync (a full one, as after a restart) into
 * a bare node's netfilter, and that one sync is timed, all of it: iptables-save, the Services and
 * slices turned into service ports, the rules written, iptables-restore --noflush, and the jumps
 * from the built-in chains (save and restore again). The time is read around the node's
 * netfilter and the rule generator, which the sync calls in turn; the cluster's own kube-proxies
 * are shut down first, so that only this one syncs.
 *
 *   npx ts-node --transpile-only scripts/proxy-bench.ts            # 1,000 Services x 10 endpoints
 *   npx ts-node --transpile-only scripts/proxy-bench.ts 100 10
 */
import { createCluster } from '../lab-kernel/cluster/cluster';
import { formatIp as ip } from '../lab-kernel/net/ipv4';
import type { NetNamespace } from '../lab-kernel/net/namespace';
import { PacketNetwork } from '../lab-kernel/net/packet-network';
import { routeLookupOf } from '../lab-kernel/net/route-lookup-contract';
import type { IptablesRulesFn } from '../lab-kernel/proxy/iptables-rules-contract';
import { kubeProxy } from '../lab-kernel/proxy/kube-proxy';
import { namespaceNetfilter, type NodeNetfilter } from '../lab-kernel/proxy/node-netfilter';
import { CLUSTER_CIDR } from '../lab-kernel/runtime/cni-bridge';
import { iptablesRules } from '../solutions/proxy/iptables-rules';
import { routeDecision } from '../solutions/net/route-lookup';

export interface ProxyBenchResult {
  services: number;
  endpoints: number;
  /** Lines of the rules the sync wrote. */
  lines: number;
  /** Wall-clock seconds of the whole sync, and of its parts: writing the rules, the restores, the saves. */
  syncSeconds: number;
  generateSeconds: number;
  restoreSeconds: number;
  saveSeconds: number;
  /** CPU seconds of the whole sync. */
  cpuSeconds: number;
}

const objects = (services: number, endpoints: number) =>
  Array.from({ length: services }, (_, s) => {
    const name = `svc-${String(s).padStart(5, '0')}`;
    const addresses = Array.from({ length: endpoints }, (_, e) => `  - addresses: [${ip((10 << 24) + (244 << 16) + s * endpoints + e + 2)}]\n    nodeName: node-${(e % 3) + 1}`);
    return `apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: default }
spec:
  clusterIP: ${ip((10 << 24) + (96 << 16) + 100 + s)}
  ports: [{ name: http, port: 80, targetPort: 8080 }]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: ${name}-1, namespace: default, labels: { kubernetes.io/service-name: ${name} } }
addressType: IPv4
ports: [{ name: http, port: 8080, protocol: TCP }]
endpoints:
${addresses.join('\n')}
`;
  }).join('---\n');

export function proxyBench(services: number, endpoints: number): ProxyBenchResult {
  const cluster = createCluster({ seed: 1, workers: 0 });
  for (const proxy of cluster.network.proxies.values()) proxy.shutDown();
  cluster.apply(objects(services, endpoints));
  const node: NetNamespace = new PacketNetwork(cluster.sim, routeLookupOf(routeDecision), { netfilterEval: evaluateTable }).addNamespace('node', { root: true });
  const clock = () => process.hrtime.bigint(); // wall-clock: this is a benchmark
  const seconds = (from: bigint) => Number(clock() - from) / 1e9;
  let started: bigint | undefined;
  let cpu: NodeJS.CpuUsage | undefined;
  let ended = 0n;
  let cpuSeconds = 0;
  const parts = { generate: 0, restore: 0, save: 0 };
  let lines = 0;
  const inner = namespaceNetfilter(node, () => cluster.sim.now());
  // The sync begins with an iptables-save and ends with its last restore.
  const netfilter: NodeNetfilter = {
    save: () => {
      if (started === undefined) [started, cpu] = [clock(), process.cpuUsage()];
      const t = clock();
      const text = inner.save();
      parts.save += seconds(t);
      return text;
    },
    restore: (text) => {
      const t = clock();
      const err = inner.restore(text);
      parts.restore += seconds(t);
      ended = clock();
      const used = process.cpuUsage(cpu);
      cpuSeconds = (used.user + used.system) / 1e6;
      return err;
    },
    chainExists: inner.chainExists,
  };
  const rules: IptablesRulesFn = (input) => {
    const t = clock();
    const text = iptablesRules(input);
    parts.generate += seconds(t);
    lines = text.split('\n').length;
    return text;
  };
  const proxy = kubeProxy(cluster.sim, cluster.client('kube-proxy/bench'), { name: 'node-1', clusterCIDR: CLUSTER_CIDR }, netfilter, { iptablesRules: rules });
  if (!cluster.runUntil(() => proxy.syncs === 1, 10_000)) throw new Error(`kube-proxy did not sync: ${proxy.log.join('\n')}`);
  proxy.shutDown();
  const dnats = inner.save().split('\n').filter((l) => l.includes('-j DNAT')).length;
  if (dnats !== services * endpoints) throw new Error(`the sync wrote ${dnats} DNAT rules, not ${services * endpoints}`);
  return { services, endpoints, lines, syncSeconds: Number(ended - started!) / 1e9, generateSeconds: parts.generate, restoreSeconds: parts.restore, saveSeconds: parts.save, cpuSeconds };
}

export function describeProxyBench(r: ProxyBenchResult): string {
  return (
    `${r.services} Services x ${r.endpoints} endpoints (${r.lines} lines): one full sync in ${r.syncSeconds.toFixed(2)} s wall, ${r.cpuSeconds.toFixed(2)} s CPU ` +
    `(rules written in ${r.generateSeconds.toFixed(2)} s, restored in ${r.restoreSeconds.toFixed(2)} s, iptables-save ${r.saveSeconds.toFixed(2)} s)`
  );
}

if (require.main === module) {
  const [s, e] = process.argv.slice(2).map(Number);
  proxyBench(50, 10); // warm-up
  console.log(describeProxyBench(proxyBench(s || 1000, e || 10)));
}
