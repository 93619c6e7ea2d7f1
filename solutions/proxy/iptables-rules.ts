/**
 * Exercise `kube-proxy-iptables` — the rules that make a ClusterIP work. (chapter 10)
 *
 * A Service's ClusterIP is on no interface of any machine. A packet to it reaches a pod because
 * kube-proxy, on every node, wrote iptables rules that rewrite its destination (DNAT) to one of
 * the Service's endpoints, chosen at random, before the node routes it. You write those rules,
 * as kube-proxy 1.32 writes them in iptables mode (pkg/proxy/iptables/proxier.go,
 * syncProxyRules): the text it hands to `iptables-restore --noflush`.
 *
 *   KUBE-SERVICES    one rule per Service port: its ClusterIP and port jump to KUBE-SVC-<hash>
 *   KUBE-SVC-<hash>  one rule per endpoint, each taken with a probability (1/n, then 1/(n-1), ...,
 *                    the last always), jumping to KUBE-SEP-<hash>
 *   KUBE-SEP-<hash>  DNAT to the endpoint's ip:port
 *   KUBE-MARK-MASQ   marks a packet (0x4000) that must leave with the node's address as its
 *                    source; KUBE-POSTROUTING masquerades marked packets
 *   KUBE-NODEPORTS, KUBE-EXT-<hash>, KUBE-SVL-<hash>   NodePorts, external IPs and load
 *                    balancers, and the endpoints on this node for a `Local` traffic policy
 *   filter KUBE-SERVICES / KUBE-EXTERNAL-SERVICES      REJECT for a Service with no endpoints
 *
 * The runtime around your code (lab-kernel/proxy/kube-proxy.ts) watches Services and
 * EndpointSlices, digests them into ServicePortInfo (lab-kernel/proxy/service-ports.ts), calls
 * your function at most once a second, and restores the text into the node's netfilter; a
 * refusal (a rule jumping to a chain you did not declare, say) is logged and retried.
 *
 * Run a cluster whose kube-proxies use your code with
 *   createCluster({ use: { 'kube-proxy-iptables': 'exercise' } })
 * and grade it with
 *   npm run grade -- kube-proxy-iptables
 *
 * Input => output, by example (node node-1, cluster CIDR 10.0.0.0/8):
 *
 *   ns1/svc1:p80 TCP 172.30.0.41:80, endpoint 10.180.0.1:80
 *     => -A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
 *        -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
 *        -A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
 *        -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
 *        -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
 *   ns6/svc6:p80 TCP 172.30.0.46:80, no endpoints
 *     => (filter) -A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT
 */
import { chainHash } from '../../lab-kernel/proxy/chain-hash';
import { LARGE_CLUSTER_ENDPOINTS, MASQUERADE_MARK, type EndpointInfo, type IptablesRulesInput, type ProxyNode, type ServicePortInfo } from '../../lab-kernel/proxy/iptables-rules-contract';

/** One rule or chain line: its words, joined by spaces (a comment with spaces is one word, already in quotes). */
export type Line = string[];

/** A Service port's chains: KUBE-SVC-, KUBE-SVL-, KUBE-EXT- and the hash they share. */
export interface ServiceChains {
  svc: string;
  svl: string;
  ext: string;
}

/** Which endpoints this node sends a Service port's traffic to, and where each kind of traffic goes. */
export interface TrafficPlan {
  /** The endpoints for the Cluster policy (KUBE-SVC-), and for the Local policy (KUBE-SVL-). */
  clusterEndpoints: EndpointInfo[];
  localEndpoints: EndpointInfo[];
  /** Every endpoint that gets a KUBE-SEP- chain: those of both lists, each once. */
  reachableEndpoints: EndpointInfo[];
  /** Whether the Service has a usable endpoint anywhere in the cluster. */
  hasEndpoints: boolean;
  /** ClusterIP traffic: the chain it goes to, and whether it has endpoints there. */
  internalChain: string;
  hasInternalEndpoints: boolean;
  /** NodePort, external IP and load balancer traffic: the policy chain KUBE-EXT- ends in, and whether it has endpoints there. */
  externalPolicyChain: string;
  hasExternalEndpoints: boolean;
  /** Whether KUBE-EXT- is written: the Service is reachable from outside and has endpoints somewhere. */
  usesExternalChain: boolean;
}

