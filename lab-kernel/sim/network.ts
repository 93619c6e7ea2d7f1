import type { Simulation } from './simulation';
import type { MessageFlow, TraceData } from './trace';

/**
 * The simulated network between components. Every message is traced, takes a seeded random
 * latency, and — like a TCP connection — arrives in the order it was sent on its link:
 *
 *   net.send('kube-scheduler', 'kube-apiserver', 'request', 'create pods/binding web-1', {}, () => handle())
 *   // handle() runs 1..3 ms of virtual time later, after every earlier message on that link.
 *
 * Deliberately minimal for now: no drops, partitions or duplicates yet (the etcd and Raft
 * chapters add fault injection here).
 */
export interface NetworkOptions {
  /** Smallest one-way latency in ms. */
  minLatencyMs: number;
  /** Largest one-way latency in ms. */
  maxLatencyMs: number;
}

export const DEFAULT_NETWORK: NetworkOptions = { minLatencyMs: 1, maxLatencyMs: 3 };

export class Network {
  private readonly lastArrival = new Map<string, number>();

  constructor(
    private readonly sim: Simulation,
    private readonly options: NetworkOptions = DEFAULT_NETWORK,
  ) {}

  send(from: string, to: string, flow: MessageFlow, summary: string, data: TraceData | undefined, deliver: () => void): void {
    const rng = this.sim.rng('network');
    const latency = rng.between(this.options.minLatencyMs, this.options.maxLatencyMs);
    const link = `${from}\u0000${to}`;
    const arrival = Math.max(this.sim.now() + latency, this.lastArrival.get(link) ?? 0);
    this.lastArrival.set(link, arrival);
    this.sim.trace.message(this.sim.now(), from, to, arrival, flow, summary, data);
    this.sim.after(arrival - this.sim.now(), deliver);
  }
}
