import { describe, expect, it } from 'vitest';
import { Rng } from '../sim/rng';
import { loadBalance } from './load-balance';
import type { DnsResponse, ResourceRecord } from './message';

const a = (ip: string): ResourceRecord => ({ name: 'nginx.default.svc.cluster.local', ttl: 30, type: 'A', data: ip });
const response = (answers: ResourceRecord[], rcode: DnsResponse['rcode'] = 'NOERROR'): DnsResponse => ({ id: 1, rcode, authoritative: true, answers, authority: [], additional: [] });

describe("CoreDNS's loadbalance plugin", () => {
  it('shuffles the address records, in an order the seed decides, keeping every record', () => {
    const records = ['10.244.1.2', '10.244.1.3', '10.244.2.2', '10.244.2.3'].map(a);
    const orders = new Set<string>();
    const rng = new Rng(7);
    for (let i = 0; i < 20; i++) {
      const out = loadBalance(response(records), rng).answers.map((rr) => rr.data);
      expect([...out].sort()).toEqual(records.map((rr) => rr.data));
      orders.add(out.join(' '));
    }
    expect(orders.size).toBeGreaterThan(1);
    const again = new Rng(7);
    expect(loadBalance(response(records), again).answers).toEqual(loadBalance(response(records), new Rng(7)).answers);
  });

  it('keeps a CNAME in front of the addresses, and leaves a failed response alone', () => {
    const cname: ResourceRecord = { name: 'db', ttl: 30, type: 'CNAME', data: 'example.com' };
    expect(loadBalance(response([a('1.1.1.1'), cname, a('2.2.2.2')]), new Rng(1)).answers[0]).toEqual(cname);
    const failed = response([a('1.1.1.1'), a('2.2.2.2')], 'SERVFAIL');
    expect(loadBalance(failed, new Rng(1))).toBe(failed);
  });
});
