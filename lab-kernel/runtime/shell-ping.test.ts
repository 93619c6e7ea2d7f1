import { describe, expect, it } from 'vitest';
import { exchange, nodeLab } from '../net/scenario.fixture';
import { runCommand } from './shell';
import { runOverNetwork } from './shell-network';
import { pingCommand, pingFrom, pingOutcome } from './shell-ping';

describe("busybox's ping applet", () => {
  it('prints a line per reply with seq from 0, the TTL and the time, then the statistics, and exits 0', () => {
    const times = [0.4, 0.6];
    let n = 0;
    const run = pingCommand(['-c', '2', '10.244.2.2'], () => ({ outcome: { ttl: 62 }, ms: times[n++] }));
    expect(run.lines.map((l) => `${l.atMs} ${l.line}`)).toEqual([
      '0 PING 10.244.2.2 (10.244.2.2): 56 data bytes',
      '0.4 64 bytes from 10.244.2.2: seq=0 ttl=62 time=0.400 ms',
      '1000.6 64 bytes from 10.244.2.2: seq=1 ttl=62 time=0.600 ms',
      '1000.6 ',
      '1000.6 --- 10.244.2.2 ping statistics ---',
      '1000.6 2 packets transmitted, 2 packets received, 0% packet loss',
      '1000.6 round-trip min/avg/max = 0.400/0.500/0.600 ms',
    ]);
    expect(run.status).toBe(0);
  });

  it('prints times in whole microseconds, truncated, and the average as the integer division of their sum', () => {
    const times = [0.4, 0.5, 0.5006];
    let n = 0;
    const lines = pingCommand(['-c', '3', '10.244.2.2'], () => ({ outcome: { ttl: 62 }, ms: times[n++] })).lines.map((l) => l.line);
    expect(lines[3]).toBe('64 bytes from 10.244.2.2: seq=2 ttl=62 time=0.500 ms');
    expect(lines.at(-1)).toBe('round-trip min/avg/max = 0.400/0.466/0.500 ms');
  });

  it('a lost echo prints no line and counts as loss; all lost exits 1', () => {
    const run = pingCommand(['-c', '1', '10.244.9.9'], () => ({ outcome: 'timeout', ms: 1000 }));
    expect(run.lines.map((l) => l.line)).toContain('1 packets transmitted, 0 packets received, 100% packet loss');
    expect(run.status).toBe(1);
  });

  it('no route: sendto fails at once with exit code 1', () => {
    const run = pingCommand(['-c', '3', '10.244.9.9'], () => ({ outcome: { sendto: 'Network is unreachable' }, ms: 0 }));
    expect(run.lines.map((l) => l.line)).toEqual(['PING 10.244.9.9 (10.244.9.9): 56 data bytes', 'ping: sendto: Network is unreachable']);
    expect(run.status).toBe(1);
  });

  it('stops at an echo it has no answer for yet, and says when it is sent', () => {
    let n = 0;
    const run = pingCommand(['-c', '3', '10.244.2.2'], () => (n++ === 0 ? { outcome: { ttl: 62 }, ms: 0.4 } : undefined));
    expect(run.pending).toEqual({ atMs: 1000, request: { ping: '10.244.2.2', timeoutMs: 1000 } });
  });

  it('without -c or with a name instead of an address it refuses, as the lab has no DNS here', () => {
    expect(pingCommand(['10.244.2.2'], () => undefined).status).toBe(1);
    expect(pingCommand(['-c', '1', 'web'], () => undefined).lines[0].line).toBe("ping: bad address 'web'");
  });

  it('over the packet network: a pod pings its neighbour on the bridge and gets the reply with TTL 64 (no router between)', () => {
    const lab = nodeLab();
    const out: string[] = [];
    const http = () => {
      throw new Error('no HTTP here');
    };
    runOverNetwork(lab.sim, 0, (fetch) => runCommand(['ping', '-c', '1', '10.244.1.3'], { fetch }), { http, ping: pingFrom(lab.net, lab.pods[0]) }, (run) => {
      if (run.pending === undefined) out.push(...run.output.map((l) => l.line));
    });
    lab.sim.runFor(2_000);
    expect(out[1]).toMatch(/^64 bytes from 10\.244\.1\.3: seq=0 ttl=64 time=/);
  });

  it("an ICMP error from a router is no reply to ping (busybox ignores a packet whose ICMP id is not its echo's): the echo counts as lost; no route in the pod is sendto's error", () => {
    const lab = nodeLab();
    const r = exchange(lab, (done) => lab.net.ping(lab.pods[0], '192.168.1.1', { ttl: 1 }, done));
    expect(pingOutcome(r, lab.pods[0].name)).toEqual({ icmp: '11 (Time Exceeded)' });
    const printed = pingCommand(['-c', '1', '192.168.1.1'], () => ({ outcome: { icmp: '11 (Time Exceeded)' }, ms: 0.3 }));
    expect([printed.lines.map((l) => l.line).filter((l) => l.startsWith('ping:')), printed.lines.at(-1)?.line, printed.status]).toEqual([[], '1 packets transmitted, 0 packets received, 100% packet loss', 1]);
    lab.pods[1].routes.delete('default');
    const none = exchange(lab, (done) => lab.net.ping(lab.pods[1], '8.8.8.8', {}, done));
    expect(pingOutcome(none, lab.pods[1].name)).toEqual({ sendto: 'Network is unreachable' });
  });
});
