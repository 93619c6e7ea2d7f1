import { describe, expect, it } from 'vitest';
import { iptablesRules } from '../../solutions/proxy/iptables-rules';
import type { IptablesRulesFn } from './iptables-rules-contract';
import { applyWeb, endpointsChosen, natRules, proxyLab as labOn, WEB } from './kube-proxy.fixture';

const proxyLab = (seed: number, rules: IptablesRulesFn = iptablesRules) => labOn(seed, rules);

describe('kube-proxy on a node', () => {
  it("writes a Service's chains into the node's nat table, with the jumps from PREROUTING and OUTPUT, within a second of its EndpointSlice", () => {
    const p = proxyLab(1);
    p.cluster.runFor(2000);
    const before = p.proxy.syncs;
    const at = p.cluster.sim.now();
    applyWeb(p);
    expect(p.cluster.sim.now() - at).toBeLessThan(1000);
    expect(p.proxy.syncs).toBeGreaterThan(before);
    const rules = natRules(p);
    expect(rules.filter((r) => /^-A (PREROUTING|OUTPUT|POSTROUTING) /.test(r))).toEqual([
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
      '-A POSTROUTING -s 10.244.1.0/24 ! -o cni0 -j MASQUERADE',
    ]);
    const svc = rules.find((r) => r.startsWith('-A KUBE-SERVICES -d 10.96.0.50/32'))!;
    expect(svc).toMatch(/^-A KUBE-SERVICES -d 10\.96\.0\.50\/32 -p tcp -m comment --comment "default\/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-\w{16}$/);
    const chain = svc.split(' -j ')[1];
    expect(rules.filter((r) => r.startsWith(`-A ${chain} `)).map((r) => r.replace(/KUBE-SEP-\w+/, 'KUBE-SEP'))).toEqual([
      `-A ${chain} ! -s 10.244.0.0/16 -d 10.96.0.50/32 -p tcp -m comment --comment "default/web:http cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`,
      `-A ${chain} -m comment --comment "default/web:http -> 10.244.1.3:8080" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP`,
      `-A ${chain} -m comment --comment "default/web:http -> 10.244.1.4:8080" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP`,
      `-A ${chain} -m comment --comment "default/web:http -> 10.244.1.5:8080" -j KUBE-SEP`,
    ]);
  });

  it('carries requests to the ClusterIP through the node to the 3 endpoints in the 1/3, 1/2, 1 split, the same way for the same seed', () => {
    const run = (seed: number) => {
      const p = proxyLab(seed);
      applyWeb(p);
      return endpointsChosen(p, 300);
    };
    const first = run(1);
    const counts = ['pod-b', 'pod-c', 'pod-d'].map((pod) => first.filter((x) => x === pod).length);
    expect(counts.reduce((a, b) => a + b)).toBe(300);
    for (const n of counts) expect(n).toBeGreaterThan(70);
    expect(run(1)).toEqual(first);
    expect(run(2)).not.toEqual(first);
  });

  it('keeps a client on one endpoint with sessionAffinity ClientIP (-m recent), for every one of its requests', () => {
    const p = proxyLab(1);
    p.cluster.apply(WEB.replace('  clusterIP: 10.96.0.50\n', '  clusterIP: 10.96.0.50\n  sessionAffinity: ClientIP\n'));
    p.cluster.runFor(2000);
    expect(natRules(p).some((r) => / -m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-\w+ --mask 255\.255\.255\.255 --rsource /.test(r))).toBe(true);
    expect(new Set(endpointsChosen(p, 30)).size).toBe(1);
  });

  it('logs a restore iptables-restore refuses as kube-proxy does, and retries it after the sync period', () => {
    let calls = 0;
    const broken: IptablesRulesFn = (input) => (++calls === 1 ? '*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -j KUBE-SVC-NOPE\nCOMMIT\n' : iptablesRules(input));
    const p = proxyLab(1, broken);
    p.cluster.runFor(1000);
    expect(p.proxy.log).toEqual([
      '"Failed to execute iptables-restore" err="iptables-restore v1.8.7 (legacy): Couldn\'t load target `KUBE-SVC-NOPE\':No such file or directory\\n\\nError occurred at line: 3\\nTry `iptables-restore -h\' or \'iptables-restore --help\' for more information." ipFamily="IPv4"',
      '"Sync failed" ipFamily="IPv4" retryingTime="30s"',
    ]);
    expect([calls, p.proxy.syncs]).toEqual([1, 0]);
    p.cluster.runFor(30_000);
    expect([calls, p.proxy.syncs]).toEqual([2, 1]);
    expect(natRules(p)).toContain('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  });

  it('syncs no more than once a second however often the Service changes, after a burst of 2', () => {
    const p = proxyLab(1);
    applyWeb(p);
    p.cluster.runFor(5000);
    const before = p.proxy.syncs;
    for (let i = 0; i < 10; i++) {
      p.cluster.apply(WEB.replace('name: web\n', `name: web\n  labels:\n    rev: "${i}"\n`));
      p.cluster.runFor(200);
    }
    expect(p.proxy.syncs - before).toBeGreaterThanOrEqual(2);
    expect(p.proxy.syncs - before).toBeLessThanOrEqual(4);
  });

  it('puts the rules back within the sync period after the nat table is flushed', () => {
    const p = proxyLab(1);
    applyWeb(p);
    p.lab.node.netfilter.tables.nat = new Map([...p.lab.node.netfilter.tables.nat].filter(([, c]) => c.builtin).map(([n, c]) => [n, { ...c, rules: [] }]));
    expect(endpointsChosen(p, 1)).toEqual(['ETIMEDOUT']);
    p.cluster.runFor(30_000);
    expect(endpointsChosen(p, 1)[0]).toMatch(/^pod-[bcd]$/);
  });
});