/** The words `-m comment --comment <text>`, left out in large-cluster mode. */
export function comment(large: boolean, text: string): Line {
  return large ? [] : ['-m', 'comment', '--comment', text];
}

/** 'ip:port', as kube-proxy prints an endpoint. */
export function endpointString(ep: EndpointInfo): string {
  return `${ep.ip}:${ep.port}`;
}

/** Whether NodePorts, external IPs or load balancer IPs reach the port (ExternallyAccessible). */
export function externallyAccessible(svc: ServicePortInfo): boolean {
  return svc.nodePort !== 0 || svc.externalIPs.length > 0 || svc.loadBalancerIPs.length > 0;
}

/**
 * TODO(1) The chain names. kube-proxy hashes the ServicePortName and the protocol, lowercased
 * ('ns1/svc1:p80' + 'tcp'), for the Service's chains, and the same followed by the endpoint's
 * 'ip:port' for an endpoint's chain; chainHash (lab-kernel/proxy/chain-hash.ts) gives the 16
 * characters that follow the prefix.
 *
 *   serviceChains(ns1/svc1:p80 TCP)    => { svc: 'KUBE-SVC-XPGD46QRK7WJZT7O', svl: 'KUBE-SVL-XPGD46QRK7WJZT7O', ext: 'KUBE-EXT-XPGD46QRK7WJZT7O' }
 *   endpointChain(ns1/svc1:p80 TCP, 10.180.0.1:80)   => 'KUBE-SEP-SXIVWICOYRO3J4NJ'
 */
export function serviceChains(svc: ServicePortInfo): ServiceChains {
  // BEGIN SOLUTION
  const hash = chainHash(svc.name + svc.protocol.toLowerCase());
  return { svc: `KUBE-SVC-${hash}`, svl: `KUBE-SVL-${hash}`, ext: `KUBE-EXT-${hash}` };
  // END SOLUTION
}

export function endpointChain(svc: ServicePortInfo, ep: EndpointInfo): string {
  // BEGIN SOLUTION
  return `KUBE-SEP-${chainHash(svc.name + svc.protocol.toLowerCase() + endpointString(ep))}`;
  // END SOLUTION
}

/**
 * TODO(2) A policy chain's rules (KUBE-SVC- or KUBE-SVL-), towards its endpoints' KUBE-SEP-
 * chains. The rules are tried in order and each must take an equal share of what is left: the
 * first with probability 1/n, the next 1/(n-1), ..., the last with none (it takes all that
 * reaches it). kube-proxy prints a probability with Go's %0.10f. With sessionAffinity ClientIP,
 * one rule per endpoint comes first, sending a client seen within stickyMaxAgeSeconds back to
 * its endpoint (`-m recent --rcheck`; the KUBE-SEP- chain records the client with `--set`).
 * Each rule's comment is "<name> -> <ip:port>" (in quotes, as it has spaces).
 *
 *   3 endpoints, no affinity =>
 *     -A KUBE-SVC-X -m comment --comment "ns/s:p -> 10.0.1.2:80" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-A
 *     -A KUBE-SVC-X -m comment --comment "ns/s:p -> 10.0.1.3:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-B
 *     -A KUBE-SVC-X -m comment --comment "ns/s:p -> 10.0.1.4:80" -j KUBE-SEP-C
 *   ClientIP, 1 endpoint =>
 *     -A KUBE-SVC-X -m comment --comment "ns/s:p -> 10.0.1.2:80" -m recent --name KUBE-SEP-A --rcheck --seconds 10800 --reap -j KUBE-SEP-A
 *     -A KUBE-SVC-X -m comment --comment "ns/s:p -> 10.0.1.2:80" -j KUBE-SEP-A
 */
export function policyChainRules(svc: ServicePortInfo, chain: string, endpoints: readonly EndpointInfo[], large: boolean): Line[] {
  // BEGIN SOLUTION
  const out: Line[] = [];
  const say = (ep: EndpointInfo) => comment(large, `"${svc.name} -> ${endpointString(ep)}"`);
  if (svc.sessionAffinity === 'ClientIP') {
    for (const ep of endpoints) {
      const sep = endpointChain(svc, ep);
      out.push(['-A', chain, ...say(ep), '-m', 'recent', '--name', sep, '--rcheck', '--seconds', String(svc.stickyMaxAgeSeconds), '--reap', '-j', sep]);
    }
  }
  endpoints.forEach((ep, i) => {
    const chance = i < endpoints.length - 1 ? ['-m', 'statistic', '--mode', 'random', '--probability', (1 / (endpoints.length - i)).toFixed(10)] : [];
    out.push(['-A', chain, ...say(ep), ...chance, '-j', endpointChain(svc, ep)]);
  });
  return out;
  // END SOLUTION
}

