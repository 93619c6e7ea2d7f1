import { describe, expect, it } from 'vitest';
import { DnsCache } from './dns-cache';
import type { DnsQuery, DnsResponse } from './message';

const q = (name: string): DnsQuery => ({ id: 9, name, type: 'A' });
const answer = (name: string, ttl: number): DnsResponse => ({ id: 1, rcode: 'NOERROR', authoritative: false, answers: [{ name, ttl, type: 'A', data: '1.2.3.4' }], authority: [], additional: [] });
const nxdomain = (soaTtl: number, minimum: number): DnsResponse => ({
  id: 1,
  rcode: 'NXDOMAIN',
  authoritative: true,
  answers: [],
  authority: [{ name: 'cluster.local', ttl: soaTtl, type: 'SOA', data: `ns.dns.cluster.local hostmaster.cluster.local 1 7200 1800 86400 ${minimum}` }],
  additional: [],
});

describe("CoreDNS's cache plugin (cache 30)", () => {
  it("keeps an answer at most 30 s, counting its TTL down, with the AA bit and the new query's id", () => {
    const cache = new DnsCache();
    cache.put(q('example.com'), answer('example.com', 300), 0);
    expect(cache.get(q('example.com'), 12_000)).toMatchObject({ id: 9, authoritative: true, answers: [{ ttl: 18 }] });
    expect(cache.get(q('example.com'), 30_000)).toBeUndefined();
  });

  it('keeps an answer with a shorter TTL no longer than that TTL, and at least 5 s', () => {
    const cache = new DnsCache();
    cache.put(q('a.example'), answer('a.example', 10), 0);
    cache.put(q('b.example'), answer('b.example', 1), 0);
    expect(cache.get(q('a.example'), 9_000)?.answers[0].ttl).toBe(1);
    expect(cache.get(q('a.example'), 10_000)).toBeUndefined();
    expect(cache.get(q('b.example'), 4_000)?.answers[0].ttl).toBe(1);
  });

  it("keeps a denial as long as the smaller of its SOA's TTL and MINIMUM, capped at 30 s", () => {
    const cache = new DnsCache({ disable: [] });
    cache.put(q('nope.default.svc.cluster.local'), nxdomain(30, 20), 0);
    expect(cache.get(q('nope.default.svc.cluster.local'), 19_000)?.rcode).toBe('NXDOMAIN');
    expect(cache.get(q('nope.default.svc.cluster.local'), 20_000)).toBeUndefined();
  });

  it("caches nothing for cluster.local under kubeadm 1.32's disable success/denial, and does under a plain cache 30", () => {
    const kubeadm = new DnsCache();
    kubeadm.put(q('web.default.svc.cluster.local'), answer('web.default.svc.cluster.local', 30), 0);
    expect(kubeadm.get(q('web.default.svc.cluster.local'), 1_000)).toBeUndefined();
    const plain = new DnsCache({ disable: [] });
    plain.put(q('web.default.svc.cluster.local'), answer('web.default.svc.cluster.local', 30), 0);
    expect(plain.get(q('web.default.svc.cluster.local'), 29_000)?.answers[0].ttl).toBe(1);
  });

  it('does not cache SERVFAIL', () => {
    const cache = new DnsCache();
    cache.put(q('x.example'), { ...answer('x.example', 30), rcode: 'SERVFAIL', answers: [] }, 0);
    expect(cache.size()).toBe(0);
  });
});
