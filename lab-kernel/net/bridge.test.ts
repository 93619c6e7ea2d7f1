import { describe, expect, it } from 'vitest';
import { DEFAULT_AGEING_MS, Fdb } from './bridge';

describe('a bridge forwarding database', () => {
  it('learns a source MAC on the port it came in on, and moves it when it shows up elsewhere', () => {
    const fdb = new Fdb();
    fdb.learn('02:00:00:00:00:01', 'veth-a', 0);
    expect(fdb.lookup('02:00:00:00:00:01', 10)).toBe('veth-a');
    fdb.learn('02:00:00:00:00:01', 'veth-b', 20);
    expect(fdb.lookup('02:00:00:00:00:01', 30)).toBe('veth-b');
  });

  it('ages an entry out after 300 s, so the next frame to it is flooded', () => {
    const fdb = new Fdb();
    expect(DEFAULT_AGEING_MS).toBe(300_000);
    fdb.learn('02:00:00:00:00:01', 'veth-a', 0);
    expect(fdb.lookup('02:00:00:00:00:01', 300_000)).toBe('veth-a');
    expect(fdb.lookup('02:00:00:00:00:01', 300_001)).toBeUndefined();
    expect(fdb.show('cni0', 300_001)).toEqual([]);
  });

  it('lists learned entries as bridge fdb show does, and forgets a removed port', () => {
    const fdb = new Fdb();
    fdb.learn('02:00:00:00:00:01', 'veth-a', 0);
    fdb.learn('02:00:00:00:00:02', 'veth-b', 0);
    expect(fdb.show('cni0', 5)).toEqual(['02:00:00:00:00:01 dev veth-a master cni0', '02:00:00:00:00:02 dev veth-b master cni0']);
    fdb.forgetPort('veth-a');
    expect(fdb.lookup('02:00:00:00:00:01', 5)).toBeUndefined();
  });
});