/**
 * TODO(3) Masquerading: which packets leave with the node's address as their source. Two
 * cases are the ClusterIP's own:
 *   - in the chain ClusterIP traffic goes to, first: a packet to the ClusterIP from outside the
 *     cluster CIDR is marked (it came to this node from elsewhere, so its reply must come back
 *     here); without a cluster CIDR kube-proxy cannot tell, and writes no such rule;
 *   - in each endpoint's KUBE-SEP- chain, first: a packet from the endpoint itself is marked
 *     (a pod reaching its own Service and landing on itself: "hairpin"), then the DNAT, which
 *     with ClientIP affinity also records the client (`-m recent --name <chain> --set`).
 * A KUBE-SEP- rule's comment is the bare name (no spaces, no quotes).
 *
 *   internalMasquerade(ns1/svc1:p80, 'KUBE-SVC-XPGD46QRK7WJZT7O', cluster CIDR 10.0.0.0/8)
 *     => [['-A', 'KUBE-SVC-XPGD46QRK7WJZT7O', '-m', 'comment', '--comment', '"ns1/svc1:p80 cluster IP"', '-m', 'tcp', '-p', 'tcp',
 *          '-d', '172.30.0.41', '--dport', '80', '!', '-s', '10.0.0.0/8', '-j', 'KUBE-MARK-MASQ']]
 *   endpointChainRules(ns1/svc1:p80, 10.180.0.1:80)
 *     => -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
 *        -A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
 */
export function internalMasquerade(svc: ServicePortInfo, internalChain: string, node: ProxyNode): Line[] {
  // BEGIN SOLUTION
  if (node.clusterCIDR === undefined) return [];
  return [['-A', internalChain, ...clusterIPMatch(svc), '!', '-s', node.clusterCIDR, '-j', 'KUBE-MARK-MASQ']];
  // END SOLUTION
}

export function endpointChainRules(svc: ServicePortInfo, ep: EndpointInfo, large: boolean): Line[] {
  // BEGIN SOLUTION
  const chain = endpointChain(svc, ep);
  const protocol = svc.protocol.toLowerCase();
  const head = ['-A', chain, ...comment(large, svc.name)];
  const remember = svc.sessionAffinity === 'ClientIP' ? ['-m', 'recent', '--name', chain, '--set'] : [];
  return [
    [...head, '-s', ep.ip, '-j', 'KUBE-MARK-MASQ'],
    [...head, ...remember, '-m', protocol, '-p', protocol, '-j', 'DNAT', '--to-destination', endpointString(ep)],
  ];
  // END SOLUTION
}

/**
 * TODO(4) Traffic policies. Which endpoints count (proxy.CategorizeEndpoints):
 *   - the Cluster policy's: the ready endpoints anywhere; if none is ready, those serving and
 *     terminating (still answering while they shut down);
 *   - the Local policy's, used when internalTrafficPolicy is Local, or the port is reachable from
 *     outside (externallyAccessible) with externalTrafficPolicy Local: the ready endpoints on
 *     this node; if none, the serving and terminating ones on this node. A Local policy never
 *     sends to another node's endpoint: its source address is kept, and no masquerade is needed.
 *   - hasEndpoints: some endpoint anywhere is ready, or serving and terminating.
 * ClusterIP traffic goes to KUBE-SVL- under internalTrafficPolicy Local, else KUBE-SVC-;
 * external traffic goes to KUBE-EXT-, which ends in KUBE-SVL- under externalTrafficPolicy Local
 * (for a port reachable from outside), else KUBE-SVC-. Either has no endpoints when its policy
 * is Local and this node has none.
 *
 *   Local external policy, endpoints 10.180.0.2 on node-2 (ready) and 10.180.0.5 on node-1 (ready), on node-1
 *     => clusterEndpoints [.2, .5], localEndpoints [.5], internalChain KUBE-SVC-, externalPolicyChain KUBE-SVL-
 */
