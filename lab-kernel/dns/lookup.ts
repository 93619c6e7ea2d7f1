import type { DnsSearchFn, HErrno, StubReply } from './dns-search-contract';
import { nameProblem, type DnsQuery, type DnsResponse, type QueryType } from './message';
import { ndotsOf, type ResolvConf } from './resolv-conf';

/**
 * A name lookup in a pod, as its programs make it (getaddrinfo in the C library, for wget,
 * ping or curl): the resolver's search (the `dns-search` exercise's function, given as
 * `search`) decides which names to ask for, and each query goes to the first nameserver of the
 * pod's resolv.conf through `send` (the DNS server's `answer`, or a packet on the network;
 * undefined means no reply came back: a timeout).
 *
 *   lookup('web', conf, (q) => coreDns.answer(q), firstAnswer)   // conf: search default.svc.cluster.local ..., ndots:5
 *   // => { name: 'web', type: 'A', addresses: ['10.96.1.5'], answeredBy: 'web.default.svc.cluster.local',
 *   //      exchanges: [{ query: { id: 1, name: 'web.default.svc.cluster.local', type: 'A' }, response: { rcode: 'NOERROR', ... } }] }
 *   lookup('nope', ...)
 *   // => { addresses: [], herrno: 'HOST_NOT_FOUND', exchanges: 4 NXDOMAIN replies }
 *
 * A name with a label over 63 characters never leaves the pod: the resolver cannot encode it
 * (res_nmkquery fails), so the lookup fails with NO_RECOVERY and no query is sent.
 *
 * Simplified: one address family (A, as getaddrinfo with AF_INET asks), one nameserver (the
 * pod's first), no retries or rotation (a timeout is the resolver's last attempt already),
 * and CNAME targets are taken from the answer as the server sent them (no second lookup).
 */
export interface LookupExchange {
  query: DnsQuery;
  /** undefined: no reply (a timeout). */
  response: DnsResponse | undefined;
}

export interface LookupResult {
  name: string;
  type: QueryType;
  /** The queries sent and what came back, in order. */
  exchanges: LookupExchange[];
  /** The addresses of the answer (empty when the lookup failed). */
  addresses: string[];
  /** The query name the answer was for. */
  answeredBy?: string;
  /** Why it failed (glibc's h_errno). */
  herrno?: HErrno;
  /** Why no query was sent at all. */
  refused?: string;
}

/** How many steps a resolver may take before the lookup stops it (a search list has at most 32 domains). */
const MAX_STEPS = 64;

export function lookup(name: string, conf: ResolvConf, send: (query: DnsQuery) => DnsResponse | undefined, search: DnsSearchFn, type: QueryType = 'A'): LookupResult {
  const result: LookupResult = { name, type, exchanges: [], addresses: [] };
  const problem = nameProblem(name);
  if (problem !== undefined) return Object.assign({}, result, { herrno: 'NO_RECOVERY', refused: problem });
  const replies: StubReply[] = [];
  for (let step = 0; step < MAX_STEPS; step++) {
    const next = search({ name, search: conf.searches, ndots: ndotsOf(conf), replies: [...replies] });
    if ('herrno' in next) return Object.assign({}, result, { herrno: next.herrno });
    if (next.action === 'answer') {
      const last = result.exchanges[result.exchanges.length - 1];
      const answers = last?.response?.answers ?? [];
      return Object.assign({}, result, { answeredBy: next.name, addresses: answers.filter((rr) => rr.type === type).map((rr) => rr.data) });
    }
    const query: DnsQuery = { id: result.exchanges.length + 1, name: next.name, type };
    const response = send(query);
    result.exchanges.push({ query, response });
    replies.push(response === undefined ? { rcode: 'TIMEOUT', answers: 0 } : { rcode: response.rcode, answers: response.answers.length });
  }
  throw new Error(`lookup ${name}: the resolver asked for more than ${MAX_STEPS} queries`);
}
