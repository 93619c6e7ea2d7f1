import { describe, expect, it } from 'vitest';
import { iptablesRules } from '../../solutions/proxy/iptables-rules';
import { chainsOf, endpoint, OVERALL, rulesInput, rulesOf, servicePort, TEST_NODE } from './iptables-rules.fixture';

/** The reference rule generator (exercise kube-proxy-iptables) on the cases the fidelity table names; the grader's suite has the rest. */
describe("kube-proxy's iptables rules", () => {
  const overall = iptablesRules(rulesInput(OVERALL));

  it("writes TestOverallIPTablesRules' rules for a ClusterIP Service: the jump, masquerade of off-cluster clients, hairpin masquerade and the DNAT", () => {
    expect(rulesOf(overall, 'nat', 'KUBE-SERVICES')[0]).toBe('-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O');
    expect(rulesOf(overall, 'nat', 'KUBE-SVC-XPGD46QRK7WJZT7O')).toEqual([
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ',
    ]);
    expect(rulesOf(overall, 'nat', 'KUBE-SEP-SXIVWICOYRO3J4NJ')).toEqual([
      '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ',
      '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80',
    ]);
    expect([...rulesOf(overall, 'nat', 'KUBE-MARK-MASQ'), ...rulesOf(overall, 'nat', 'KUBE-POSTROUTING')]).toEqual([
      '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
      '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
      '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
      '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    ]);
  });

  it('gives 3 endpoints the probabilities 1/3 and 1/2 as %0.10f, and the last endpoint none', () => {
    const text = iptablesRules(rulesInput([servicePort('default/web:http', '10.96.0.20', { endpoints: ['10.244.1.2', '10.244.2.2', '10.244.2.3'].map((ip) => endpoint(ip)) })]));
    const svc = chainsOf(text, 'nat').find((c) => c.startsWith('KUBE-SVC-'))!;
    expect(rulesOf(text, 'nat', svc).slice(1).map((r) => r.replace(/ -j KUBE-SEP-\w+$/, ''))).toEqual([
      `-A ${svc} -m comment --comment "default/web:http -> 10.244.1.2:80" -m statistic --mode random --probability 0.3333333333`,
      `-A ${svc} -m comment --comment "default/web:http -> 10.244.2.2:80" -m statistic --mode random --probability 0.5000000000`,
      `-A ${svc} -m comment --comment "default/web:http -> 10.244.2.3:80"`,
    ]);
  });

  it('rejects traffic to a Service with no endpoints in the filter table, and writes it no nat chain', () => {
    expect(rulesOf(overall, 'filter', 'KUBE-SERVICES')).toEqual(['-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT']);
    expect(overall).not.toMatch(/-A KUBE-SERVICES .*172\.30\.0\.46.* -j KUBE-SVC/);
  });

  it('drops external traffic of an externalTrafficPolicy Local Service with no endpoint on this node, but still serves its ClusterIP and pods', () => {
    expect(rulesOf(overall, 'filter', 'KUBE-EXTERNAL-SERVICES')).toEqual([
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP',
    ]);
    expect(rulesOf(overall, 'nat', 'KUBE-EXT-GNZBNJ2PO5MGZ6GT')).toEqual([
      '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
      '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
    ]);
  });

  it('sends NodePort traffic of a Local Service to KUBE-SVL-, which lists only the endpoints on this node', () => {
    const svc = servicePort('ns/local:p80', '172.30.0.50', { nodePort: 30080, externalTrafficPolicy: 'Local', endpoints: [endpoint('10.180.0.1', { nodeName: 'other' }), endpoint('10.180.0.2', { nodeName: TEST_NODE })] });
    const text = iptablesRules(rulesInput([svc]));
    const svl = chainsOf(text, 'nat').find((c) => c.startsWith('KUBE-SVL-'))!;
    expect(rulesOf(text, 'nat', svl)).toEqual([expect.stringMatching(new RegExp(`^-A ${svl} -m comment --comment "ns/local:p80 -> 10.180.0.2:80" -j KUBE-SEP-\\w{16}$`))]);
    expect(rulesOf(text, 'nat', svl.replace('SVL', 'EXT')).at(-1)).toBe(`-A ${svl.replace('SVL', 'EXT')} -j ${svl}`);
  });

  it('falls back to serving, terminating endpoints when none is ready', () => {
    const svc = servicePort('ns/t:p80', '172.30.0.51', { endpoints: [endpoint('10.180.0.1', { ready: false, terminating: true }), endpoint('10.180.0.2', { ready: false, serving: false, terminating: true })] });
    const text = iptablesRules(rulesInput([svc]));
    expect(text.match(/--to-destination \S+/g)).toEqual(['--to-destination 10.180.0.1:80']);
  });

  it('deletes the chains of a Service that is gone, and only kube-proxy’s service chains', () => {
    const text = iptablesRules(rulesInput([], { existingNatChains: ['KUBE-SVC-AAAAAAAAAAAAAAAA', 'KUBE-SEP-BBBBBBBBBBBBBBBB', 'MY-CHAIN', 'KUBE-SERVICES'] }));
    expect(text.split('\n').filter((l) => l.startsWith('-X') || /^:(KUBE-S[EV][PC]|MY)/.test(l))).toEqual([
      ':KUBE-SEP-BBBBBBBBBBBBBBBB - [0:0]',
      ':KUBE-SVC-AAAAAAAAAAAAAAAA - [0:0]',
      '-X KUBE-SEP-BBBBBBBBBBBBBBBB',
      '-X KUBE-SVC-AAAAAAAAAAAAAAAA',
    ]);
  });

  it('leaves the comments off endpoint rules when there are more than 1000 endpoints', () => {
    const many = Array.from({ length: 1001 }, (_, i) => endpoint(`10.1.${i >> 8}.${i & 255}`));
    const text = iptablesRules(rulesInput([servicePort('ns/big:p80', '172.30.0.52', { endpoints: many })]));
    const sep = chainsOf(text, 'nat').find((c) => c.startsWith('KUBE-SEP-'))!;
    expect(rulesOf(text, 'nat', sep)[0]).toBe(`-A ${sep} -s 10.1.0.0 -j KUBE-MARK-MASQ`);
  });
});
