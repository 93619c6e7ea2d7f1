import type { EndpointInfo, IptablesRulesInput, ServicePortInfo } from './iptables-rules-contract';

/**
 * Builders for the rule generator's input, shared by the reference's kernel test and the
 * grader's suite, and the Services of kube-proxy's own TestOverallIPTablesRules
 * (pkg/proxy/iptables/proxier_test.go): node "test-node", cluster CIDR 10.0.0.0/8.
 */
export const TEST_NODE = 'test-node';
export const CLUSTER_CIDR = '10.0.0.0/8';

/** A ready endpoint ip:80 on no node (so not local), unless told otherwise. */
export function endpoint(ip: string, more: Partial<EndpointInfo> = {}): EndpointInfo {
  return { ip, port: 80, ready: true, serving: true, terminating: false, ...more };
}

/** A ClusterIP Service port 'name' (ns/svc:port) TCP 80, no endpoints, unless told otherwise; endpoints sorted as kube-proxy sorts them. */
export function servicePort(name: string, clusterIP: string, more: Partial<ServicePortInfo> = {}): ServicePortInfo {
  const port: ServicePortInfo = {
    name,
    protocol: 'TCP',
    clusterIP,
    port: 80,
    nodePort: 0,
    externalIPs: [],
    loadBalancerIPs: [],
    sessionAffinity: 'None',
    stickyMaxAgeSeconds: 10800,
    externalTrafficPolicy: 'Cluster',
    internalTrafficPolicy: 'Cluster',
    endpoints: [],
    ...more,
  };
  const key = (e: EndpointInfo) => `${e.ip}:${e.port}`;
  return { ...port, endpoints: [...port.endpoints].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)) };
}

export function rulesInput(servicePorts: ServicePortInfo[], more: Partial<IptablesRulesInput> = {}): IptablesRulesInput {
  return { node: { name: TEST_NODE, clusterCIDR: CLUSTER_CIDR }, servicePorts: [...servicePorts].sort((a, b) => (a.name < b.name ? -1 : 1)), existingNatChains: [], ...more };
}

/**
 * TestOverallIPTablesRules' Services: a ClusterIP one; a LoadBalancer with externalTrafficPolicy
 * Local whose only endpoint is on no node; a NodePort one; one with an external IP and two
 * endpoints, one on this node; a LoadBalancer with ClientIP affinity (upstream's also has
 * loadBalancerSourceRanges, which the lab does not model); one with no endpoints.
 */
export const OVERALL: ServicePortInfo[] = [
  servicePort('ns1/svc1:p80', '172.30.0.41', { endpoints: [endpoint('10.180.0.1')] }),
  servicePort('ns2/svc2:p80', '172.30.0.42', {
    nodePort: 3001,
    loadBalancerIPs: ['1.2.3.4'],
    externalIPs: ['192.168.99.22'],
    externalTrafficPolicy: 'Local',
    endpoints: [endpoint('10.180.0.2')],
  }),
  servicePort('ns3/svc3:p80', '172.30.0.43', { nodePort: 3003, endpoints: [endpoint('10.180.0.3')] }),
  servicePort('ns4/svc4:p80', '172.30.0.44', { externalIPs: ['192.168.99.33'], endpoints: [endpoint('10.180.0.4'), endpoint('10.180.0.5', { nodeName: TEST_NODE })] }),
  servicePort('ns5/svc5:p80', '172.30.0.45', { nodePort: 3002, loadBalancerIPs: ['5.6.7.8'], sessionAffinity: 'ClientIP', endpoints: [endpoint('10.180.0.3')] }),
  servicePort('ns6/svc6:p80', '172.30.0.46'),
];

/** The rules of one chain ('-A <chain> ...' lines) in one table of an iptables-restore text, in order. */
export function rulesOf(text: string, table: 'nat' | 'filter', chain: string): string[] {
  return tableLines(text, table).filter((l) => l.startsWith(`-A ${chain} `));
}

/** The chains a table of the text declares (':NAME - [0:0]'). */
export function chainsOf(text: string, table: 'nat' | 'filter'): string[] {
  return tableLines(text, table)
    .filter((l) => l.startsWith(':'))
    .map((l) => l.slice(1).split(' ')[0]);
}

function tableLines(text: string, table: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`*${table}`);
  if (start < 0) return [];
  const end = lines.indexOf('COMMIT', start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}
