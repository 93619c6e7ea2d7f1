/**
 * A DNS message as the lab carries it: a query (one question, as every stub resolver sends)
 * and a response with its rcode and its three sections of resource records. Plain data, so a
 * query can travel in a simulated UDP packet and a response can be printed by dig or nslookup.
 *
 *   { id: 7, name: 'web.default.svc.cluster.local', type: 'A' }
 *   // => { id: 7, rcode: 'NOERROR', authoritative: true,
 *   //      answers: [{ name: 'web.default.svc.cluster.local', ttl: 30, type: 'A', data: '10.96.1.5' }],
 *   //      authority: [], additional: [] }
 *
 * Names are written without the root's trailing dot ('web.default.svc.cluster.local'), as the
 * question of a query carries them once a resolver has made them absolute; dig shows them with
 * it. A name is lower-cased before it is compared (DNS names are case-insensitive; CoreDNS
 * matches with strings.EqualFold).
 */
export type RecordType = 'A' | 'AAAA' | 'SRV' | 'PTR' | 'CNAME' | 'SOA';
export type QueryType = 'A' | 'AAAA' | 'SRV' | 'PTR' | 'CNAME';

/** RFC 1035's rcodes that the lab's servers answer with. */
export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';

export interface DnsQuery {
  name: string;
  type: QueryType;
  /** The query's ID, copied into its response. */
  id: number;
}

/**
 * One resource record; `data` is its RDATA as a zone file writes it:
 * A '10.96.1.5', SRV '0 100 80 web.default.svc.cluster.local', CNAME and PTR a name,
 * SOA 'ns.dns.cluster.local hostmaster.cluster.local 1735689612 7200 1800 86400 30'.
 */
export interface ResourceRecord {
  name: string;
  ttl: number;
  type: RecordType;
  data: string;
}

export interface DnsResponse {
  id: number;
  rcode: Rcode;
  /** The AA flag: CoreDNS's kubernetes plugin answers its zone authoritatively, a forwarded answer is not. */
  authoritative: boolean;
  answers: ResourceRecord[];
  /** The SOA of the zone, on NXDOMAIN and on NOERROR with no answer (NODATA). */
  authority: ResourceRecord[];
  /** Addresses of an SRV answer's targets. */
  additional: ResourceRecord[];
}

/** RFC 1035 2.3.4: a label is at most 63 octets, a name at most 255 on the wire (253 characters written out). */
export const MAX_LABEL = 63;
export const MAX_NAME = 253;

/**
 * Why a name cannot be put in a query, or undefined if it can. A label over 63 characters does
 * not fit its one-octet length (whose top two bits mark a compression pointer), so glibc's
 * res_nmkquery (dn_comp) refuses to build the query and a server cannot parse one:
 *
 *   nameProblem('web.default')                       // => undefined
 *   nameProblem(`${'a'.repeat(64)}.default`)          // => 'label "aaaa…" is longer than 63 characters'
 *   nameProblem('a..b')                               // => 'empty label in "a..b"'
 */
export function nameProblem(name: string): string | undefined {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare.length > MAX_NAME) return `name is longer than ${MAX_NAME} characters`;
  if (bare === '') return undefined;
  for (const label of bare.split('.')) {
    if (label === '') return `empty label in ${JSON.stringify(name)}`;
    if (label.length > MAX_LABEL) return `label ${JSON.stringify(`${label.slice(0, 10)}…`)} is longer than ${MAX_LABEL} characters`;
  }
  return undefined;
}

/** A name as compared: lower case, no trailing dot. 'Web.Default.' => 'web.default'. */
export function canonical(name: string): string {
  return (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();
}

/** Whether `name` is `zone` or inside it: inZone('web.default.svc.cluster.local', 'cluster.local') => true. */
export function inZone(name: string, zone: string): boolean {
  const n = canonical(name);
  const z = canonical(zone);
  return z === '' || n === z || n.endsWith(`.${z}`);
}

/** The reverse-lookup name of an IPv4 address: '10.96.1.5' => '5.1.96.10.in-addr.arpa'. */
export function reverseName(ip: string): string {
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
}

/** The address a reverse-lookup name stands for, or undefined: '5.1.96.10.in-addr.arpa' => '10.96.1.5'. */
export function addressOfReverse(name: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/.exec(canonical(name));
  return m === null ? undefined : [m[4], m[3], m[2], m[1]].join('.');
}

/** A record as dig prints it: 'web.default.svc.cluster.local. 30 IN A 10.96.1.5' (tab-separated). */
export function recordLine(rr: ResourceRecord): string {
  const data = rr.type === 'CNAME' || rr.type === 'PTR' ? `${rr.data}.` : rr.type === 'SRV' ? rr.data.replace(/ (\S+)$/, ' $1.') : rr.type === 'SOA' ? soaWithDots(rr.data) : rr.data;
  return `${rr.name}.\t${rr.ttl}\tIN\t${rr.type}\t${data}`;
}

function soaWithDots(data: string): string {
  const [ns, mbox, ...rest] = data.split(' ');
  return [`${ns}.`, `${mbox}.`, ...rest].join(' ');
}

/** A response with no records: the start of every answer. */
export function emptyResponse(query: Pick<DnsQuery, 'id'>, rcode: Rcode, authoritative: boolean): DnsResponse {
  return { id: query.id, rcode, authoritative, answers: [], authority: [], additional: [] };
}