export function trafficPlan(svc: ServicePortInfo, node: ProxyNode, chains: ServiceChains): TrafficPlan {
  // BEGIN SOLUTION
  const external = externallyAccessible(svc);
  const internalLocal = svc.internalTrafficPolicy === 'Local';
  const externalLocal = external && svc.externalTrafficPolicy === 'Local';
  const usesCluster = !internalLocal || (external && !externalLocal);
  const usesLocal = internalLocal || externalLocal;
  const servingTerminating = (ep: EndpointInfo) => ep.serving && ep.terminating;
  const isLocal = (ep: EndpointInfo) => ep.nodeName === node.name;
  const pick = (eps: EndpointInfo[]) => {
    const ready = eps.filter((ep) => ep.ready);
    return ready.length > 0 ? ready : eps.filter(servingTerminating);
  };
  const clusterEndpoints = usesCluster ? pick(svc.endpoints) : [];
  const localEndpoints = usesLocal ? pick(svc.endpoints.filter(isLocal)) : [];
  const hasEndpoints = svc.endpoints.some((ep) => ep.ready || servingTerminating(ep));
  const reachableEndpoints = [...clusterEndpoints, ...localEndpoints.filter((ep) => !clusterEndpoints.includes(ep))].sort((a, b) =>
    endpointString(a) < endpointString(b) ? -1 : endpointString(a) > endpointString(b) ? 1 : 0,
  );
  return {
    clusterEndpoints,
    localEndpoints,
    reachableEndpoints,
    hasEndpoints,
    internalChain: internalLocal ? chains.svl : chains.svc,
    hasInternalEndpoints: hasEndpoints && !(internalLocal && localEndpoints.length === 0),
    externalPolicyChain: externalLocal ? chains.svl : chains.svc,
    hasExternalEndpoints: hasEndpoints && !(externalLocal && localEndpoints.length === 0),
    usesExternalChain: hasEndpoints && external,
  };
  // END SOLUTION
}

/**
 * TODO(4, continued) The KUBE-EXT- chain's rules. Under the Cluster external policy the
 * packet may go to another node, so it is marked for masquerade ("masquerade traffic for <name>
 * external destinations"), then goes on to KUBE-SVC-. Under Local: a pod's packet (from the
 * cluster CIDR, if kube-proxy knows it) is treated as if it had gone out to a load balancer and
 * come back, so it goes to KUBE-SVC- ("pod traffic for <name> external destinations"); a packet
 * the node itself sends (`-m addrtype --src-type LOCAL`) is marked ("masquerade LOCAL traffic
 * for ...") and goes to KUBE-SVC- ("route LOCAL traffic for ..."); the rest goes to KUBE-SVL-,
 * if this node has local endpoints.
 *
 *   Cluster => -A KUBE-EXT-X -m comment --comment "masquerade traffic for ns/s:p external destinations" -j KUBE-MARK-MASQ
 *              -A KUBE-EXT-X -j KUBE-SVC-X
 */
export function externalChainRules(svc: ServicePortInfo, plan: TrafficPlan, chains: ServiceChains, node: ProxyNode): Line[] {
  // BEGIN SOLUTION
  const out: Line[] = [];
  const say = (what: string) => ['-m', 'comment', '--comment', `"${what} for ${svc.name} external destinations"`];
  if (plan.externalPolicyChain !== chains.svl) {
    out.push(['-A', chains.ext, ...say('masquerade traffic'), '-j', 'KUBE-MARK-MASQ']);
  } else {
    if (node.clusterCIDR !== undefined) out.push(['-A', chains.ext, ...say('pod traffic'), '-s', node.clusterCIDR, '-j', chains.svc]);
    out.push(['-A', chains.ext, ...say('masquerade LOCAL traffic'), '-m', 'addrtype', '--src-type', 'LOCAL', '-j', 'KUBE-MARK-MASQ']);
    out.push(['-A', chains.ext, ...say('route LOCAL traffic'), '-m', 'addrtype', '--src-type', 'LOCAL', '-j', chains.svc]);
  }
  if (plan.hasExternalEndpoints) out.push(['-A', chains.ext, '-j', plan.externalPolicyChain]);
  return out;
  // END SOLUTION
}

