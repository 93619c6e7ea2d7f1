import { CLUSTER_DNS_IP } from '../dns/core-dns';
import { formatDig } from '../dns/dig';
import { lookup } from '../dns/lookup';
import type { DnsQuery, DnsResponse, QueryType } from '../dns/message';
import { parseResolvConf } from '../dns/resolv-conf';
import type { PacketTrace } from '../net/packet-trace';
import type { Cluster } from './cluster';
import { RESOLVER_TIMEOUT_MS } from '../runtime/shell-dns';
import { clientNamespace } from './service-view';

/**
 * DNS as a pod's programs see it, for the notebooks: one query sent over UDP from a pod (or a
 * node) to the cluster's DNS Service with the packet trace of the exchange, and the queries
 * a C-library lookup makes for a name under the pod's resolv.conf (search list, ndots:5).
 *
 *   const q = dnsQuery(cluster, 'client', 'web.default.svc.cluster.local')
 *   // => { query: { id: 1, name: ..., type: 'A' }, response: { rcode: 'NOERROR', answers: [A 10.96.x.y] }, trace, dig: '; <<>> DiG 9.18 <<>> ...' }
 *   q.trace   // the query to 10.96.0.10:53, DNAT to a coredns pod on the client's node, the reply un-DNATed
 *   staleWindow(cluster, 'client', 'old')
 *   // the Service deleted, its name asked again and again: [{ ms: '0.0', rcode: 'NOERROR', answer: '10.96.x.y', ... },
 *   //   ..., { ms: '1.9', rcode: 'NXDOMAIN', answer: '', ... }], and when the API server answered the delete
 *   searchQueries(cluster, 'client', ['web', 'example.com'])
 *   // => [{ lookup: 'web', query: 'web.default.svc.cluster.local', reply: 'NOERROR, 1 answer', result: 'A 10.96.x.y' },
 *   //     { lookup: 'example.com', query: 'example.com.default.svc.cluster.local', reply: 'NXDOMAIN', result: '' }, ...]
 *
 * The query travels the packet network like any UDP request (net/sockets.ts), so it meets the
 * same kube-proxy rules as the pod's own lookups (runtime/shell-dns.ts). searchQueries runs
 * the cluster's code for exercise dns-search (glibc's res_nsearch: the reference, or yours) over those queries, the
 * way getaddrinfo in the pod does (lookup.ts), and reads the pod's /etc/resolv.conf through
 * `kubectl exec`. Simplified as lookup.ts is: A queries only, one attempt each.
 */
export interface DnsExchange {
  query: DnsQuery;
  /** undefined: no reply came back (nothing answered within the resolver's 5 s). */
  response: DnsResponse | undefined;
  trace: PacketTrace;
  /** The exchange as dig prints it (dns/dig.ts). */
  dig: string;
}


/** One query for `name` (asked as given: no search list) from a pod of the default namespace or a node, to `server`:53 over UDP. */
export function dnsQuery(cluster: Cluster, from: string, name: string, type: QueryType = 'A', server = CLUSTER_DNS_IP, id = 1): DnsExchange {
  const query: DnsQuery = { id, name: name.replace(/\.$/, ''), type };
  let done: DnsExchange | undefined;
  cluster.network.net.request(clientNamespace(cluster, from), { proto: 'udp', dst: server, port: 53, length: 12 + query.name.length + 6, payload: query, timeoutMs: RESOLVER_TIMEOUT_MS }, (r) => {
    const response = r.outcome === 'response' ? (r.response.payload as DnsResponse) : undefined;
    done = { query, response, trace: r.trace, dig: formatDig(server, { query, response }) };
  });
  cluster.runUntil(() => done !== undefined, RESOLVER_TIMEOUT_MS * 2);
  return done!;
}

export interface StaleRow {
  /** When the query was sent, in ms after the delete was. */
  'query sent (ms)': string;
  rcode: string;
  answer: string;
  /** Whether the API server had answered the delete by then. */
  'delete answered': string;
}

/**
 * Deletes a Service (without waiting, as a client's DELETE goes out) and asks for its name over
 * and over, one query after the other, until CoreDNS says NXDOMAIN: how long the name outlives
 * its Service, which is the time the deletion takes to reach CoreDNS's informer (kubeadm 1.32's
 * Corefile caches nothing for cluster.local). Gives up after `limit` queries.
 */
export function staleWindow(cluster: Cluster, from: string, service: string, namespace = 'default', limit = 50): StaleRow[] {
  const name = `${service}.${namespace}.svc.cluster.local`;
  const t0 = cluster.now();
  let deleteAnswered = false;
  cluster.client('kubectl').request({ verb: 'delete', resource: 'services', namespace, name: service }, () => (deleteAnswered = true));
  const rows: StaleRow[] = [];
  for (let i = 0; i < limit; i++) {
    const sent = cluster.now() - t0;
    const answered = deleteAnswered;
    const { response } = dnsQuery(cluster, from, name, 'A', CLUSTER_DNS_IP, i + 1);
    rows.push({ 'query sent (ms)': sent.toFixed(1), rcode: response?.rcode ?? 'no reply', answer: response?.answers.map((rr) => rr.data).join(', ') ?? '', 'delete answered': answered ? 'yes' : 'no' });
    if (response?.rcode === 'NXDOMAIN') break;
  }
  return rows;
}

export interface SearchRow {
  /** The name the program asked for. */
  lookup: string;
  /** The fully qualified name one query asked for. */
  query: string;
  /** What came back for it. */
  reply: string;
  /** On a lookup's last row: its addresses, or the resolver's h_errno. */
  result: string;
}

/** The queries a getaddrinfo lookup of each name makes from pod `from` (its resolv.conf's search list and ndots), one row per query. */
export function searchQueries(cluster: Cluster, from: string, names: readonly string[]): SearchRow[] {
  const conf = parseResolvConf(cluster.kubectl.exec(from, ['cat', '/etc/resolv.conf']));
  const server = conf.nameservers[0] ?? CLUSTER_DNS_IP;
  return names.flatMap((name) => {
    const result = lookup(name, conf, (q) => dnsQuery(cluster, from, q.name, q.type, server, q.id).response, cluster.code['dns-search']);
    const outcome = result.addresses.length > 0 ? `A ${result.addresses.join(', ')}` : (result.herrno ?? '');
    return result.exchanges.map(({ query, response }, i) => ({
      lookup: i === 0 ? name : '',
      query: query.name,
      reply: replyText(response),
      result: i === result.exchanges.length - 1 ? outcome : '',
    }));
  });
}

function replyText(response: DnsResponse | undefined): string {
  if (response === undefined) return 'no reply';
  if (response.rcode !== 'NOERROR') return response.rcode;
  const n = response.answers.length;
  return n === 0 ? 'NOERROR, no answer (NODATA)' : `NOERROR, ${n} answer${n === 1 ? '' : 's'}`;
}
