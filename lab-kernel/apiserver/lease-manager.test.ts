import { describe, expect, it } from 'vitest';
import { LeaseManager } from './lease-manager';

describe("kube-apiserver's lease manager", () => {
  it('grants the TTL plus min(5% of it, 60 s): 3,660 s for an Event, 105 s for a 100 s TTL', () => {
    expect(LeaseManager.grantTtl(3600)).toBe(3660);
    expect(LeaseManager.grantTtl(100)).toBe(105);
  });

  it('reuses the last lease for a minute, then not: it would not outlive the next write by its TTL', () => {
    const m = new LeaseManager();
    m.granted(7, 3660, 0);
    expect(m.reusable(3600, 30_000)).toBe(7);
    expect(m.reusable(3600, 59_999)).toBe(7);
    expect(m.reusable(3600, 60_000)).toBeUndefined();
  });

  it('hands one lease to at most 1,000 objects', () => {
    const m = new LeaseManager();
    m.granted(7, 3660, 0);
    for (let i = 1; i < 1000; i++) expect(m.reusable(3600, 1000)).toBe(7);
    expect(m.reusable(3600, 1000)).toBeUndefined();
  });
});