/**
 * TODO(5) No endpoints. A Service port with no usable endpoint anywhere gets no nat chains
 * at all; instead the filter table REJECTs its traffic (so a client is refused at once, rather
 * than waiting for a timeout): its ClusterIP in filter KUBE-SERVICES, its external IPs, load
 * balancer IPs and NodePort in KUBE-EXTERNAL-SERVICES, each with the comment
 * "<name> has no endpoints". A port that has endpoints, but none here for a Local policy,
 * DROPs instead ("<name> has no local endpoints"): ClusterIP traffic under a Local internal
 * policy; external traffic (the external IPs, load balancer IPs and NodePort) under a Local
 * external policy. The NodePort rule matches `-m addrtype --dst-type LOCAL` and the port.
 *
 *   ns6/svc6:p80 172.30.0.46:80, no endpoints
 *     => [['-A', 'KUBE-SERVICES', '-m', 'comment', '--comment', '"ns6/svc6:p80 has no endpoints"', '-m', 'tcp', '-p', 'tcp',
 *          '-d', '172.30.0.46', '--dport', '80', '-j', 'REJECT']]
 */
export function noEndpointRules(svc: ServicePortInfo, plan: TrafficPlan): Line[] {
  // BEGIN SOLUTION
  const out: Line[] = [];
  const protocol = svc.protocol.toLowerCase();
  // What a packet with nowhere to go gets: [the comment's words, the target].
  const verdict = (has: boolean) => (!plan.hasEndpoints ? ['has no endpoints', 'REJECT'] : has ? undefined : ['has no local endpoints', 'DROP']);
  const internal = verdict(plan.hasInternalEndpoints);
  if (internal !== undefined) {
    const [words, target] = internal;
    out.push(['-A', 'KUBE-SERVICES', '-m', 'comment', '--comment', `"${svc.name} ${words}"`, '-m', protocol, '-p', protocol, '-d', svc.clusterIP, '--dport', String(svc.port), '-j', target]);
  }
  const external = verdict(plan.hasExternalEndpoints);
  if (external !== undefined) {
    const [words, target] = external;
    const say = ['-m', 'comment', '--comment', `"${svc.name} ${words}"`];
    for (const ip of [...svc.externalIPs, ...svc.loadBalancerIPs]) {
      out.push(['-A', 'KUBE-EXTERNAL-SERVICES', ...say, '-m', protocol, '-p', protocol, '-d', ip, '--dport', String(svc.port), '-j', target]);
    }
    if (svc.nodePort !== 0) {
      out.push(['-A', 'KUBE-EXTERNAL-SERVICES', ...say, '-m', 'addrtype', '--dst-type', 'LOCAL', '-m', protocol, '-p', protocol, '--dport', String(svc.nodePort), '-j', target]);
    }
  }
  return out;
  // END SOLUTION
}

/** The words matching a packet to the port's ClusterIP, with its comment ("<name> cluster IP"). */
export function clusterIPMatch(svc: ServicePortInfo): Line {
  const protocol = svc.protocol.toLowerCase();
  return ['-m', 'comment', '--comment', `"${svc.name} cluster IP"`, '-m', protocol, '-p', protocol, '-d', svc.clusterIP, '--dport', String(svc.port)];
}

/** Chains kube-proxy owns per Service (isServiceChainName): the ones it deletes when they are no longer written. */
export const SERVICE_CHAIN_PREFIXES = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-SEP-', 'KUBE-FW-', 'KUBE-EXT-'];

/** The four parts of an iptables-restore input, as kube-proxy's line buffers keep them. */
interface Buffers {
  filterChains: string[];
  filterRules: Line[];
  natChains: string[];
  natRules: Line[];
}

