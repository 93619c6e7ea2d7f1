import { describe, expect, it } from 'vitest';
import { Rng } from '../../sim/rng';
import { AllocationError, IpRange } from './ip-range';
import { PortRange } from './port-range';

/** What a call answers: 'ok', or the allocator's message. */
const outcome = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (err) {
    if (err instanceof AllocationError) return err.message;
    throw err;
  }
};

describe('the cluster IP range (ipallocator.Range)', () => {
  it('takes a requested address once, refuses it while taken or outside the range, and takes it again once released', () => {
    const ips = new IpRange('10.96.0.0/12', new Rng(1));
    const steps: [string, () => unknown, string][] = [
      ['first address', () => ips.allocate('10.96.0.1'), 'ok'],
      ['again', () => ips.allocate('10.96.0.1'), 'provided IP is already allocated'],
      ['last address', () => ips.allocate('10.111.255.254'), 'ok'],
      ['the broadcast address', () => ips.allocate('10.111.255.255'), 'the provided IP (10.111.255.255) is not in the valid range. The range of valid IPs is 10.96.0.0/12'],
      ['the network address', () => ips.allocate('10.96.0.0'), 'the provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/12'],
      ['outside', () => ips.allocate('10.200.0.1'), 'the provided IP (10.200.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12'],
      ['released', () => ips.release('10.96.0.1'), 'ok'],
      ['taken again', () => ips.allocate('10.96.0.1'), 'ok'],
    ];
    expect(steps.map(([what, f]) => [what, outcome(f)])).toEqual(steps.map(([what, , want]) => [what, want]));
    expect(ips.first).toBe('10.96.0.1');
  });

  it('picks addresses above the lower band (10.96.1.1 and up in a /12), the same ones for the same seed', () => {
    const picks = (seed: number) => {
      const ips = new IpRange('10.96.0.0/12', new Rng(seed));
      return Array.from({ length: 50 }, () => ips.allocateNext());
    };
    const first = picks(7);
    const toNumber = (ip: string) => ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);
    expect(first.every((ip) => toNumber(ip) >= toNumber('10.96.1.1') && toNumber(ip) <= toNumber('10.111.255.254'))).toBe(true);
    expect(new Set(first).size).toBe(50);
    expect(picks(7)).toEqual(first);
    expect(picks(8)).not.toEqual(first);
  });

  it('takes the lower band only once the upper one is full, then says the range is full', () => {
    // A /27: 30 usable addresses, .1 to .16 the lower band (16 of them), .17 to .30 the upper.
    const ips = new IpRange('10.0.0.0/27', new Rng(3));
    const last = (ip: string) => Number(ip.split('.')[3]);
    const upper = Array.from({ length: 14 }, () => last(ips.allocateNext()));
    expect([...upper].sort((a, b) => a - b)).toEqual(Array.from({ length: 14 }, (_, i) => 17 + i));
    const lower = Array.from({ length: 16 }, () => last(ips.allocateNext()));
    expect([...lower].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => 1 + i));
    expect(outcome(() => ips.allocateNext())).toBe('range is full');
    ips.release('10.0.0.9');
    expect(ips.allocateNext()).toBe('10.0.0.9');
  });

  it('checks only the range on a dry run, and answers the network address for a dry-run pick', () => {
    const ips = new IpRange('10.96.0.0/12', new Rng(1));
    ips.allocate('10.96.0.10');
    expect(outcome(() => ips.allocate('10.96.0.10', true))).toBe('ok');
    expect(outcome(() => ips.allocate('10.0.0.1', true))).toBe('the provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12');
    expect(ips.allocateNext(true)).toBe('10.96.0.0');
    expect(ips.free()).toBe(2 ** 20 - 3);
  });
});

describe('the node port range (portallocator)', () => {
  it('takes a requested port once, refuses it while taken or outside 30000-32767, and takes it again once released', () => {
    const ports = new PortRange(30000, 2768, new Rng(1));
    const steps: [string, () => unknown, string][] = [
      ['30080', () => ports.allocate(30080), 'ok'],
      ['30080 again', () => ports.allocate(30080), 'provided port is already allocated'],
      ['32767', () => ports.allocate(32767), 'ok'],
      ['32768', () => ports.allocate(32768), 'provided port is not in the valid range. The range of valid ports is 30000-32767'],
      ['8080', () => ports.allocate(8080), 'provided port is not in the valid range. The range of valid ports is 30000-32767'],
      ['released', () => ports.release(30080), 'ok'],
      ['30080 once more', () => ports.allocate(30080), 'ok'],
    ];
    expect(steps.map(([what, f]) => [what, outcome(f)])).toEqual(steps.map(([what, , want]) => [what, want]));
  });

  it('picks ports above the lower band (30086 and up), then the lower band, then says the range is full', () => {
    const ports = new PortRange(30000, 2768, new Rng(5));
    const picked = Array.from({ length: 2768 - 86 }, () => ports.allocateNext());
    expect(Math.min(...picked)).toBe(30086);
    expect(Math.max(...picked)).toBe(32767);
    const lower = Array.from({ length: 86 }, () => ports.allocateNext());
    expect([...lower].sort((a, b) => a - b)).toEqual(Array.from({ length: 86 }, (_, i) => 30000 + i));
    expect(outcome(() => ports.allocateNext())).toBe('range is full');
  });
});
