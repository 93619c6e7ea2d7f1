import type { LookupExchange } from './lookup';
import { reverseName, type DnsQuery, type DnsResponse, type QueryType } from './message';
import type { ResolvConf } from './resolv-conf';

/**
 * busybox's nslookup (networking/nslookup.c, the FEATURE_NSLOOKUP_BIG version that busybox 1.36
 * images ship), as `kubectl exec <pod> -- nslookup web` runs it. It does not use the C
 * library's resolver: it builds its own queries (add_query_with_search) and sends them all at
 * once to the first nameserver of resolv.conf:
 *   - an address ('10.96.1.5'): one PTR query for 5.1.96.10.in-addr.arpa;
 *   - a name without a dot ('web'): an A query for the name with each search domain appended
 *     (never the bare name), then an AAAA query for each;
 *   - a name with a dot ('web.default', 'example.com'): one A and one AAAA query for it as it
 *     is (no search list, whatever ndots says);
 *   - with -type=SRV (or A, AAAA, CNAME, PTR: the types the lab's DNS answers): that type
 *     instead, the name searched the same way.
 * Then it prints every reply:
 *
 *   Server:		10.96.0.10
 *   Address:	10.96.0.10:53
 *
 *   Name:	web.default.svc.cluster.local
 *   Address: 10.96.1.5
 *
 *   ** server can't find web.svc.cluster.local: NXDOMAIN
 *
 *   (an empty line for the AAAA query's empty answer, NODATA)
 *
 * busybox prints the replies as they arrive; the lab prints them in the order the queries were
 * made. A reply that is not authoritative (a forwarded one) starts with "Non-authoritative
 * answer:"; a query that got no reply at all, "*** Can't find <name>: No answer" at the end;
 * no reply to any, ";; connection timed out; no servers could be reached". It exits 1 when any
 * reply was an error: a short name found under the first search domain still exits 1, since
 * the others answered NXDOMAIN.
 */
export function nslookupQueries(name: string, conf: ResolvConf, types: readonly QueryType[] = []): DnsQuery[] {
  const queries: Omit<DnsQuery, 'id'>[] = [];
  const withSearch = (type: QueryType) => {
    const names = type === 'PTR' || name.includes('.') || conf.searches.length === 0 ? [name] : conf.searches.map((d) => `${name}.${d}`);
    for (const n of names) queries.push({ name: n, type });
  };
  if (types.length > 0) for (const type of QUERY_TYPES.filter((t) => types.includes(t))) withSearch(type);
  else if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) queries.push({ name: reverseName(name), type: 'PTR' });
  else for (const type of ['A', 'AAAA'] as const) withSearch(type);
  return queries.map((q, i) => (Object.assign({}, q, { id: i + 1 })));
}

/** The -type= values the lab's DNS answers, in the order of busybox's qtypes table (its queries go in that order). */
const QUERY_TYPES: readonly QueryType[] = ['A', 'AAAA', 'CNAME', 'SRV', 'PTR'];

/** busybox's -type=NAME (also -querytype=), case-insensitively: the type, or its error for one it does not know. */
export function nslookupType(value: string): QueryType | { error: string } {
  const type = QUERY_TYPES.find((t) => t === value.toUpperCase());
  return type ?? { error: `nslookup: invalid query type "${value}"` };
}

/** Its exit status: 1 when no server answered, or when any reply was an error (NXDOMAIN for one search domain is enough); else 0. */
export function nslookupStatus(exchanges: readonly LookupExchange[]): number {
  if (exchanges.every((e) => e.response === undefined)) return 1;
  return exchanges.some((e) => e.response !== undefined && e.response.rcode !== 'NOERROR') ? 1 : 0;
}

/** Runs nslookup against `send` (the DNS server's answer; undefined: no reply) and returns what it prints. */
export function nslookup(name: string, conf: ResolvConf, send: (query: DnsQuery) => DnsResponse | undefined): string {
  const exchanges = nslookupQueries(name, conf).map((query) => ({ query, response: send(query) }));
  return formatNslookup(conf.nameservers[0] ?? '127.0.0.1', exchanges);
}

export function formatNslookup(server: string, exchanges: readonly LookupExchange[]): string {
  if (exchanges.every((e) => e.response === undefined)) return ';; connection timed out; no servers could be reached\n\n';
  const out = [`Server:\t\t${server}\n`, `Address:\t${server}:53\n`, '\n'];
  for (const { query, response } of exchanges) {
    if (response === undefined) continue;
    if (response.rcode !== 'NOERROR') out.push(`** server can't find ${query.name}: ${response.rcode}\n`);
    else {
      // An empty answer (NODATA) prints nothing but the empty line, as bind's nslookup does.
      if (!response.authoritative) out.push('Non-authoritative answer:\n');
      for (const rr of response.answers) out.push(recordText(rr.name, rr.type, rr.data));
    }
    out.push('\n');
  }
  const unanswered = exchanges.filter((e) => e.response === undefined);
  for (const { query } of unanswered) out.push(`*** Can't find ${query.name}: No answer\n`);
  if (unanswered.length > 0) out.push('\n');
  return out.join('');
}

function recordText(name: string, type: string, data: string): string {
  switch (type) {
    case 'A':
    case 'AAAA':
      return `Name:\t${name}\nAddress: ${data}\n`;
    case 'CNAME':
      return `${name}\tcanonical name = ${data}\n`;
    case 'PTR':
      return `${name}\tname = ${data}\n`;
    case 'SRV':
      return `${name}\tservice = ${data}\n`;
    default:
      return '';
  }
}
