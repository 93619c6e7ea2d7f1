import { describe, expect, it } from 'vitest';
import { formatDig } from './dig';

describe('dig', () => {
  it("prints the header, the flags with dig's recursion warning for an authoritative answer, and the sections", () => {
    const out = formatDig('10.96.0.10', {
      query: { id: 4, name: 'nope.default.svc.cluster.local', type: 'A' },
      response: { id: 4, rcode: 'NXDOMAIN', authoritative: true, answers: [], authority: [{ name: 'cluster.local', ttl: 30, type: 'SOA', data: 'ns.dns.cluster.local hostmaster.cluster.local 1735689612 7200 1800 86400 30' }], additional: [] },
    });
    expect(out).toBe(
      [
        '; <<>> DiG 9.18 <<>> nope.default.svc.cluster.local A',
        ';; Got answer:',
        ';; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 4',
        ';; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 0',
        ';; WARNING: recursion requested but not available',
        '',
        ';; QUESTION SECTION:',
        ';nope.default.svc.cluster.local.\tIN\tA',
        '',
        ';; AUTHORITY SECTION:',
        'cluster.local.\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 1735689612 7200 1800 86400 30',
        '',
        ';; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)',
        '',
      ].join('\n'),
    );
  });

  it('says no server could be reached when no reply came', () => {
    expect(formatDig('10.96.0.10', { query: { id: 1, name: 'x', type: 'A' }, response: undefined })).toContain(';; no servers could be reached');
  });
});
