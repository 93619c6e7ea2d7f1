import { describe, expect, it } from 'vitest';
import type { DnsQuery, DnsResponse } from './message';
import { nslookup, nslookupQueries, nslookupStatus, nslookupType } from './nslookup';
import { KUBELET_DNS } from './resolv-conf';

const conf = { nameservers: ['10.96.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] };
const send = (q: DnsQuery): DnsResponse => {
  const base = { id: q.id, authoritative: true, authority: [], additional: [] };
  if (q.name === 'web.default.svc.cluster.local') return { ...base, rcode: 'NOERROR', answers: q.type === 'A' ? [{ name: q.name, ttl: 30, type: 'A', data: '10.96.1.5' }] : [] };
  if (q.name === 'example.com') return { ...base, authoritative: false, rcode: 'NOERROR', answers: q.type === 'A' ? [{ name: q.name, ttl: 30, type: 'A', data: '93.184.215.14' }] : [] };
  return { ...base, rcode: 'NXDOMAIN', answers: [] };
};

describe("busybox's nslookup", () => {
  it('asks A then AAAA under every search domain for a name without a dot, and never the bare name', () => {
    expect(nslookupQueries('web', conf).map((q) => `${q.type} ${q.name}`)).toEqual([
      'A web.default.svc.cluster.local',
      'A web.svc.cluster.local',
      'A web.cluster.local',
      'AAAA web.default.svc.cluster.local',
      'AAAA web.svc.cluster.local',
      'AAAA web.cluster.local',
    ]);
    expect(nslookupQueries('web.default', conf).map((q) => q.name)).toEqual(['web.default', 'web.default']);
    expect(nslookupQueries('10.96.1.5', conf)).toEqual([{ id: 1, name: '5.1.96.10.in-addr.arpa', type: 'PTR' }]);
    expect(KUBELET_DNS.clusterDNS).toEqual(['10.96.0.10']);
  });

  it(`prints the server, each answer as Name/Address, each failure as "** server can't find", and an empty answer (NODATA) as nothing but its empty line`, () => {
    expect(nslookup('web', conf, send)).toBe(
      [
        'Server:\t\t10.96.0.10',
        'Address:\t10.96.0.10:53',
        '',
        'Name:\tweb.default.svc.cluster.local',
        'Address: 10.96.1.5',
        '',
        "** server can't find web.svc.cluster.local: NXDOMAIN",
        '',
        "** server can't find web.cluster.local: NXDOMAIN",
        '',
        '',
        "** server can't find web.svc.cluster.local: NXDOMAIN",
        '',
        "** server can't find web.cluster.local: NXDOMAIN",
        '',
        '',
      ].join('\n'),
    );
  });

  it('marks a forwarded answer "Non-authoritative answer:", and says so when no reply came at all', () => {
    expect(nslookup('example.com', conf, send).split('\n').slice(3, 6)).toEqual(['Non-authoritative answer:', 'Name:\texample.com', 'Address: 93.184.215.14']);
    expect(nslookup('web', conf, () => undefined)).toBe(';; connection timed out; no servers could be reached\n\n');
  });

  it('asks only the -type= given (SRV), searched the same way; refuses a type it does not know as busybox does', () => {
    expect(nslookupQueries('_http._tcp.web', conf, ['SRV']).map((q) => `${q.type} ${q.name}`)).toEqual(['SRV _http._tcp.web']);
    expect(nslookupQueries('web', conf, ['SRV']).map((q) => q.name)).toEqual(['web.default.svc.cluster.local', 'web.svc.cluster.local', 'web.cluster.local']);
    expect([nslookupType('srv'), nslookupType('MX')]).toEqual(['SRV', { error: 'nslookup: invalid query type "MX"' }]);
  });

  it('exits 1 when any reply is an error, even with the name found under the first search domain; 0 when every reply is NOERROR', () => {
    const exchanges = (name: string) => nslookupQueries(name, conf).map((query) => ({ query, response: send(query) }));
    expect([nslookupStatus(exchanges('web')), nslookupStatus(exchanges('example.com')), nslookupStatus([])]).toEqual([1, 0, 1]);
  });
});
