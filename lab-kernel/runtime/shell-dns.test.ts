import { describe, expect, it } from 'vitest';
import { firstAnswer } from '../../solutions/dns/dns-search';
import type { DnsQuery, DnsResponse } from '../dns/message';
import { parseResolvConf } from '../dns/resolv-conf';
import { runCommand, type NetAnswer, type NetRequest } from './shell';
import { nslookupCommand, resolveHost, RESOLVER_TIMEOUT_MS, type DnsAnswer, type DnsRequest } from './shell-dns';

const CONF = parseResolvConf('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
const found = (q: DnsQuery, ip: string): DnsResponse => ({ id: q.id, rcode: 'NOERROR', authoritative: true, answers: [{ name: q.name, ttl: 30, type: 'A', data: ip }], authority: [], additional: [] });
const nx = (q: DnsQuery): DnsResponse => ({ id: q.id, rcode: 'NXDOMAIN', authoritative: true, answers: [], authority: [], additional: [] });
/** A server that knows only web.default.svc.cluster.local, each batch answered in 0.5 ms. */
const server = (request: DnsRequest): DnsAnswer => ({ responses: request.dns.map((q) => (q.name === 'web.default.svc.cluster.local' && q.type === 'A' ? found(q, '10.96.1.5') : nx(q))), ms: 0.5 });

describe("the shell's name lookups (getaddrinfo through the pod's resolv.conf, and busybox nslookup)", () => {
  it('stops at the first query it has no reply for, naming the query and the nameserver', () => {
    expect(resolveHost('web', CONF, () => undefined, firstAnswer)).toEqual({
      pending: { atMs: 0, request: { dns: [{ id: 1, name: 'web.default.svc.cluster.local', type: 'A' }], server: '10.96.0.10', timeoutMs: RESOLVER_TIMEOUT_MS } },
    });
  });

  it("finds a short name from the first search domain, and a name with fewer than 5 dots only after every domain's NXDOMAIN", () => {
    expect(resolveHost('web', CONF, server, firstAnswer)).toEqual({ address: '10.96.1.5', elapsedMs: 0.5 });
    expect(resolveHost('example.com', CONF, server, firstAnswer)).toEqual({ failed: 'HOST_NOT_FOUND', elapsedMs: 2 });
  });

  it("reports a resolver search that throws as the search's error, not a hang or a crash", () => {
    const broken = () => {
      throw new Error('not implemented yet: dns-search');
    };
    expect(resolveHost('web', CONF, server, broken)).toEqual({ failed: "the resolver's search (dns-search) threw: not implemented yet: dns-search", elapsedMs: 0 });
  });

  it('runs wget by name: the query, then the GET to the address with the name as its Host header', () => {
    const sent: NetRequest[] = [];
    const answer = (r: NetRequest): NetAnswer => {
      sent.push(r);
      return 'dns' in r ? server(r) : { outcome: { code: 200, body: 'hi' }, ms: 0.3 };
    };
    const run = runCommand(['wget', '-qO-', 'http://web:80/x'], { fetch: answer, readFile: () => 'nameserver 10.96.0.10\nsearch default.svc.cluster.local\noptions ndots:5\n', dnsSearch: firstAnswer });
    expect(run.output).toEqual([{ atMs: 0.8, stream: 'stdout', line: 'hi' }]);
    expect(sent[1]).toEqual({ host: '10.96.1.5', port: 80, path: '/x', hostHeader: 'web' });
  });

  it("prints nslookup's report of every query it sent together: the answer, and each NXDOMAIN, which makes it exit 1 as busybox does", () => {
    const run = nslookupCommand(['web'], CONF, server);
    const text = run.lines.map((l) => l.line).join('\n');
    expect(text).toContain('Name:\tweb.default.svc.cluster.local\nAddress: 10.96.1.5');
    expect(text).toContain("** server can't find web.svc.cluster.local: NXDOMAIN");
    expect(run.status).toBe(1);
  });

  it('runs nslookup -type=SRV and refuses an unknown type or option with busybox\'s words', () => {
    const srv = (request: DnsRequest): DnsAnswer => ({ responses: request.dns.map((q) => ({ id: q.id, rcode: 'NOERROR', authoritative: true, answers: [{ name: q.name, ttl: 30, type: 'SRV', data: '0 100 80 web.default.svc.cluster.local' }], authority: [], additional: [] })), ms: 0.4 });
    const run = nslookupCommand(['-type=SRV', '_http._tcp.web.default.svc.cluster.local'], CONF, srv);
    expect(run.lines.map((l) => l.line)).toContain('_http._tcp.web.default.svc.cluster.local\tservice = 0 100 80 web.default.svc.cluster.local');
    expect(run.status).toBe(0);
    expect(nslookupCommand(['-type=MX', 'web'], CONF, srv).lines[0].line).toBe('nslookup: invalid query type "MX"');
    expect(nslookupCommand(['-x', 'web'], CONF, srv).lines[0].line).toMatch(/^Usage: nslookup/);
  });
});