/** The whole iptables-restore input for one sync: the fixed chains and rules, each Service port's, then the tails. */
export function iptablesRules(input: IptablesRulesInput): string {
  const b: Buffers = {
    filterChains: ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL'],
    filterRules: [],
    natChains: ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'],
    natRules: [
      ['-A', 'KUBE-POSTROUTING', '-m', 'mark', '!', '--mark', `${MASQUERADE_MARK}/${MASQUERADE_MARK}`, '-j', 'RETURN'],
      ['-A', 'KUBE-POSTROUTING', '-j', 'MARK', '--xor-mark', MASQUERADE_MARK],
      ['-A', 'KUBE-POSTROUTING', '-m', 'comment', '--comment', '"kubernetes service traffic requiring SNAT"', '-j', 'MASQUERADE', '--random-fully'],
      ['-A', 'KUBE-MARK-MASQ', '-j', 'MARK', '--or-mark', MASQUERADE_MARK],
    ],
  };
  // --iptables-localhost-nodeports (on by default) opens NodePorts on 127.0.0.1, with kubelet's anti-martian rule.
  b.filterChains.push('KUBE-FIREWALL');
  b.filterRules.push([
    '-A', 'KUBE-FIREWALL', '-m', 'comment', '--comment', '"block incoming localnet connections"',
    '-d', '127.0.0.0/8', '!', '-s', '127.0.0.0/8', '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP',
  ]);
  const large = input.servicePorts.reduce((n, svc) => n + svc.endpoints.length, 0) > LARGE_CLUSTER_ENDPOINTS;
  const active = new Set<string>();
  for (const svc of input.servicePorts) writeServicePort(b, svc, input.node, large, active);

  const stale = input.existingNatChains.filter((c) => !active.has(c) && SERVICE_CHAIN_PREFIXES.some((p) => c.startsWith(p))).sort();
  for (const chain of stale) {
    b.natChains.push(chain);
    b.natRules.push(['-X', chain]);
  }
  b.natRules.push([
    '-A', 'KUBE-SERVICES', '-m', 'comment', '--comment', '"kubernetes service nodeports; NOTE: this must be the last rule in this chain"',
    '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'KUBE-NODEPORTS',
  ]);
  b.filterRules.push(
    ['-A', 'KUBE-FORWARD', '-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'DROP'],
    ['-A', 'KUBE-FORWARD', '-m', 'comment', '--comment', '"kubernetes forwarding rules"', '-m', 'mark', '--mark', `${MASQUERADE_MARK}/${MASQUERADE_MARK}`, '-j', 'ACCEPT'],
    ['-A', 'KUBE-FORWARD', '-m', 'comment', '--comment', '"kubernetes forwarding conntrack rule"', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
  );
  const table = (name: string, chains: string[], rules: Line[]) => [`*${name}`, ...chains.map((c) => `:${c} - [0:0]`), ...rules.map((r) => r.join(' ')), 'COMMIT'];
  return `${[...table('filter', b.filterChains, b.filterRules), ...table('nat', b.natChains, b.natRules)].join('\n')}\n`;
}

/** One Service port's rules, in the order syncProxyRules writes them. */
function writeServicePort(b: Buffers, svc: ServicePortInfo, node: ProxyNode, large: boolean, active: Set<string>): void {
  const chains = serviceChains(svc);
  const plan = trafficPlan(svc, node, chains);
  const protocol = svc.protocol.toLowerCase();
  const declare = (chain: string) => {
    b.natChains.push(chain);
    active.add(chain);
  };
  const to = (what: string, ip: string, chain: string): Line => [
    '-A', 'KUBE-SERVICES', '-m', 'comment', '--comment', `"${svc.name} ${what}"`, '-m', protocol, '-p', protocol, '-d', ip, '--dport', String(svc.port), '-j', chain,
  ];

  if (plan.hasInternalEndpoints) b.natRules.push([...to('cluster IP', svc.clusterIP, plan.internalChain)]);
  if (plan.hasEndpoints) {
    for (const ip of svc.externalIPs) b.natRules.push(to('external IP', ip, chains.ext));
    for (const ip of svc.loadBalancerIPs) b.natRules.push(to('loadbalancer IP', ip, chains.ext));
    if (svc.nodePort !== 0) {
      b.natRules.push(['-A', 'KUBE-NODEPORTS', '-m', 'comment', '--comment', svc.name, '-m', protocol, '-p', protocol, '--dport', String(svc.nodePort), '-j', chains.ext]);
    }
  }
  b.filterRules.push(...noEndpointRules(svc, plan));
  if (plan.hasInternalEndpoints) b.natRules.push(...internalMasquerade(svc, plan.internalChain, node));
  if (plan.usesExternalChain) {
    declare(chains.ext);
    b.natRules.push(...externalChainRules(svc, plan, chains, node));
  }
  if (plan.clusterEndpoints.length > 0) {
    declare(chains.svc);
    b.natRules.push(...policyChainRules(svc, chains.svc, plan.clusterEndpoints, large));
  }
  if (plan.localEndpoints.length > 0) {
    declare(chains.svl);
    b.natRules.push(...policyChainRules(svc, chains.svl, plan.localEndpoints, large));
  }
  for (const ep of plan.reachableEndpoints) {
    declare(endpointChain(svc, ep));
    b.natRules.push(...endpointChainRules(svc, ep, large));
  }
}
