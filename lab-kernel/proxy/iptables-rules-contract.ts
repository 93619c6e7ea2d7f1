import type { Protocol } from '../api/types';

/**
 * The contract of exercise `kube-proxy-iptables`: the rules kube-proxy writes in iptables mode
 * (pkg/proxy/iptables/proxier.go, syncProxyRules, Kubernetes 1.32), as the text it hands to
 * `iptables-restore --noflush`.
 *
 * In: what kube-proxy knows when it syncs. Its node (name, and the cluster CIDR its
 * LocalDetector tells pod traffic by), every Service port it proxies with that port's endpoints
 * from the EndpointSlices (service-ports.ts digests the API objects into these, as kube-proxy's
 * ServiceChangeTracker and EndpointSliceCache do), and the chains of the nat table that exist
 * now (so that chains of Services gone can be deleted). Out: the iptables-restore input, the
 * filter table first, then nat.
 *
 *   iptablesRules({ node: { name: 'node-1', clusterCIDR: '10.244.0.0/16' },
 *                   servicePorts: [{ name: 'default/web:http', protocol: 'TCP', clusterIP: '10.96.0.20', port: 80,
 *                                    endpoints: [10.244.1.2:8080, 10.244.2.2:8080, 10.244.2.3:8080 (ready)], ... }],
 *                   existingNatChains: [] })
 *   // => '*filter\n:KUBE-SERVICES - [0:0]\n...COMMIT\n*nat\n...
 *   //     -A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.20 --dport 80 -j KUBE-SVC-...\n
 *   //     -A KUBE-SVC-... -m comment --comment "default/web:http -> 10.244.1.2:8080" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-...\n...COMMIT\n'
 *
 * The kube-proxy modelled runs with 1.32's defaults: --masquerade-all=false, mark bit 14
 * (0x4000), --iptables-localhost-nodeports=true, NodePorts on every local address
 * (--nodeport-addresses unset), nf_conntrack_tcp_be_liberal unset, and no nfacct support in
 * the kernel (so no nfacct rules); IPv4 only; no topology hints, health check node ports,
 * loadBalancerSourceRanges (KUBE-FW-*) or ipMode.
 */
/** One endpoint of a Service port: an address and the target port, with its EndpointSlice conditions. */
export interface EndpointInfo {
  ip: string;
  port: number;
  /** conditions.ready (unset counts as true). */
  ready: boolean;
  /** conditions.serving (unset counts as true). */
  serving: boolean;
  /** conditions.terminating (unset counts as false). */
  terminating: boolean;
  /** The node the endpoint runs on, if the slice says. */
  nodeName?: string;
}

/** One port of one Service, as kube-proxy proxies it. */
export interface ServicePortInfo {
  /** The ServicePortName: 'namespace/name:port-name', or 'namespace/name' for an unnamed port. */
  name: string;
  protocol: Protocol;
  clusterIP: string;
  port: number;
  /** 0 when the port has none. */
  nodePort: number;
  externalIPs: string[];
  /** status.loadBalancer.ingress[].ip. */
  loadBalancerIPs: string[];
  sessionAffinity: 'None' | 'ClientIP';
  /** sessionAffinityConfig.clientIP.timeoutSeconds (10800 by default). */
  stickyMaxAgeSeconds: number;
  externalTrafficPolicy: 'Cluster' | 'Local';
  internalTrafficPolicy: 'Cluster' | 'Local';
  /** Every endpoint of the port in any state, sorted by 'ip:port' as strings (as kube-proxy's EndpointsMap has them). */
  endpoints: EndpointInfo[];
}

export interface ProxyNode {
  /** The node's name: an endpoint whose nodeName is this one is local. */
  name: string;
  /** --cluster-cidr: traffic from it is pod traffic (LocalDetector). Unset: no LocalDetector, so no rule that needs one. */
  clusterCIDR?: string;
}

export interface IptablesRulesInput {
  node: ProxyNode;
  /** Sorted by name (kube-proxy walks a Go map; the lab fixes an order so that output is stable). */
  servicePorts: ServicePortInfo[];
  /** The chains in the nat table now (from iptables-save). */
  existingNatChains: string[];
}

export type IptablesRulesFn = (input: IptablesRulesInput) => string;

/** 1.32's mark for packets to masquerade: 1 << --iptables-masquerade-bit (14). */
export const MASQUERADE_MARK = '0x4000';

/** Above this many endpoints in all, kube-proxy leaves the comments off the KUBE-SEP rules and the KUBE-SVC -> KUBE-SEP jumps (largeClusterEndpointsThreshold). */
export const LARGE_CLUSTER_ENDPOINTS = 1000;
