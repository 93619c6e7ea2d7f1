import type { Pod } from '../api/types';

/**
 * A pod's /etc/resolv.conf, as the kubelet forms it (pkg/kubelet/network/dns/dns.go,
 * Configurer.GetPodDNS, 1.32) and containerd writes it into the sandbox (search, then the
 * nameservers, then the options):
 *
 *   dnsPolicy ClusterFirst (the default), pod in namespace default, node searching lab.internal:
 *     search default.svc.cluster.local svc.cluster.local cluster.local lab.internal
 *     nameserver 10.96.0.10
 *     options ndots:5
 *
 *   Default            the node's own resolv.conf (kubelet --resolv-conf), as it is
 *   ClusterFirst + hostNetwork: true     => Default (the kubelet falls back)
 *   ClusterFirstWithHostNet              => ClusterFirst, host network or not
 *   None               nothing but the pod's dnsConfig (nameservers, searches, options)
 *
 * A pod's dnsConfig is added to any policy's result: its nameservers and searches appended
 * (duplicates dropped), its options merged by name (the pod's value wins). Then the limits,
 * each trimmed with a Warning event DNSConfigForming on the pod:
 *   - at most 3 nameservers (MaxDNSNameservers): "Nameserver limits were exceeded, some
 *     nameservers have been omitted, the applied nameserver line is: a b c";
 *   - at most 32 search domains (MaxDNSSearchPaths), none longer than 253 characters, the line
 *     at most 2048 characters (MaxDNSSearchListChars, cut from the end): "Search Line limits
 *     were exceeded, some search paths have been omitted, the applied search line is: ...".
 * (32 and 2048 since ExpandedDNSConfig, GA in 1.28; before, 6 and 256.)
 *
 * Simplified: upstream merges options through a Go map, so their order is unspecified; here
 * they keep the order they were first seen in. No IPv6, no --resolv-conf="" (localhost).
 */
export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  options: string[];
}

export interface KubeletDnsSettings {
  /** --cluster-dns (kubeadm: the kube-dns Service's ClusterIP). Empty: ClusterFirst falls back to Default, with a MissingClusterDNS event. */
  clusterDNS: string[];
  /** --cluster-domain. */
  clusterDomain: string;
  /** The node's resolv.conf (--resolv-conf), parsed. */
  host: ResolvConf;
}

export interface DnsConfigEvent {
  type: 'Warning';
  reason: 'DNSConfigForming' | 'MissingClusterDNS';
  message: string;
}

export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;
/** DNS1123SubdomainMaxLength: a longer search path makes some resolvers (glibc 2.28) abort. */
const MAX_SEARCH_PATH = 253;

/** The lab's nodes: their resolver on the node network, and one search domain of their own. */
export const NODE_RESOLV_CONF: ResolvConf = { nameservers: ['192.168.1.1'], searches: ['lab.internal'], options: [] };
export const KUBELET_DNS: KubeletDnsSettings = { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', host: NODE_RESOLV_CONF };

/** The pod's resolv.conf and the events the kubelet records while forming it. */
export function podResolvConf(pod: Readonly<Pod>, kubelet: KubeletDnsSettings = KUBELET_DNS): { conf: ResolvConf; events: DnsConfigEvent[] } {
  const events: DnsConfigEvent[] = [];
  const policy = pod.spec.dnsPolicy ?? 'ClusterFirst';
  let conf: ResolvConf = copy(kubelet.host);
  const cluster = policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && pod.spec.hostNetwork !== true);
  if (policy === 'None') conf = { nameservers: [], searches: [], options: [] };
  else if (cluster && kubelet.clusterDNS.length > 0) {
    const domain = kubelet.clusterDomain;
    const clusterSearch = domain === '' ? [] : [`${pod.metadata.namespace ?? 'default'}.svc.${domain}`, `svc.${domain}`, domain];
    conf = { nameservers: [...kubelet.clusterDNS], searches: unique([...clusterSearch, ...conf.searches]), options: ['ndots:5'] };
  } else if (cluster) {
    const message = 'kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.';
    events.push({ type: 'Warning', reason: 'MissingClusterDNS', message: `pod: "${pod.metadata.name}_${pod.metadata.namespace ?? 'default'}(${pod.metadata.uid ?? ''})". ${message}` });
  }
  const extra = pod.spec.dnsConfig;
  if (extra !== undefined) {
    conf = {
      nameservers: unique([...conf.nameservers, ...(extra.nameservers ?? [])]),
      searches: unique([...conf.searches, ...(extra.searches ?? [])]),
      options: mergeOptions(conf.options, extra.options ?? []),
    };
  }
  return { conf: withinLimits(conf, events), events };
}

