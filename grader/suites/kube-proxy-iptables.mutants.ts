import type { Mutant } from '../mutants';

/** Realistic wrong kube-proxy rule generators: each must fail grader/suites/kube-proxy-iptables.test.ts (npm run mutants -- kube-proxy-iptables). */
const file = 'proxy/iptables-rules.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'gives every endpoint the probability 1/n (the first takes 1/n, the rest less than their share)',
    file,
    find: '(1 / (endpoints.length - i)).toFixed(10)',
    replace: '(1 / endpoints.length).toFixed(10)',
  },
  {
    name: 'gives the last endpoint a probability too (1/1, harmless but not what kube-proxy writes)',
    file,
    find: 'i < endpoints.length - 1 ?',
    replace: 'i < endpoints.length ?',
  },
  {
    name: "prints probabilities with 11 decimals, as iptables-save does, instead of kube-proxy's %0.10f",
    file,
    find: '(1 / (endpoints.length - i)).toFixed(10)',
    replace: '(1 / (endpoints.length - i)).toFixed(11)',
  },
  {
    name: 'forgets to masquerade clients from outside the cluster CIDR',
    file,
    find: "return [['-A', internalChain, ...clusterIPMatch(svc), '!', '-s', node.clusterCIDR, '-j', 'KUBE-MARK-MASQ']];",
    replace: 'return [];',
  },
  {
    name: 'masquerades clients inside the cluster CIDR instead of outside it (the ! forgotten)',
    file,
    find: "...clusterIPMatch(svc), '!', '-s', node.clusterCIDR,",
    replace: "...clusterIPMatch(svc), '-s', node.clusterCIDR,",
  },
  {
    name: 'writes the masquerade rule even without a cluster CIDR',
    file,
    find: 'if (node.clusterCIDR === undefined) return [];',
    replace: "if (node.clusterCIDR === undefined) return [['-A', internalChain, ...clusterIPMatch(svc), '-j', 'KUBE-MARK-MASQ']];",
  },
  {
    name: 'no hairpin masquerade in the endpoint chain',
    file,
    find: "    [...head, '-s', ep.ip, '-j', 'KUBE-MARK-MASQ'],\n",
    replace: '',
  },
  {
    name: 'hashes the port name without the protocol',
    file,
    find: 'const hash = chainHash(svc.name + svc.protocol.toLowerCase());',
    replace: 'const hash = chainHash(svc.name);',
  },
  {
    name: "hashes the protocol as the API writes it ('TCP'), not lowercased",
    file,
    find: 'const hash = chainHash(svc.name + svc.protocol.toLowerCase());',
    replace: 'const hash = chainHash(svc.name + svc.protocol);',
  },
  {
    name: "hashes an endpoint's chain from its IP alone, without the port",
    file,
    find: 'chainHash(svc.name + svc.protocol.toLowerCase() + endpointString(ep))',
    replace: 'chainHash(svc.name + svc.protocol.toLowerCase() + ep.ip)',
  },
  {
    name: 'writes no REJECT for a Service without endpoints',
    file,
    find: "(!plan.hasEndpoints ? ['has no endpoints', 'REJECT'] :",
    replace: '(!plan.hasEndpoints ? undefined :',
  },
  {
    name: 'DROPs instead of REJECTing a Service without endpoints (clients wait for a timeout)',
    file,
    find: "['has no endpoints', 'REJECT']",
    replace: "['has no endpoints', 'DROP']",
  },
  {
    name: 'REJECTs instead of DROPping when only local endpoints are missing',
    file,
    find: "['has no local endpoints', 'DROP']",
    replace: "['has no local endpoints', 'REJECT']",
  },
  {
    name: 'rejects the NodePort on every destination address, not only the local ones',
    file,
    find: "...say, '-m', 'addrtype', '--dst-type', 'LOCAL', '-m', protocol,",
    replace: '...say, \'-m\', protocol,',
  },
  {
    name: 'a Local policy still sends to endpoints on other nodes',
    file,
    find: 'pick(svc.endpoints.filter(isLocal))',
    replace: 'pick(svc.endpoints)',
  },
  {
    name: 'sends traffic to endpoints that are not ready',
    file,
    find: 'const ready = eps.filter((ep) => ep.ready);',
    replace: 'const ready = [...eps];',
  },
  {
    name: 'no fallback to serving, terminating endpoints when none is ready',
    file,
    find: 'return ready.length > 0 ? ready : eps.filter(servingTerminating);',
    replace: 'return ready;',
  },
  {
    name: 'falls back to terminating endpoints that no longer serve',
    file,
    find: 'const servingTerminating = (ep: EndpointInfo) => ep.serving && ep.terminating;',
    replace: 'const servingTerminating = (ep: EndpointInfo) => ep.terminating;',
  },
  {
    name: 'ignores internalTrafficPolicy Local (the ClusterIP goes to every endpoint)',
    file,
    find: 'internalChain: internalLocal ? chains.svl : chains.svc,',
    replace: 'internalChain: chains.svc,',
  },
  {
    name: 'sends external traffic of a Local Service to KUBE-SVC- (every endpoint)',
    file,
    find: 'externalPolicyChain: externalLocal ? chains.svl : chains.svc,',
    replace: 'externalPolicyChain: chains.svc,',
  },
  {
    name: "writes the Cluster policy's KUBE-EXT- rules for a Local Service (masquerading its clients)",
    file,
    find: 'if (plan.externalPolicyChain !== chains.svl) {',
    replace: 'if (true) {',
  },
  {
    name: 'short-circuits every source to KUBE-SVC-, not only pods (the -s <cluster CIDR> forgotten)',
    file,
    find: "out.push(['-A', chains.ext, ...say('pod traffic'), '-s', node.clusterCIDR, '-j', chains.svc]);",
    replace: "out.push(['-A', chains.ext, ...say('pod traffic'), '-j', chains.svc]);",
  },
  {
    name: 'jumps from KUBE-EXT- to a Local policy chain that has no endpoints (and is not declared)',
    file,
    find: "if (plan.hasExternalEndpoints) out.push(['-A', chains.ext, '-j', plan.externalPolicyChain]);",
    replace: "out.push(['-A', chains.ext, '-j', plan.externalPolicyChain]);",
  },
  {
    name: 'ClientIP affinity without --set in the endpoint chain (no client is ever remembered)',
    file,
    find: "const remember = svc.sessionAffinity === 'ClientIP' ? ['-m', 'recent', '--name', chain, '--set'] : [];",
    replace: 'const remember: string[] = [];',
  },
  {
    name: "affinity timeout always the default 10800 s, not the Service's",
    file,
    find: "'--rcheck', '--seconds', String(svc.stickyMaxAgeSeconds),",
    replace: "'--rcheck', '--seconds', '10800',",
  },
];
