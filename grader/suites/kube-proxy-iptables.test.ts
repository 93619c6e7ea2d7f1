/**
 * Grader suite for exercise `kube-proxy-iptables` (exercises/proxy/iptables-rules.ts).
 *
 * Part by part through the rules, on cases after kube-proxy's own tests
 * (pkg/proxy/iptables/proxier_test.go: TestOverallIPTablesRules, TestNoEndpointsReject,
 * TestOnlyLocalExternalIPs, TestInternalTrafficPolicy, TestEndpointSliceWithTerminatingEndpoints...,
 * TestMasqueradeRule) and pkg/proxy/topology_test.go (CategorizeEndpoints), then a node whose
 * kube-proxy runs your rules and carries requests to a Service's endpoints.
 */
import { describe, expect, it } from 'vitest';
import type { IptablesRulesInput, ServicePortInfo } from '../../lab-kernel/proxy/iptables-rules-contract';
import { chainsOf, CLUSTER_CIDR, endpoint, OVERALL, rulesInput, rulesOf, servicePort, TEST_NODE } from '../../lab-kernel/proxy/iptables-rules.fixture';
import { applyWeb, endpointsChosen, natRules, proxyLab } from '../../lab-kernel/proxy/kube-proxy.fixture';
import { SEED, slotUnderTest } from '../harness';

const iptablesRules = slotUnderTest('kube-proxy-iptables');
const rules = (ports: ServicePortInfo[], more: Partial<IptablesRulesInput> = {}) => iptablesRules(rulesInput(ports, more));
const chainOf = (text: string, prefix: string) => chainsOf(text, 'nat').filter((c) => c.startsWith(prefix));
/** A chain's rules with its name and every KUBE-SEP- name replaced by the endpoint it DNATs to. */
function readable(text: string, chain: string): string[] {
  const sepTarget = new Map(
    chainOf(text, 'KUBE-SEP-').map((sep) => [sep, rulesOf(text, 'nat', sep).map((r) => r.match(/--to-destination (\S+)/)?.[1]).find(Boolean) ?? '?']),
  );
  return rulesOf(text, 'nat', chain).map((r) => r.replace(`-A ${chain} `, '').replace(/KUBE-SEP-\w{16}/g, (sep) => `SEP(${sepTarget.get(sep) ?? '?'})`));
}

const THREE = servicePort('default/web:http', '10.96.0.20', { endpoints: ['10.244.1.2', '10.244.2.2', '10.244.2.3'].map((ip) => endpoint(ip, { port: 8080 })) });

describe('Part 1: chain names', () => {
  it("are the Service's chains named as kube-proxy names them (KUBE-SVC-XPGD46QRK7WJZT7O for ns1/svc1:p80 TCP)?", () => {
    const text = rules([OVERALL[0]]);
    expect(chainOf(text, 'KUBE-SVC-')).toEqual(['KUBE-SVC-XPGD46QRK7WJZT7O']);
    expect(chainOf(text, 'KUBE-SEP-')).toEqual(['KUBE-SEP-SXIVWICOYRO3J4NJ']);
  });

  it('does the protocol, lowercased, go into the hash (UDP 53 and TCP 53 of one port name get different chains)?', () => {
    const udp = rules([servicePort('kube-system/kube-dns:dns', '10.96.0.10', { protocol: 'UDP', port: 53, endpoints: [endpoint('10.244.0.5', { port: 53 })] })]);
    expect(chainOf(udp, 'KUBE-SVC-')).toEqual(['KUBE-SVC-TCOU7JCQXEZGVUNU']);
    expect(chainOf(udp, 'KUBE-SEP-')).toEqual(['KUBE-SEP-LPGSDLJ3FDW46N4W']);
    const tcp = rules([servicePort('kube-system/kube-dns:dns', '10.96.0.10', { port: 53, endpoints: [endpoint('10.244.0.5', { port: 53 })] })]);
    expect(chainOf(tcp, 'KUBE-SVC-')).toEqual(['KUBE-SVC-GSKZ6TUW5BJ344DK']);
  });

  it("are the chains of an unnamed port (ns/svc) and of Local policies named from the same hash (KUBE-SVL-, KUBE-EXT-)?", () => {
    const text = rules([servicePort('ns2/svc2:p80', '172.30.0.42', { nodePort: 3001, externalTrafficPolicy: 'Local', endpoints: [endpoint('10.180.0.2', { nodeName: TEST_NODE })] })]);
    expect(chainsOf(text, 'nat').filter((c) => /^KUBE-(SVC|SVL|EXT)-/.test(c)).sort()).toEqual(['KUBE-EXT-GNZBNJ2PO5MGZ6GT', 'KUBE-SVC-GNZBNJ2PO5MGZ6GT', 'KUBE-SVL-GNZBNJ2PO5MGZ6GT']);
    expect(chainOf(rules([servicePort('default/plain', '10.96.0.30', { endpoints: [endpoint('10.244.1.9')] })]), 'KUBE-SVC-')).toEqual(['KUBE-SVC-L7CMIJ7MLO4LHB3N']);
  });
});

