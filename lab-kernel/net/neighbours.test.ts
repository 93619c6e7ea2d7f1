import { describe, expect, it } from 'vitest';
import { parseIp } from './ipv4';
import { NeighbourTable } from './neighbours';

describe('a neighbour table', () => {
  const gw = parseIp('10.244.1.1');

  it('answers from a resolution for 30 s, then asks for a new one', () => {
    const t = new NeighbourTable();
    t.record('eth0', gw, '02:00:00:00:00:09', 0);
    expect(t.lookup('eth0', gw, 29_999)).toBe('02:00:00:00:00:09');
    expect(t.lookup('eth0', gw, 30_000)).toBeUndefined();
    expect(t.show(30_000)).toEqual(['10.244.1.1 dev eth0 lladdr 02:00:00:00:00:09 STALE']);
  });

  it('keeps entries per device, and shows a failed resolution as FAILED', () => {
    const t = new NeighbourTable();
    t.record('eth0', gw, '02:00:00:00:00:09', 0);
    t.record('eth1', gw, undefined, 0);
    expect(t.lookup('eth1', gw, 1)).toBeUndefined();
    expect(t.show(1)).toEqual(['10.244.1.1 dev eth0 lladdr 02:00:00:00:00:09 REACHABLE', '10.244.1.1 dev eth1 FAILED']);
  });
});