/** As containerd writes it: 'search a b\nnameserver x\noptions ndots:5\n'; an empty part has no line. */
export function renderResolvConf(conf: ResolvConf): string {
  const lines: string[] = [];
  if (conf.searches.length > 0) lines.push(`search ${conf.searches.join(' ')}`);
  for (const ns of conf.nameservers) lines.push(`nameserver ${ns}`);
  if (conf.options.length > 0) lines.push(`options ${conf.options.join(' ')}`);
  return lines.map((l) => `${l}\n`).join('');
}

/**
 * parseResolvConf: nameserver lines accumulate, the last search line and the last options line
 * win, comments (#) are skipped; a search domain's trailing dot is dropped.
 *   'nameserver 1.1.1.1\nsearch a. b\noptions ndots:2'  // => { nameservers: ['1.1.1.1'], searches: ['a', 'b'], options: ['ndots:2'] }
 */
export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { nameservers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('#')) continue;
    const [key, ...fields] = trimmed.split(/\s+/);
    if (key === 'nameserver' && fields.length > 0) conf.nameservers.push(fields[0]);
    if (key === 'search') conf.searches = fields.map((s) => s.replace(/\.$/, ''));
    if (key === 'options') conf.options = fields;
  }
  return conf;
}

/** The resolver's ndots: options ndots:n (glibc caps it at 15), 1 when absent. 'ndots:5' => 5. */
export function ndotsOf(conf: ResolvConf): number {
  const option = [...conf.options].reverse().find((o) => o.startsWith('ndots:'));
  const n = option === undefined ? NaN : Number(option.slice('ndots:'.length));
  return Number.isInteger(n) && n >= 0 ? Math.min(n, 15) : 1;
}

function withinLimits(conf: ResolvConf, events: DnsConfigEvent[]): ResolvConf {
  let nameservers = conf.nameservers;
  if (nameservers.length > MAX_DNS_NAMESERVERS) {
    nameservers = nameservers.slice(0, MAX_DNS_NAMESERVERS);
    events.push({ type: 'Warning', reason: 'DNSConfigForming', message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${nameservers.join(' ')}` });
  }
  let searches = conf.searches;
  let exceeded = searches.length > MAX_DNS_SEARCH_PATHS;
  searches = searches.slice(0, MAX_DNS_SEARCH_PATHS);
  if (searches.some((s) => s.length > MAX_SEARCH_PATH)) exceeded = true;
  searches = searches.filter((s) => s.length <= MAX_SEARCH_PATH);
  while (searches.join(' ').length > MAX_DNS_SEARCH_LIST_CHARS) {
    searches = searches.slice(0, -1);
    exceeded = true;
  }
  if (exceeded) events.push({ type: 'Warning', reason: 'DNSConfigForming', message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.join(' ')}` });
  return { nameservers, searches, options: conf.options };
}

/** mergeDNSOptions: by name; the pod's value replaces the existing one. */
function mergeOptions(existing: readonly string[], pod: readonly { name: string; value?: string }[]): string[] {
  const merged = new Map<string, string>();
  for (const op of existing) {
    const at = op.indexOf(':');
    merged.set(at === -1 ? op : op.slice(0, at), at === -1 ? '' : op.slice(at + 1));
  }
  for (const op of pod) merged.set(op.name, op.value ?? '');
  return [...merged].map(([name, value]) => (value === '' ? name : `${name}:${value}`));
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function copy(conf: ResolvConf): ResolvConf {
  return { nameservers: [...conf.nameservers], searches: [...conf.searches], options: [...conf.options] };
}
