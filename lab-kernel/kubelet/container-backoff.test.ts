import { describe, expect, it } from 'vitest';
import { goDuration } from '../api/time';
import { ContainerBackoff } from './container-backoff';

describe("the kubelet's restart back-off (flowcontrol.Backoff, 10 s to 300 s)", () => {
  it('does a crash-looping container wait 10, 20, 40, 80, 160, 300, 300 s between restarts?', () => {
    const b = new ContainerBackoff();
    let t = 0;
    const waits: string[] = [];
    expect(b.inBackoff('web', t, t), 'the first crash restarts at once').toBe(false);
    b.next('web', t, t);
    for (let i = 0; i < 7; i++) {
      t += 1_000; // it runs a second, then crashes again
      const crashed = t;
      let waited = 0;
      while (b.inBackoff('web', crashed, t)) {
        t += 1_000;
        waited += 1_000;
      }
      waits.push(goDuration(waited));
      b.next('web', crashed, t);
    }
    expect(waits).toEqual(['10s', '20s', '40s', '1m20s', '2m40s', '5m0s', '5m0s']);
    expect(b.describe('web')).toBe('5m0s');
  });

  it('does a container that ran for more than 10 minutes start over at 10 s?', () => {
    const b = new ContainerBackoff();
    b.next('web', 0, 0);
    b.next('web', 1_000, 11_000); // backoff 20 s, last moved at 11 s
    expect(b.inBackoff('web', 11_000 + 600_000, 11_000 + 600_001)).toBe(true); // exactly 10 min: still counts
    expect(b.inBackoff('web', 11_000 + 600_001, 11_000 + 600_002)).toBe(false);
    b.next('web', 11_000 + 600_001, 11_000 + 600_002);
    expect(b.describe('web')).toBe('10s');
  });
});
