import { evaluateTable } from '../../solutions/net/netfilter-eval';
import { describe, expect, it } from 'vitest';
import { iptablesRules } from '../../solutions/proxy/iptables-rules';
import { firstPacketBench, firstPacketCost } from './first-packet-cost';

const CODE = { 'kube-proxy-iptables': iptablesRules, 'netfilter-eval': evaluateTable };

describe('first-packet-cost: the rules a connection to a Service meets, iptables mode against IPVS mode', () => {
  it("grows with the number of Services in iptables mode (KUBE-SERVICES walked rule by rule) and stays flat in IPVS mode", () => {
    const [small, large] = firstPacketCost([10, 1000], CODE);
    expect(large['IPVS rules']).toBe(small['IPVS rules']);
    expect(small['iptables rules']).toBeLessThan(20);
    expect(large['iptables rules']).toBeGreaterThan(300);
    expect(large['iptables rules']).toBeLessThan(700);
    expect(large['iptables rules']).toBeGreaterThan(large['IPVS rules'] * 50);
  });

  it('gives the same counts on every run: the Services the packets go to are drawn from a seeded stream', () => {
    const bench = firstPacketBench(100, CODE, 50);
    expect(bench.run('iptables')).toBe(firstPacketBench(100, CODE, 50).run('iptables'));
    expect(bench.run('ipvs')).toBe(bench.run('ipvs'));
  });
});
