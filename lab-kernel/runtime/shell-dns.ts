import type { DnsSearchFn } from '../dns/dns-search-contract';
import { lookup, type LookupExchange } from '../dns/lookup';
import type { DnsQuery, DnsResponse, QueryType } from '../dns/message';
import { formatNslookup, nslookupQueries, nslookupStatus, nslookupType } from '../dns/nslookup';
import { parseResolvConf, type ResolvConf } from '../dns/resolv-conf';
import type { NetNamespace } from '../net/namespace';
import type { PacketNetwork } from '../net/packet-network';
import type { AppletRun } from './shell-ip';

/**
 * Names in the lab's shell: the lookups wget makes before it connects (the C library's
 * getaddrinfo, whose search is the exercise dns-search's function) and busybox's `nslookup`,
 * both reading the container's /etc/resolv.conf and asking its first nameserver over UDP port
 * 53 on the packet network. Like wget's GET (shell.ts), each batch of queries gets its answer
 * from `answer`, the n-th request of the command the n-th answer; when there is none yet the
 * command stops there (`pending`), and the runtime sends the queries (shell-network.ts, dnsFrom
 * below) and runs the command again.
 *
 *   resolveHost('web', conf, () => ({ responses: [{ rcode: 'NOERROR', answers: [A 10.96.1.5] ... }], ms: 0.6 }), firstAnswer)
 *   // => { address: '10.96.1.5', elapsedMs: 0.6 }       (one query: web.default.svc.cluster.local)
 *   resolveHost('web', conf, () => undefined, firstAnswer)
 *   // => { pending: { atMs: 0, request: { dns: [{ id: 1, name: 'web.default.svc.cluster.local', type: 'A' }], server: '10.96.0.10', timeoutMs: 5000 } } }
 *   nslookupCommand(['web'], conf, answer)   // busybox's lines: Server:, Address:, then each reply (dns/nslookup.ts)
 *
 * A query without a reply (nothing listens: the ICMP port unreachable; or dropped) counts as
 * a timeout after RES_TIMEOUT, 5 s. Simplified: getaddrinfo's A query only (no AAAA beside
 * it), one attempt per query where glibc makes two, /etc/hosts only for localhost; busybox's
 * nslookup sends its queries together, as here.
 */
export interface DnsRequest {
  dns: DnsQuery[];
  /** The nameserver's address (port 53). */
  server: string;
  timeoutMs: number;
}

/** The reply to each query of the batch (undefined: none came back), and how long the batch took (ms). */
export interface DnsAnswer {
  responses: (DnsResponse | undefined)[];
  ms: number;
}

/** resolv.conf(5): RES_TIMEOUT, the time the resolver waits for a reply. */
export const RESOLVER_TIMEOUT_MS = 5_000;

/** Sends a batch of queries from a namespace and calls back with every reply once all are in. */
export type DnsClient = (request: DnsRequest, done: (responses: (DnsResponse | undefined)[]) => void) => void;

export type Resolution =
  | { address: string; elapsedMs: number }
  | { failed: string; elapsedMs: number }
  | { pending: { atMs: number; request: DnsRequest } };

/** The container's resolver configuration: its /etc/resolv.conf, or none (glibc then asks 127.0.0.1). */
export function containerResolvConf(readFile: ((path: string) => string | undefined) | undefined): ResolvConf {
  const text = readFile?.('/etc/resolv.conf');
  return text === undefined ? { nameservers: [], searches: [], options: [] } : parseResolvConf(text);
}

/** The first IPv4 address getaddrinfo finds for `name`, or why it found none (the herrno, or the search's own error). */
export function resolveHost(name: string, conf: ResolvConf, answer: (request: DnsRequest) => DnsAnswer | undefined, search: DnsSearchFn): Resolution {
  const server = conf.nameservers[0] ?? '127.0.0.1';
  let elapsedMs = 0;
  let pending: DnsRequest | undefined;
  const send = (query: DnsQuery): DnsResponse | undefined => {
    const request = { dns: [query], server, timeoutMs: RESOLVER_TIMEOUT_MS };
    const got = answer(request);
    if (got === undefined) {
      pending = request;
      throw PENDING;
    }
    elapsedMs += got.ms;
    return got.responses[0];
  };
  try {
    const result = lookup(name, conf, send, search);
    if (result.addresses.length > 0) return { address: result.addresses[0], elapsedMs };
    return { failed: result.refused ?? result.herrno ?? 'HOST_NOT_FOUND', elapsedMs };
  } catch (e) {
    if (e === PENDING) return { pending: { atMs: elapsedMs, request: pending! } };
    return { failed: `the resolver's search (dns-search) threw: ${(e as Error).message}`, elapsedMs };
  }
}

const PENDING = Symbol('pending');

/** `nslookup [-type=TYPE] NAME [SERVER]`: busybox's queries in one batch to the server, then its report and exit status (dns/nslookup.ts). */
export function nslookupCommand(args: readonly string[], conf: ResolvConf, answer: (request: DnsRequest) => DnsAnswer | undefined): AppletRun & { pending?: { atMs: number; request: DnsRequest } } {
  const usage: AppletRun = { lines: [{ stream: 'stderr', line: 'Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]' }], status: 1 };
  const types: QueryType[] = [];
  for (const option of args.filter((a) => a.startsWith('-'))) {
    const m = /^-(?:type|querytype)=(.*)$/.exec(option);
    if (m === null) return usage;
    const type = nslookupType(m[1]);
    if (typeof type === 'object') return { lines: [{ stream: 'stderr', line: type.error }], status: 1 };
    types.push(type);
  }
  const [name, serverArg, extra] = args.filter((a) => !a.startsWith('-'));
  if (name === undefined || extra !== undefined) return usage;
  const server = serverArg ?? conf.nameservers[0] ?? '127.0.0.1';
  const queries = nslookupQueries(name, conf, types);
  const request: DnsRequest = { dns: queries, server, timeoutMs: RESOLVER_TIMEOUT_MS };
  const got = answer(request);
  if (got === undefined) return { lines: [], status: 0, pending: { atMs: 0, request } };
  const exchanges: LookupExchange[] = queries.map((query, i) => ({ query, response: got.responses[i] }));
  const text = formatNslookup(server, exchanges).replace(/\n$/, '');
  return { lines: text.split('\n').map((line) => ({ stream: 'stdout' as const, line, atMs: got.ms })), status: nslookupStatus(exchanges), elapsedMs: got.ms };
}

/** DNS over UDP from `from`: every query of the batch sent at once to server:53, the replies collected (a lost one is undefined after timeoutMs). */
export function dnsFrom(net: PacketNetwork, from: NetNamespace): DnsClient {
  return (request, done) => {
    const responses: (DnsResponse | undefined)[] = new Array(request.dns.length).fill(undefined);
    let outstanding = request.dns.length;
    if (outstanding === 0) return done(responses);
    request.dns.forEach((query, i) =>
      net.request(from, { proto: 'udp', dst: request.server, port: 53, length: 12 + query.name.length + 6, payload: query, timeoutMs: request.timeoutMs }, (r) => {
        if (r.outcome === 'response') responses[i] = r.response.payload as DnsResponse;
        if (--outstanding === 0) done(responses);
      }),
    );
  };
}
