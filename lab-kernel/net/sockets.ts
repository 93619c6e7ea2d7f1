import type { Simulation } from '../sim/simulation';
import type { Datapath, SocketLayer } from './datapath';
import { parseIp } from './ipv4';
import type { ClientSocket, Handler, NetNamespace, Reply } from './namespace';
import type { Walk } from './nat';
import { ICMP, type Packet } from './packet';
import { PacketTrace } from './packet-trace';

/**
 * A small socket layer over the datapath: processes listen on UDP/TCP ports in a namespace, and
 * a client makes one request/response exchange (or an ICMP echo) that travels the simulated
 * network at virtual time, each hop taking the network's hop latency:
 *
 *   sockets.listen(podB, 'udp', 53, (req, reply) => reply({ length: 80, payload: answer }))
 *   sockets.request(podA, { proto: 'udp', dst: '10.96.0.10', port: 53, length: 40 }, (r) => ...)
 *   // later in virtual time: r = { outcome: 'response', response: { length: 80, payload }, rttMs: 1, trace }
 *   // or { outcome: 'error', error: 'ECONNREFUSED' }: a TCP reset, or an ICMP port unreachable for UDP
 *   //    'ETIMEDOUT': dropped on the way (no answer within timeoutMs, 1000 by default)
 *   //    'EHOSTUNREACH' / 'ENETUNREACH': an ICMP host/net unreachable (or time exceeded), or no route here
 *
 * The listener's handler runs when the request arrives, and its reply travels back the same way
 * (through conntrack, so NAT is undone). The client's source port is an ephemeral port drawn
 * from 32768-60999 (ip_local_port_range) with a seeded stream.
 */
export type Errno = 'ECONNREFUSED' | 'ETIMEDOUT' | 'EHOSTUNREACH' | 'ENETUNREACH' | 'EPERM';

export type ExchangeResult =
  | { outcome: 'response'; response: Reply; rttMs: number; trace: PacketTrace }
  | { outcome: 'error'; error: Errno; rttMs: number; trace: PacketTrace };

export interface RequestOptions {
  proto: 'udp' | 'tcp';
  dst: string;
  port: number;
  length?: number;
  payload?: unknown;
  ttl?: number;
  timeoutMs?: number;
  /** Record the exchange's hops in this trace (a process relaying a request it was given) instead of a new one. */
  trace?: PacketTrace;
}

export class Sockets implements SocketLayer {
  private echoIds = 0;
  private readonly ports;

  constructor(
    private readonly sim: Simulation,
    private readonly dp: () => Datapath,
  ) {
    this.ports = sim.rng('net/ephemeral-ports');
  }

  /** A process listening on proto:port in ns; returns a function that closes it. */
  listen(ns: NetNamespace, proto: 'udp' | 'tcp', port: number, handler: Handler): () => void {
    const key = `${proto}:${port}`;
    if (ns.listeners.has(key)) throw new Error(`bind: Address already in use (${key} in ${ns.name})`);
    ns.listeners.set(key, handler);
    return () => ns.listeners.delete(key);
  }

  request(from: NetNamespace, o: RequestOptions, done: (r: ExchangeResult) => void): void {
    let port: number;
    do port = 32768 + this.ports.int(28232);
    while (from.clients.has(`${o.proto}:${port}`));
    const p = this.dp().packet({ proto: o.proto, dst: parseIp(o.dst), sport: port, dport: o.port, flags: o.proto === 'tcp' ? 'S' : '', length: o.length ?? 0, payload: o.payload, ttl: o.ttl ?? 64 });
    this.exchange(from, `${o.proto}:${port}`, p, o.timeoutMs ?? 1000, done, o.trace);
  }

  /** One ICMP echo (ping -c 1): the reply, or the error a router sent back. */
  ping(from: NetNamespace, dst: string, o: { ttl?: number; timeoutMs?: number }, done: (r: ExchangeResult) => void): void {
    const id = ++this.echoIds;
    const p = this.dp().packet({ proto: 'icmp', dst: parseIp(dst), icmpType: ICMP.ECHO_REQUEST, sport: id, dport: id, seq: 1, length: 64, ttl: o.ttl ?? 64 });
    this.exchange(from, `icmp:${id}`, p, o.timeoutMs ?? 1000, done);
  }