describe("Part 2: a policy chain's rules (probabilities, session affinity)", () => {
  it('do 3 endpoints get 1/3, then 1/2, then the last one no probability, in endpoint order?', () => {
    const text = rules([THREE]);
    expect(readable(text, chainOf(text, 'KUBE-SVC-')[0]).slice(1)).toEqual([
      '-m comment --comment "default/web:http -> 10.244.1.2:8080" -m statistic --mode random --probability 0.3333333333 -j SEP(10.244.1.2:8080)',
      '-m comment --comment "default/web:http -> 10.244.2.2:8080" -m statistic --mode random --probability 0.5000000000 -j SEP(10.244.2.2:8080)',
      '-m comment --comment "default/web:http -> 10.244.2.3:8080" -j SEP(10.244.2.3:8080)',
    ]);
  });

  it('does a single endpoint get one unconditional rule?', () => {
    const text = rules([OVERALL[0]]);
    expect(readable(text, 'KUBE-SVC-XPGD46QRK7WJZT7O')[1]).toBe('-m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j SEP(10.180.0.1:80)');
  });

  it('are 7 probabilities printed with %0.10f (1/7 => 0.1428571429, 1/6 => 0.1666666667)?', () => {
    const eps = Array.from({ length: 7 }, (_, i) => endpoint(`10.180.0.${i + 1}`));
    const text = rules([servicePort('ns/seven:p', '172.30.0.7', { endpoints: eps })]);
    const probabilities = rulesOf(text, 'nat', chainOf(text, 'KUBE-SVC-')[0]).map((r) => r.match(/--probability (\S+)/)?.[1] ?? 'none');
    expect(probabilities).toEqual(['none', '0.1428571429', '0.1666666667', '0.2000000000', '0.2500000000', '0.3333333333', '0.5000000000', 'none']);
  });

  it('does ClientIP affinity put a -m recent --rcheck rule per endpoint before the random ones?', () => {
    const text = rules([{ ...THREE, sessionAffinity: 'ClientIP' }]);
    const got = readable(text, chainOf(text, 'KUBE-SVC-')[0]);
    expect(got.slice(1, 4)).toEqual([
      '-m comment --comment "default/web:http -> 10.244.1.2:8080" -m recent --name SEP(10.244.1.2:8080) --rcheck --seconds 10800 --reap -j SEP(10.244.1.2:8080)',
      '-m comment --comment "default/web:http -> 10.244.2.2:8080" -m recent --name SEP(10.244.2.2:8080) --rcheck --seconds 10800 --reap -j SEP(10.244.2.2:8080)',
      '-m comment --comment "default/web:http -> 10.244.2.3:8080" -m recent --name SEP(10.244.2.3:8080) --rcheck --seconds 10800 --reap -j SEP(10.244.2.3:8080)',
    ]);
    expect(got[4]).toContain('--probability 0.3333333333');
    expect(got).toHaveLength(7);
  });

  it('does the affinity rule check the endpoint chain’s own recent list, with the Service’s timeout?', () => {
    const text = rules([{ ...OVERALL[0], sessionAffinity: 'ClientIP', stickyMaxAgeSeconds: 600 }]);
    expect(rulesOf(text, 'nat', 'KUBE-SVC-XPGD46QRK7WJZT7O')[1]).toBe(
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m recent --name KUBE-SEP-SXIVWICOYRO3J4NJ --rcheck --seconds 600 --reap -j KUBE-SEP-SXIVWICOYRO3J4NJ',
    );
  });
});

