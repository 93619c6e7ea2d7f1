import { describe, expect, it } from 'vitest';
import { addressOfReverse, canonical, inZone, nameProblem, recordLine, reverseName } from './message';

describe('DNS names and records', () => {
  it('refuses a name with a label over 63 characters, an empty label or more than 253 characters, and takes one of 63', () => {
    expect(nameProblem(`${'a'.repeat(63)}.default.svc.cluster.local`)).toBeUndefined();
    expect(nameProblem(`${'a'.repeat(64)}.default.svc.cluster.local`)).toBe('label "aaaaaaaaaa…" is longer than 63 characters');
    expect(nameProblem('web..default')).toBe('empty label in "web..default"');
    expect(nameProblem(Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.'))).toBe('name is longer than 253 characters');
  });

  it('compares names without case or the trailing dot, and tells whether one is in a zone', () => {
    expect(canonical('Web.Default.')).toBe('web.default');
    expect(inZone('web.default.svc.cluster.local.', 'cluster.local')).toBe(true);
    expect(inZone('notcluster.local', 'cluster.local')).toBe(false);
  });

  it('turns an IPv4 address into its in-addr.arpa name and back', () => {
    expect(reverseName('10.96.1.5')).toBe('5.1.96.10.in-addr.arpa');
    expect(addressOfReverse('5.1.96.10.in-addr.arpa.')).toBe('10.96.1.5');
    expect(addressOfReverse('1.96.10.in-addr.arpa')).toBeUndefined();
  });

  it('writes records as dig does, with the names made absolute', () => {
    expect(recordLine({ name: 'web.default.svc.cluster.local', ttl: 30, type: 'A', data: '10.96.1.5' })).toBe('web.default.svc.cluster.local.\t30\tIN\tA\t10.96.1.5');
    expect(recordLine({ name: 'x', ttl: 5, type: 'SRV', data: '0 100 80 web.default.svc.cluster.local' })).toBe('x.\t5\tIN\tSRV\t0 100 80 web.default.svc.cluster.local.');
    expect(recordLine({ name: 'cluster.local', ttl: 30, type: 'SOA', data: 'ns.dns.cluster.local hostmaster.cluster.local 1 7200 1800 86400 30' })).toBe(
      'cluster.local.\t30\tIN\tSOA\tns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 30',
    );
  });
});
