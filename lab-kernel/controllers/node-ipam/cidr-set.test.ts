import { describe, expect, it } from 'vitest';
import { CidrSet, NO_CIDRS_REMAINING } from './cidr-set';

describe("the node IPAM controller's CIDR set (cidrset)", () => {
  it('hands out the /24s of 10.244.0.0/16 in order, skipping one a node already holds', () => {
    const set = new CidrSet('10.244.0.0/16', 24);
    expect(set.allocateNext()).toBe('10.244.0.0/24');
    set.occupy('10.244.2.0/24');
    expect([set.allocateNext(), set.allocateNext()]).toEqual(['10.244.1.0/24', '10.244.3.0/24']);
  });

  it('goes on round-robin after a release, and reports an exhausted range with cidrset\'s error', () => {
    const set = new CidrSet('10.244.0.0/22', 24);
    expect([set.allocateNext(), set.allocateNext(), set.allocateNext(), set.allocateNext()]).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24', '10.244.3.0/24']);
    expect(() => set.allocateNext()).toThrow(NO_CIDRS_REMAINING);
    set.release('10.244.1.0/24');
    expect(set.allocateNext()).toBe('10.244.1.0/24');
  });

  it('refuses to occupy a CIDR outside the cluster CIDR', () => {
    expect(() => new CidrSet('10.244.0.0/16', 24).occupy('10.96.0.0/24')).toThrow('cidr 10.96.0.0/24 is out the range of cluster cidr 10.244.0.0/16');
  });
});