describe('Part 3: masquerading', () => {
  it('is a packet to the ClusterIP from outside the cluster CIDR marked, first thing in KUBE-SVC-?', () => {
    expect(rulesOf(rules([OVERALL[0]]), 'nat', 'KUBE-SVC-XPGD46QRK7WJZT7O')[0]).toBe(
      `-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s ${CLUSTER_CIDR} -j KUBE-MARK-MASQ`,
    );
  });

  it('is there no such rule when kube-proxy has no cluster CIDR (no LocalDetector)?', () => {
    const text = iptablesRules({ ...rulesInput([OVERALL[0]]), node: { name: TEST_NODE } });
    expect(rulesOf(text, 'nat', 'KUBE-SVC-XPGD46QRK7WJZT7O')).toEqual(['-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ']);
  });

  it('does an endpoint chain mark hairpin traffic (from the endpoint itself), then DNAT to ip:port?', () => {
    expect(rulesOf(rules([OVERALL[0]]), 'nat', 'KUBE-SEP-SXIVWICOYRO3J4NJ')).toEqual([
      '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ',
      '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80',
    ]);
  });

  it('does a UDP endpoint DNAT with -m udp -p udp, and a ClientIP one record the client with --set?', () => {
    const text = rules([servicePort('kube-system/kube-dns:dns', '10.96.0.10', { protocol: 'UDP', port: 53, sessionAffinity: 'ClientIP', endpoints: [endpoint('10.244.0.5', { port: 53 })] })]);
    expect(rulesOf(text, 'nat', 'KUBE-SEP-LPGSDLJ3FDW46N4W')[1]).toBe(
      '-A KUBE-SEP-LPGSDLJ3FDW46N4W -m comment --comment kube-system/kube-dns:dns -m recent --name KUBE-SEP-LPGSDLJ3FDW46N4W --set -m udp -p udp -j DNAT --to-destination 10.244.0.5:53',
    );
  });

  it('does NodePort traffic under the Cluster policy get marked in KUBE-EXT- before going to KUBE-SVC-?', () => {
    expect(rulesOf(rules([OVERALL[2]]), 'nat', 'KUBE-EXT-X27LE4BHSL4DOUIK')).toEqual([
      '-A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ',
      '-A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK',
    ]);
  });
});

