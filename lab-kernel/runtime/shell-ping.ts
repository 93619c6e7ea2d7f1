import { isIp } from '../net/ipv4';
import type { NetNamespace } from '../net/namespace';
import { ICMP } from '../net/packet';
import type { PacketNetwork } from '../net/packet-network';
import type { ExchangeResult } from '../net/sockets';
import type { AppletRun } from './shell-ip';

/**
 * busybox's `ping -c COUNT ADDRESS`: one ICMP echo a second, a line for each reply (busybox's
 * seq counts from 0; the TTL is the reply's as it arrived), and the statistics at the end. Like
 * wget (shell.ts), the applet is computed up front: each echo's answer comes from `answer`, the
 * n-th echo getting the n-th; when there is none yet, it stops there and says so in `pending`,
 * and the runtime sends the echo over the packet network (shell-network.ts, pingFrom below).
 *
 *   pingCommand(['-c', '1', '10.244.2.2'], () => ({ outcome: { ttl: 62 }, ms: 0.4 })).lines
 *   // => ['PING 10.244.2.2 (10.244.2.2): 56 data bytes',
 *   //     '64 bytes from 10.244.2.2: seq=0 ttl=62 time=0.400 ms', '',
 *   //     '--- 10.244.2.2 ping statistics ---',
 *   //     '1 packets transmitted, 1 packets received, 0% packet loss',
 *   //     'round-trip min/avg/max = 0.400/0.400/0.400 ms']          exit 0
 *   no reply within a second: no line for it, '100% packet loss', exit 1
 *   an ICMP error back (a router's): no line; busybox checks the ICMP id field of what arrives
 *     against its own, and an error's is not its echo's, so it is not its reply: the echo is lost
 *   no route at all: 'ping: sendto: Network is unreachable', exit 1
 *
 * The lab's ping needs `-c` (a real one runs until interrupted, which an exec cannot do here).
 * Each echo waits for its answer or its second before the next goes, where busybox sends on a
 * timer regardless: the lines are the same whenever replies take less than a second. Times are
 * printed as busybox prints them (networking/ping.c: unpack_tail, print_stats_and_exit): whole
 * microseconds as "%u.%03u" ms, the average the integer division of their sum by the replies.
 */
export interface PingRequest {
  ping: string;
  timeoutMs: number;
}

export type PingOutcome = { ttl: number } | { icmp: string } | { sendto: string } | 'timeout';

export interface PingAnswer {
  outcome: PingOutcome;
  ms: number;
}

/** The applet's run; `pending` when it stopped at an echo whose answer it does not have yet. */
export interface PingRun extends AppletRun {
  pending?: { atMs: number; request: PingRequest };
}

export const PING_INTERVAL_MS = 1000;

export function pingCommand(args: readonly string[], answer: (request: PingRequest) => PingAnswer | undefined): PingRun {
  const c = args.indexOf('-c');
  const count = c < 0 ? NaN : Number(args[c + 1]);
  const host = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '-c').pop();
  if (!(count >= 1) || host === undefined) return fail("ping: the lab's ping needs a count and an address: ping -c COUNT ADDRESS");
  if (!isIp(host)) return fail(`ping: bad address '${host}'`);
  const run: PingRun = { lines: [{ atMs: 0, stream: 'stdout', line: `PING ${host} (${host}): 56 data bytes` }], status: 0, elapsedMs: 0 };
  const times: number[] = [];
  for (let seq = 0; seq < count; seq++) {
    const sentAt = seq * PING_INTERVAL_MS;
    const a = answer({ ping: host, timeoutMs: PING_INTERVAL_MS });
    if (a === undefined) return Object.assign({}, run, { pending: { atMs: sentAt, request: { ping: host, timeoutMs: PING_INTERVAL_MS } } });
    const o = a.outcome;
    const at = sentAt + a.ms;
    if (typeof o === 'object' && 'sendto' in o) return { lines: [...run.lines, { atMs: sentAt, stream: 'stderr', line: `ping: sendto: ${o.sendto}` }], status: 1, elapsedMs: sentAt };
    if (typeof o === 'object' && 'ttl' in o) {
      const us = microseconds(a.ms);
      times.push(us);
      run.lines.push({ atMs: at, stream: 'stdout', line: `64 bytes from ${host}: seq=${seq} ttl=${o.ttl} time=${millis(us)} ms` });
    }
    run.elapsedMs = Math.max(at, sentAt + (seq === count - 1 ? 0 : PING_INTERVAL_MS));
  }
  const end = run.elapsedMs!;
  const loss = Math.floor(((count - times.length) * 100) / count);
  run.lines.push(
    { atMs: end, stream: 'stdout', line: '' },
    { atMs: end, stream: 'stdout', line: `--- ${host} ping statistics ---` },
    { atMs: end, stream: 'stdout', line: `${count} packets transmitted, ${times.length} packets received, ${loss}% packet loss` },
  );
  if (times.length > 0) {
    const avg = Math.floor(times.reduce((s, t) => s + t, 0) / times.length);
    run.lines.push({ atMs: end, stream: 'stdout', line: `round-trip min/avg/max = ${[Math.min(...times), avg, Math.max(...times)].map(millis).join('/')} ms` });
  }
  run.status = times.length > 0 ? 0 : 1;
  return run;
}

/** One echo from a namespace over the packet network, as the ping applet's answer. */
export type PingClient = (dst: string, timeoutMs: number, done: (outcome: PingOutcome) => void) => void;

/**
 * Echoes from `from`: the reply's TTL as it arrived, the ICMP error a router sent back, a send
 * that had no route, or nothing within the timeout.
 *   pingFrom(net, pod)('10.244.2.2', 1000, done)   // ~0.4 ms later: done({ ttl: 62 })
 */
export function pingFrom(net: PacketNetwork, from: NetNamespace): PingClient {
  return (dst, timeoutMs, done) => net.ping(from, dst, { timeoutMs }, (r) => done(pingOutcome(r, from.name)));
}

/** An exchange's result as ping sees it. */
export function pingOutcome(r: ExchangeResult, ns: string): PingOutcome {
  const arrived = [...r.trace.hops].reverse().find((h) => h.kind === 'rx' && h.ns === ns && h.packet.proto === 'icmp');
  const packet = arrived !== undefined && arrived.kind === 'rx' ? arrived.packet : undefined;
  if (r.outcome === 'response') return { ttl: packet?.ttl ?? 64 };
  if (r.error === 'ETIMEDOUT') return 'timeout';
  if (packet === undefined) return { sendto: r.error === 'ENETUNREACH' ? 'Network is unreachable' : 'No route to host' };
  return { icmp: packet.icmpType === ICMP.TIME_EXCEEDED ? `${ICMP.TIME_EXCEEDED} (Time Exceeded)` : `${ICMP.DEST_UNREACH} (Destination Unreachable)` };
}

/** A trip in whole microseconds, as busybox measures it (monotonic_us; the 1e-6 absorbs float error). */
function microseconds(ms: number): number {
  return Math.floor(ms * 1000 + 1e-6);
}

/** busybox's "%u.%03u" of microseconds: milliseconds with three digits, truncated. */
function millis(us: number): string {
  return `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}`;
}

function fail(line: string): PingRun {
  return { lines: [{ atMs: 0, stream: 'stderr', line }], status: 1, elapsedMs: 0 };
}
