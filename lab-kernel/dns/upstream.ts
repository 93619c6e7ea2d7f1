import { canonical, emptyResponse, type DnsQuery, type DnsResponse, type ResourceRecord } from './message';

/**
 * The world outside the cluster, as CoreDNS's `forward . /etc/resolv.conf` reaches it: the
 * lab has no Internet, so the node's resolver is a small static table of public names, and
 * every other name is NXDOMAIN with the root zone's SOA in authority (a real resolver would put
 * the SOA of the closest existing zone there). Answers are not authoritative (a forwarded
 * answer never is) and carry the table's TTLs.
 *
 *   upstreamAnswer(PUBLIC_NAMES, { id: 1, name: 'example.com', type: 'A' })
 *   // => NOERROR, A 93.184.215.14 (TTL 300), authoritative false
 *   upstreamAnswer(PUBLIC_NAMES, { id: 2, name: 'www.example.com.default.svc.cluster.local', type: 'A' })
 *   // (never asked: that name is the cluster's)
 *   upstreamAnswer(PUBLIC_NAMES, { id: 3, name: 'nope.example.com', type: 'A' })
 *   // => NXDOMAIN, SOA '. 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. ...'
 *
 * Each name's records, by type; a name present without the asked type is NODATA.
 */
export type UpstreamTable = Readonly<Record<string, readonly ResourceRecord[]>>;

const rr = (name: string, type: ResourceRecord['type'], data: string, ttl = 300): ResourceRecord => ({ name, ttl, type, data });

/** A few public names, with addresses they have had (the lab never reaches them). */
export const PUBLIC_NAMES: UpstreamTable = {
  'example.com': [rr('example.com', 'A', '93.184.215.14')],
  'www.example.com': [rr('www.example.com', 'A', '93.184.215.14')],
  'kubernetes.io': [rr('kubernetes.io', 'A', '147.75.40.148', 3600)],
  'registry.k8s.io': [rr('registry.k8s.io', 'A', '34.96.108.209', 3600)],
  'github.com': [rr('github.com', 'A', '140.82.121.4', 60)],
};

/** The root zone's SOA, in the authority section of the upstream's NXDOMAIN. */
export const ROOT_SOA: ResourceRecord = { name: '', ttl: 86400, type: 'SOA', data: 'a.root-servers.net nstld.verisign-grs.com 2025010100 1800 900 604800 86400' };

export function upstreamAnswer(table: UpstreamTable, query: DnsQuery): DnsResponse {
  const name = canonical(query.name);
  const records = table[name];
  if (records === undefined) return Object.assign({}, emptyResponse(query, 'NXDOMAIN', false), { authority: [ROOT_SOA] });
  const answers = records.filter((r) => r.type === query.type);
  if (answers.length === 0) return Object.assign({}, emptyResponse(query, 'NOERROR', false), { authority: [ROOT_SOA] });
  return Object.assign({}, emptyResponse(query, 'NOERROR', false), { answers: answers.map((r) => ({ ...r })) });
}