describe('Part 4: traffic policies (which endpoints, which chain)', () => {
  const local = (more: Partial<ServicePortInfo>) =>
    servicePort('ns/local:p80', '172.30.0.50', { nodePort: 30080, externalTrafficPolicy: 'Local', endpoints: [endpoint('10.180.0.1', { nodeName: 'other-node' }), endpoint('10.180.0.2', { nodeName: TEST_NODE })], ...more });

  it('under externalTrafficPolicy Local, does KUBE-SVL- list only this node’s endpoint while KUBE-SVC- lists both?', () => {
    const text = rules([local({})]);
    const [svc] = chainOf(text, 'KUBE-SVC-');
    const svl = svc.replace('SVC', 'SVL');
    expect(readable(text, svl)).toEqual(['-m comment --comment "ns/local:p80 -> 10.180.0.2:80" -j SEP(10.180.0.2:80)']);
    expect(readable(text, svc).slice(1).map((r) => r.replace(/.* -j /, ''))).toEqual(['SEP(10.180.0.1:80)', 'SEP(10.180.0.2:80)']);
  });

  it('does its KUBE-EXT- send pods and the node itself to KUBE-SVC- (the node masqueraded) and the rest to KUBE-SVL-?', () => {
    const text = rules([local({})]);
    const [svc] = chainOf(text, 'KUBE-SVC-');
    expect(readable(text, svc.replace('SVC', 'EXT'))).toEqual([
      `-m comment --comment "pod traffic for ns/local:p80 external destinations" -s ${CLUSTER_CIDR} -j ${svc}`,
      '-m comment --comment "masquerade LOCAL traffic for ns/local:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
      `-m comment --comment "route LOCAL traffic for ns/local:p80 external destinations" -m addrtype --src-type LOCAL -j ${svc}`,
      `-j ${svc.replace('SVC', 'SVL')}`,
    ]);
    expect(rulesOf(text, 'nat', 'KUBE-NODEPORTS')).toEqual([`-A KUBE-NODEPORTS -m comment --comment ns/local:p80 -m tcp -p tcp --dport 30080 -j ${svc.replace('SVC', 'EXT')}`]);
  });

  it('under internalTrafficPolicy Local, does the ClusterIP jump to KUBE-SVL- with only the local endpoint, and no KUBE-SVC- exist?', () => {
    const text = rules([local({ nodePort: 0, externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Local' })]);
    const [svl] = chainOf(text, 'KUBE-SVL-');
    expect(chainOf(text, 'KUBE-SVC-')).toEqual([]);
    expect(rulesOf(text, 'nat', 'KUBE-SERVICES')[0]).toMatch(new RegExp(`-d 172\\.30\\.0\\.50 --dport 80 -j ${svl}$`));
    expect(readable(text, svl)[1]).toBe('-m comment --comment "ns/local:p80 -> 10.180.0.2:80" -j SEP(10.180.0.2:80)');
    expect(chainOf(text, 'KUBE-SEP-')).toHaveLength(1);
  });

  it('are endpoints that are not ready left out, and serving terminating ones used only when none is ready?', () => {
    const some = rules([servicePort('ns/t:p80', '172.30.0.51', { endpoints: [endpoint('10.180.0.1'), endpoint('10.180.0.2', { ready: false }), endpoint('10.180.0.3', { ready: false, terminating: true })] })]);
    expect(some.match(/--to-destination \S+/g)).toEqual(['--to-destination 10.180.0.1:80']);
    const none = rules([servicePort('ns/t:p80', '172.30.0.51', { endpoints: [endpoint('10.180.0.2', { ready: false, serving: false }), endpoint('10.180.0.3', { ready: false, terminating: true })] })]);
    expect(none.match(/--to-destination \S+/g)).toEqual(['--to-destination 10.180.0.3:80']);
  });

  it('under a Local policy with only a terminating endpoint here, is it used for external traffic though ready ones exist elsewhere?', () => {
    const text = rules([local({ endpoints: [endpoint('10.180.0.1', { nodeName: 'other-node' }), endpoint('10.180.0.2', { nodeName: TEST_NODE, ready: false, terminating: true })] })]);
    const [svc] = chainOf(text, 'KUBE-SVC-');
    expect(readable(text, svc.replace('SVC', 'SVL'))).toEqual(['-m comment --comment "ns/local:p80 -> 10.180.0.2:80" -j SEP(10.180.0.2:80)']);
    expect(readable(text, svc).slice(1)).toEqual(['-m comment --comment "ns/local:p80 -> 10.180.0.1:80" -j SEP(10.180.0.1:80)']);
    expect(chainOf(text, 'KUBE-SEP-')).toHaveLength(2);
  });

  it('with no endpoint on this node, does the Local Service still serve its ClusterIP and pods through KUBE-EXT-, but send nothing on to KUBE-SVL-?', () => {
    const text = rules([local({ endpoints: [endpoint('10.180.0.1', { nodeName: 'other-node' })] })]);
    const [svc] = chainOf(text, 'KUBE-SVC-');
    expect(chainOf(text, 'KUBE-SVL-')).toEqual([]);
    expect(readable(text, svc.replace('SVC', 'EXT')).at(-1)).toBe(`-m comment --comment "route LOCAL traffic for ns/local:p80 external destinations" -m addrtype --src-type LOCAL -j ${svc}`);
    expect(rulesOf(text, 'nat', 'KUBE-SERVICES')[0]).toContain(`-j ${svc}`);
  });

  it('do external IPs and load balancer IPs jump to KUBE-EXT- from KUBE-SERVICES?', () => {
    const text = rules([OVERALL[1]]);
    expect(rulesOf(text, 'nat', 'KUBE-SERVICES').slice(0, 3)).toEqual([
      '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT',
      '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT',
    ]);
  });
});

describe('Part 5: no endpoints', () => {
  const lonely = servicePort('ns1/svc1:p80', '172.30.0.41', { nodePort: 3001, externalIPs: ['192.168.99.11'], loadBalancerIPs: ['1.2.3.4'] });

  it('does a Service with no endpoints REJECT at its ClusterIP, external IP, load balancer IP and NodePort (TestNoEndpointsReject)?', () => {
    const text = rules([lonely]);
    expect([...rulesOf(text, 'filter', 'KUBE-SERVICES'), ...rulesOf(text, 'filter', 'KUBE-EXTERNAL-SERVICES')]).toEqual([
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j REJECT',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp -p tcp -d 192.168.99.11 --dport 80 -j REJECT',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j REJECT',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j REJECT',
    ]);
  });

  it('does it get no nat chain and no nat rule at all?', () => {
    const text = rules([lonely]);
    expect(chainsOf(text, 'nat')).toEqual(['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ']);
    expect(text).not.toContain('ns1/svc1:p80 cluster IP');
  });

  it('do endpoints that are neither ready nor serving-and-terminating count as none?', () => {
    const text = rules([{ ...lonely, endpoints: [endpoint('10.180.0.1', { ready: false }), endpoint('10.180.0.2', { ready: false, serving: false, terminating: true })] }]);
    expect(rulesOf(text, 'filter', 'KUBE-SERVICES')).toHaveLength(1);
    expect(chainOf(text, 'KUBE-SEP-')).toEqual([]);
  });

  it('does a Local Service with endpoints elsewhere only DROP its external traffic ("has no local endpoints"), not REJECT its ClusterIP?', () => {
    const text = rules([OVERALL[1]]);
    expect(rulesOf(text, 'filter', 'KUBE-SERVICES')).toEqual([]);
    expect(rulesOf(text, 'filter', 'KUBE-EXTERNAL-SERVICES')).toEqual([
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP',
    ]);
  });

  it('does internalTrafficPolicy Local with no endpoint here DROP at the ClusterIP ("has no local endpoints")?', () => {
    const text = rules([servicePort('ns/itp:p80', '172.30.0.60', { internalTrafficPolicy: 'Local', endpoints: [endpoint('10.180.0.1', { nodeName: 'other-node' })] })]);
    expect(rulesOf(text, 'filter', 'KUBE-SERVICES')).toEqual(['-A KUBE-SERVICES -m comment --comment "ns/itp:p80 has no local endpoints" -m tcp -p tcp -d 172.30.0.60 --dport 80 -j DROP']);
    expect(chainsOf(text, 'nat')).toHaveLength(4);
  });
});

describe("Part 6: kube-proxy's whole output, and a node running your rules", () => {
  it("is TestOverallIPTablesRules' output written line for line (without nfacct, and without loadBalancerSourceRanges)?", () => {
    expect(rules(OVERALL)).toBe(OVERALL_TEXT);
  });

  it('are the chains of Services gone deleted, and chains that are not kube-proxy’s service chains left alone?', () => {
    const text = rules([OVERALL[0]], { existingNatChains: ['KUBE-SVC-XPGD46QRK7WJZT7O', 'KUBE-SVC-OLDOLDOLDOLDOLD1', 'KUBE-SEP-OLDOLDOLDOLDOLD2', 'KUBE-EXT-OLDOLDOLDOLDOLD3', 'CNI-HOSTPORT-DNAT', 'KUBE-MARK-MASQ'] });
    expect(text.split('\n').filter((l) => l.startsWith('-X'))).toEqual(['-X KUBE-EXT-OLDOLDOLDOLDOLD3', '-X KUBE-SEP-OLDOLDOLDOLDOLD2', '-X KUBE-SVC-OLDOLDOLDOLDOLD1']);
    expect(chainsOf(text, 'nat')).toContain('KUBE-SEP-OLDOLDOLDOLDOLD2');
  });

  it('with more than 1000 endpoints in all, are the KUBE-SEP- rules and the jumps to them written without comments?', () => {
    const many = Array.from({ length: 1001 }, (_, i) => endpoint(`10.1.${i >> 8}.${i & 255}`));
    const text = rules([servicePort('ns/big:p80', '172.30.0.52', { endpoints: many })]);
    const [svc] = chainOf(text, 'KUBE-SVC-');
    expect(rulesOf(text, 'nat', svc)[1]).toMatch(new RegExp(`^-A ${svc} -m statistic --mode random --probability 0.0009990010 -j KUBE-SEP-\\w{16}$`));
    expect(rulesOf(text, 'nat', svc)[0]).toContain('--comment "ns/big:p80 cluster IP"');
  });

  it("does a node whose kube-proxy runs your rules carry requests to web's ClusterIP to its 3 pods, each getting about a third?", () => {
    const p = proxyLab(SEED, iptablesRules);
    applyWeb(p);
    expect(p.proxy.log).toEqual([]);
    expect(natRules(p)).toContain('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
    const chosen = endpointsChosen(p, 300);
    for (const pod of ['pod-b', 'pod-c', 'pod-d']) expect(chosen.filter((x) => x === pod).length, pod).toBeGreaterThan(70);
  });
});

const OVERALL_TEXT = `*filter
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
:KUBE-FIREWALL - [0:0]
-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP
-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT
-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
*nat
:KUBE-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
:KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
:KUBE-EXT-GNZBNJ2PO5MGZ6GT - [0:0]
:KUBE-SVC-GNZBNJ2PO5MGZ6GT - [0:0]
:KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]
:KUBE-EXT-X27LE4BHSL4DOUIK - [0:0]
:KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]
:KUBE-SEP-OYPFS5VJICHGATKP - [0:0]
:KUBE-EXT-4SW47YFZTEDKD3PK - [0:0]
:KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]
:KUBE-SEP-UKSFD7AGPMPPLUHC - [0:0]
:KUBE-SEP-C6EBXVWJJZMIWKLZ - [0:0]
:KUBE-EXT-NUKIZ6OKUXPJNT4C - [0:0]
:KUBE-SVC-NUKIZ6OKUXPJNT4C - [0:0]
:KUBE-SEP-I77PXRDZVX7PMWMN - [0:0]
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j KUBE-SEP-RS4RBKLTHTF2IUXJ
-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK
-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK
-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK
-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.180.0.3:80" -j KUBE-SEP-OYPFS5VJICHGATKP
-A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK
-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j KUBE-EXT-4SW47YFZTEDKD3PK
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ
-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -s 10.180.0.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:80
-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -s 10.180.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:80
-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 -j KUBE-SVC-NUKIZ6OKUXPJNT4C
-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
-A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp --dport 3002 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-EXT-NUKIZ6OKUXPJNT4C -m comment --comment "masquerade traffic for ns5/svc5:p80 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-NUKIZ6OKUXPJNT4C -j KUBE-SVC-NUKIZ6OKUXPJNT4C
-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --rcheck --seconds 10800 --reap -j KUBE-SEP-I77PXRDZVX7PMWMN
-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j KUBE-SEP-I77PXRDZVX7PMWMN
-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
COMMIT
`;