  private exchange(from: NetNamespace, key: string, p: Packet, timeoutMs: number, done: (r: ExchangeResult) => void, given?: PacketTrace): void {
    const trace = given ?? new PacketTrace();
    const start = this.sim.now();
    let finished = false;
    const finish = (r: Reply | Errno) => {
      if (finished) return;
      finished = true;
      from.clients.delete(key);
      this.sim.cancel(timer);
      const rttMs = this.sim.now() - start;
      done(typeof r === 'string' ? { outcome: 'error', error: r, rttMs, trace } : { outcome: 'response', response: r, rttMs, trace });
    };
    const socket: ClientSocket = {
      remote: p.dst,
      remotePort: p.dport,
      onPacket: (answer, at) => this.sim.after(Math.max(0, at - this.sim.now()), () => finish(answerOf(answer))),
    };
    from.clients.set(key, socket);
    const timer = this.sim.after(timeoutMs, () => finish('ETIMEDOUT'));
    const errno = this.dp().output(from, p, { trace, t: start });
    if (errno !== undefined) this.sim.after(0, () => finish(errno));
  }

  deliver(ns: NetNamespace, p: Packet, w: Walk): boolean {
    const client = this.clientFor(ns, p);
    if (client !== undefined) {
      w.trace?.add({ kind: 'deliver', at: w.t, ns: ns.name, packetId: p.id, to: `${p.proto} client socket` });
      client.onPacket(p, w.t);
      return true;
    }
    if (p.proto === 'icmp' || (p.proto === 'tcp' && p.flags !== 'S')) return false;
    const handler = ns.listeners.get(`${p.proto}:${p.dport}`);
    if (handler === undefined) return false;
    w.trace?.add({ kind: 'deliver', at: w.t, ns: ns.name, packetId: p.id, to: `${p.proto} listener :${p.dport}` });
    const trace = w.trace;
    const request = { ns: ns.name, proto: p.proto, from: p.src, fromPort: p.sport, to: p.dst, port: p.dport, length: p.length, payload: p.payload, trace };
    this.sim.after(Math.max(0, w.t - this.sim.now()), () =>
      handler(request, (response) => {
        const answer = this.dp().packet({ proto: request.proto, src: request.to, dst: request.from, sport: request.port, dport: request.fromPort, flags: request.proto === 'tcp' ? 'S.' : '', length: response.length, payload: response.payload });
        this.dp().output(ns, answer, { trace, t: this.sim.now() });
      }),
    );
    return true;
  }

  private clientFor(ns: NetNamespace, p: Packet): ClientSocket | undefined {
    if (p.proto === 'icmp') {
      if (p.icmpType === ICMP.ECHO_REPLY) {
        const s = ns.clients.get(`icmp:${p.sport}`);
        return s !== undefined && s.remote === p.src ? s : undefined;
      }
      const inner = p.inner;
      if (inner === undefined) return undefined;
      const s = ns.clients.get(`${inner.proto}:${inner.sport}`);
      return s !== undefined && s.remote === inner.dst && (inner.proto === 'icmp' || s.remotePort === inner.dport) ? s : undefined;
    }
    const s = ns.clients.get(`${p.proto}:${p.dport}`);
    return s !== undefined && s.remote === p.src && s.remotePort === p.sport ? s : undefined;
  }
}

function answerOf(p: Packet): Reply | Errno {
  if (p.proto === 'tcp' && (p.flags === 'R.' || p.flags === 'R')) return 'ECONNREFUSED';
  if (p.proto !== 'icmp' || p.icmpType === ICMP.ECHO_REPLY) return { length: p.length, payload: p.payload };
  if (p.icmpType === ICMP.DEST_UNREACH && p.icmpCode === ICMP.PORT_UNREACH) return 'ECONNREFUSED';
  return p.icmpType === ICMP.DEST_UNREACH && p.icmpCode === ICMP.NET_UNREACH ? 'ENETUNREACH' : 'EHOSTUNREACH';
}

