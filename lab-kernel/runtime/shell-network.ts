import type { Simulation } from '../sim/simulation';
import type { HttpClient } from './node-network';
import type { NetAnswer, NetRequest, PendingFetch } from './shell';
import type { DnsClient } from './shell-dns';
import type { PingClient } from './shell-ping';

/**
 * A shell command whose wgets and pings travel the packet network. The lab's shell computes a command's
 * whole run up front (shell.ts), so a run stops at a wget it has no answer for; this sends that
 * request from the container's namespace at the virtual time the wget is reached, and when the
 * answer is back runs the command again from the start with the answers so far, until a run
 * needs none. A run repeats the one before it up to that wget, then goes further: `each` gets
 * every run, and plays what is new in it (its lines, files, and in the last one the exit).
 *
 *   runOverNetwork(sim, startAt, (fetch) => runCommand(['wget', '-qO-', 'http://10.244.2.3/'], { fetch }), { http }, each)
 *   // each({ pending: { atMs: 0, ... } }) at once; the GET leaves at startAt;
 *   // ~0.3 ms later each({ output: [{ atMs: 0.3, line: '<title>Welcome to nginx!</title>' }], exitAtMs: 0.3 })
 *
 * A connection that gets no answer gives up after WGET_CONNECT_TIMEOUT_MS, as the kernel does.
 * A ping's echo goes the same way through `ping` (shell-ping.ts), and a lookup's DNS queries
 * through `dns` (shell-dns.ts); without them, the echo has no route and the queries no reply.
 */
/** How a command's requests leave its container: HTTP (wget), ICMP echoes (ping), DNS queries (lookups, nslookup). */
export interface NetClients {
  http: HttpClient;
  ping?: PingClient;
  dns?: DnsClient;
}

export const WGET_CONNECT_TIMEOUT_MS = 127_000; // tcp_syn_retries = 6: 1 + 2 + 4 + ... + 64 s

export function runOverNetwork<R extends { pending?: PendingFetch }>(
  sim: Simulation,
  startAt: number,
  plan: (fetch: (request: NetRequest) => NetAnswer | undefined) => R,
  clients: NetClients,
  each: (run: R) => void,
): void {
  const { http, ping, dns } = clients;
  const answers: NetAnswer[] = [];
  const step = () => {
    let n = 0;
    const run = plan(() => answers[n++]);
    each(run);
    const pending = run.pending;
    if (pending === undefined) return;
    sim.after(Math.max(0, startAt + pending.atMs - sim.now()), () => {
      const sent = sim.now();
      const request = pending.request;
      if ('ping' in request) {
        const echo: PingClient = ping ?? ((_dst, _timeout, done) => done({ sendto: 'Network is unreachable' }));
        return echo(request.ping, request.timeoutMs, (outcome) => {
          answers.push({ outcome, ms: sim.now() - sent });
          step();
        });
      }
      if ('dns' in request) {
        const send: DnsClient = dns ?? ((r, done) => sim.after(r.timeoutMs, () => done(r.dns.map(() => undefined))));
        return send(request, (responses) => {
          answers.push({ responses, ms: sim.now() - sent });
          step();
        });
      }
      const { host, port, path, hostHeader } = request;
      http(host, port, { method: 'GET', path, headers: { Host: hostHeader } }, WGET_CONNECT_TIMEOUT_MS, (outcome) => {
        answers.push({ outcome, ms: sim.now() - sent });
        step();
      });
    });
  };
  step();
}
