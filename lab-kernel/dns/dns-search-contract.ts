import type { Rcode } from './message';

/**
 * The contract of exercise `dns-search`: the stub resolver's search, as glibc's
 * res_nsearch (resolv/res_query.c, __res_context_search) makes it, one step at a time.
 *
 * A program in a pod asks for a name ('web', 'web.other', 'www.example.com.'); the resolver
 * in its C library turns it into fully qualified names with the search list and ndots of the
 * pod's resolv.conf, and asks the nameserver for them one after the other until one has an
 * answer. The step function is given what it was asked and the replies so far, and says what
 * to do next: send one more query, take an answer, or give up with an h_errno. (A step at a
 * time because the replies come from the network; the lookup around it, lookup.ts, sends the
 * queries and feeds the replies back.)
 *
 *   dnsSearch({ name: 'web', search: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ndots: 5, replies: [] })
 *   // => { action: 'query', name: 'web.default.svc.cluster.local' }
 *   ... replies: [{ rcode: 'NOERROR', answers: 1 }]
 *   // => { action: 'answer', name: 'web.default.svc.cluster.local' }
 *
 * glibc's, not musl's: musl (Alpine) does not search at all when the name has ndots dots or
 * more, and stops at the first reply that is not NXDOMAIN.
 */
export interface DnsSearchInput {
  /** The name as the program gave it; a trailing dot makes it absolute. */
  name: string;
  /** resolv.conf's search domains, in order. */
  search: readonly string[];
  /** resolv.conf's `options ndots:n` (1 when absent; the kubelet writes 5). */
  ndots: number;
  /** The replies to the queries sent so far: replies[i] answers the i-th query sent. */
  replies: readonly StubReply[];
}

/**
 * What came back for one query: its rcode and how many answer records it had, or TIMEOUT
 * when the nameserver never answered (after the resolver's own retries).
 *   { rcode: 'NOERROR', answers: 1 }   an answer
 *   { rcode: 'NOERROR', answers: 0 }   NODATA: the name exists, without a record of this type
 *   { rcode: 'NXDOMAIN', answers: 0 }  no such name
 */
export interface StubReply {
  rcode: Rcode | 'TIMEOUT';
  answers: number;
}

/** The resolver's error for a failed lookup (netdb.h's h_errno), as getaddrinfo and `host` report it. */
export type HErrno = 'HOST_NOT_FOUND' | 'NO_DATA' | 'TRY_AGAIN' | 'NO_RECOVERY';

export type DnsSearchStep =
  /** Send a query for this fully qualified name (no trailing dot). */
  | { action: 'query'; name: string }
  /** The last reply is the answer; it was for this name. */
  | { action: 'answer'; name: string }
  /** The lookup failed. */
  | { action: 'fail'; herrno: HErrno };

export type DnsSearchFn = (input: DnsSearchInput) => DnsSearchStep;

/**
 * The h_errno one reply leaves behind (res_nquery): NXDOMAIN => HOST_NOT_FOUND, SERVFAIL or no
 * reply at all => TRY_AGAIN, NOERROR without answers => NO_DATA, anything else (REFUSED,
 * FORMERR, NOTIMP) => NO_RECOVERY. A reply with answers leaves none.
 *   herrnoOf({ rcode: 'NXDOMAIN', answers: 0 })  // => 'HOST_NOT_FOUND'
 */
export function herrnoOf(reply: StubReply): HErrno {
  switch (reply.rcode) {
    case 'NXDOMAIN':
      return 'HOST_NOT_FOUND';
    case 'SERVFAIL':
    case 'TIMEOUT':
      return 'TRY_AGAIN';
    case 'NOERROR':
      return 'NO_DATA';
    default:
      return 'NO_RECOVERY';
  }
}
