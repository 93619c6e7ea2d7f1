/**
 * Exercise `dns-search` — which names a lookup asks for, and when it stops. (chapter 11)
 *
 * A pod's /etc/resolv.conf, as the kubelet writes it:
 *
 *   search default.svc.cluster.local svc.cluster.local cluster.local lab.internal
 *   nameserver 10.96.0.10
 *   options ndots:5
 *
 * `curl http://web` works because the C library's stub resolver does not ask for "web": it
 * asks the cluster DNS for web.default.svc.cluster.local first. And `curl http://example.com`
 * is slow because it asks for example.com.default.svc.cluster.local, then four more names,
 * before example.com itself: a name with fewer than ndots (5) dots goes through the search
 * list first. You write that search, as glibc's res_nsearch does it (resolv/res_query.c).
 *
 * Your function is called once per step: with the name, the search list, ndots and the replies
 * to the queries sent so far, it says whether to send another query (and for which name), to
 * take the last reply as the answer, or to give up with the resolver's error (h_errno). The
 * lookup around it (lab-kernel/dns/lookup.ts) sends the queries to the cluster's DNS server
 * and feeds the replies back; busybox's wget and ping in a pod resolve through it.
 *
 * This is glibc's search. musl (Alpine images) differs: a name with ndots dots or more is
 * only ever asked as it is, and any reply but NXDOMAIN ends the search.
 *
 * Run it against a cluster's DNS with
 *   lookup('web', podResolvConf(pod).conf, coreDns.answer, cluster.code['dns-search'])
 * and grade it with
 *   npm run grade -- dns-search
 *
 * Input => output, by example (search [default.svc.cluster.local, svc.cluster.local, cluster.local], ndots 5):
 *
 *   'web', no replies yet                  => query web.default.svc.cluster.local
 *   'web', replies [NOERROR with 1 answer] => answer web.default.svc.cluster.local
 *   'www.example.com', replies [NXDOMAIN]  => query www.example.com.svc.cluster.local
 *   'www.example.com.' (absolute), none    => query www.example.com
 *   'nope', four NXDOMAIN replies          => fail HOST_NOT_FOUND
 */
import { herrnoOf, type DnsSearchInput, type DnsSearchStep, type StubReply } from '../../lab-kernel/dns/dns-search-contract';

/**
 * TODO(1) The names to ask for, in order, if every reply were NXDOMAIN. Count the dots in the
 * name. A name ending with a dot is absolute: only itself, without that dot. A name with at
 * least ndots dots is tried as it is first, then with each search domain appended; any other
 * name with each search domain first, in the list's order, then as it is.
 *
 *   { name: 'web', search: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ndots: 5 }
 *     => ['web.default.svc.cluster.local', 'web.svc.cluster.local', 'web.cluster.local', 'web']
 *   { name: 'a.b.c.d.e', search: ['svc.cluster.local'], ndots: 5 }     => ['a.b.c.d.e.svc.cluster.local', 'a.b.c.d.e']
 *   { name: 'a.b.c.d.e.f', search: ['svc.cluster.local'], ndots: 5 }   => ['a.b.c.d.e.f', 'a.b.c.d.e.f.svc.cluster.local']
 *   { name: 'web.default.svc.cluster.local.', search: [...], ndots: 5 } => ['web.default.svc.cluster.local']
 */
export function resolveQueries(input: Pick<DnsSearchInput, 'name' | 'search' | 'ndots'>): string[] {
  // BEGIN SOLUTION
  if (input.name.endsWith('.')) return [input.name.slice(0, -1)];
  const dots = input.name.split('.').length - 1;
  const searched = input.search.map((domain) => `${input.name}.${domain}`);
  return dots >= input.ndots ? [input.name, ...searched] : [...searched, input.name];
  // END SOLUTION
}

/**
 * TODO(2) One step of the search. Walk the names of TODO(1), pairing the i-th reply with the
 * i-th query actually sent; the first name without a reply yet is the next query. A reply with
 * answers (NOERROR, answers > 0) is the answer.
 *
 * While going through the search domains: NXDOMAIN, NODATA (NOERROR without answers) and
 * SERVFAIL move on to the next name; anything else (a TIMEOUT, REFUSED) ends the search
 * domains, but the name as it is still gets its query if it has not had one yet.
 *
 * When every name has failed, the error is: the as-is reply's, if the name was tried as it is
 * FIRST (an absolute name always is: its one failed reply is the lookup's error); else NO_DATA if any search domain gave NODATA; else TRY_AGAIN if any gave SERVFAIL;
 * else the last reply's (herrnoOf).
 *
 *   'web', ndots 5, replies []                                      => { action: 'query', name: 'web.default.svc.cluster.local' }
 *   'web', replies [NXDOMAIN]                                       => { action: 'query', name: 'web.svc.cluster.local' }
 *   'web', replies [NXDOMAIN, NOERROR 1 answer]                     => { action: 'answer', name: 'web.svc.cluster.local' }
 *   'web', replies [TIMEOUT]                                        => { action: 'query', name: 'web' } (the search ends; as-is is still tried)
 *   'web', replies [NXDOMAIN, NOERROR 0 answers, NXDOMAIN, NXDOMAIN] => { action: 'fail', herrno: 'NO_DATA' }
 *   'web.default.svc.cluster.local.', replies [NXDOMAIN]           => { action: 'fail', herrno: 'HOST_NOT_FOUND' }
 */
export function firstAnswer(input: DnsSearchInput): DnsSearchStep {
  // BEGIN SOLUTION
  const queries = resolveQueries(input);
  const asIs = input.name.endsWith('.') ? input.name.slice(0, -1) : input.name;
  const triedFirst = queries[0] === asIs;
  let sent = 0;
  let stopped = false;
  let nodata = false;
  let servfail = false;
  let last: StubReply | undefined;
  for (const name of queries) {
    const searching = name !== asIs;
    if (stopped && searching) continue;
    const reply = input.replies[sent];
    if (reply === undefined) return { action: 'query', name };
    sent++;
    if (reply.rcode === 'NOERROR' && reply.answers > 0) return { action: 'answer', name };
    last = reply;
    if (!searching) continue;
    if (reply.rcode === 'NOERROR') nodata = true;
    else if (reply.rcode === 'SERVFAIL') servfail = true;
    else if (reply.rcode !== 'NXDOMAIN') stopped = true;
  }
  if (triedFirst) return { action: 'fail', herrno: herrnoOf(input.replies[0]) };
  if (nodata) return { action: 'fail', herrno: 'NO_DATA' };
  if (servfail) return { action: 'fail', herrno: 'TRY_AGAIN' };
  return { action: 'fail', herrno: last === undefined ? 'HOST_NOT_FOUND' : herrnoOf(last) };
  // END SOLUTION
}
