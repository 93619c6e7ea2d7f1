import { FaultSettings, type LinkFaults } from './faults';
import type { Simulation } from './simulation';
import type { Rng } from './rng';
import type { MessageFlow, TraceData } from './trace';

/**
 * The simulated network between components. Every message is traced, takes a seeded random
 * latency, and — like a TCP connection — arrives in the order it was sent on its link:
 *
 *   net.send('kube-scheduler', 'kube-apiserver', 'request', 'create pods/binding web-1', {}, () => handle())
 *   // handle() runs 1..3 ms of virtual time later, after every earlier message on that link.
 *
 * Until a test or a notebook asks for faults, that is all it does. The faults, all
 * changeable in the middle of a run:
 *
 *   net.faults.set({ dropRate: 0.1, duplicateRate: 0.05, extraDelayMs: [0, 50], reorder: true })
 *   net.partition([['etcd-1'], ['etcd-2', 'etcd-3']])   // etcd-1 and the other two cannot talk
 *   net.isolate('etcd-2')                               // etcd-2 cannot talk to anyone
 *   net.down('etcd-3')                                  // etcd-3 crashed: its messages are lost, in flight too
 *   net.heal(); net.reconnect('etcd-2'); net.up('etcd-3')
 *
 * How faults show up in the trace (so timelines can draw them):
 * - every send is one 'message' event, as always, with `deliveredAt` the time it is due;
 * - a copy made by duplicateRate is a second 'message' event right after the first, its data
 *   saying `duplicateOf: <seq of the first>`;
 * - a message (or copy) that never arrives gets an 'error' event from actor 'network' at the
 *   time it was due, data `{ message: <its seq>, reason: 'drop' | 'partition' | 'down' }`:
 *     1.203s  network  !! lost etcd-1 -> etcd-2: AppendEntries term 3 (partition)
 * - each change of the network (faults set, partition, heal, isolate, reconnect, down, up) is
 *   an 'action' event from actor 'network': '   2.000s  network  partition: etcd-1 | etcd-2 etcd-3'.
 *
 * Randomness: latencies come from sim.rng('network') (or a node's own stream:
 * ownLatencyStream), exactly one draw per send whatever the faults (so the default run is the
 * one it always was); every fault decision comes from its own stream, sim.rng('network/faults'). The same seed and calls give the same losses.
 */
export interface NetworkOptions {
  /** Smallest one-way latency in ms. */
  minLatencyMs: number;
  /** Largest one-way latency in ms. */
  maxLatencyMs: number;
}

export const DEFAULT_NETWORK: NetworkOptions = { minLatencyMs: 1, maxLatencyMs: 3 };

/** The actor of the network's own trace events. */
export const NETWORK = 'network';

/** The stream every fault decision draws from. */
const FAULTS_STREAM = 'network/faults';

/**
 * Why a message never arrived: 'drop' (dropRate), 'partition' (partition or isolate, at send
 * or when due) or 'down' (an end was down when it was sent, or crashed before it was due).
 */
export type LossReason = 'drop' | 'partition' | 'down';

/** Counters for one direction of one link, for RPC count and byte budgets. */
export interface LinkStats {
  readonly from: string;
  readonly to: string;
  /** Sends on this link, whatever became of them (copies are not sends). */
  messages: number;
  /** Their size: UTF-8 bytes of JSON.stringify(payload), or of the summary when send got no payload. */
  bytes: number;
  /** Messages and copies that never arrived, counted when they were due. */
  lost: number;
  /** Extra copies made by duplicateRate. */
  duplicated: number;
}

/** The totals over every link, and each link (in the order each was first used). */
export interface NetworkStats {
  messages: number;
  bytes: number;
  lost: number;
  duplicated: number;
  links: LinkStats[];
}

/** One direction of one link: its counters, and when its latest message that arrives is due (FIFO order). */
interface Link {
  readonly stats: LinkStats;
  lastArrival: number;
}

export class Network {
  /** Drop, duplicate, delay and reorder settings, global or per link (see faults.ts). */
  readonly faults: FaultSettings;
  /** from => to => the link's counters and the arrival time of its latest message that arrives. */
  private readonly links = new Map<string, Map<string, Link>>();
  /** Every link's counters, in the order each was first used. */
  private readonly counters: LinkStats[] = [];
  /** Latency streams by the node that owns one (undefined: the shared one). */
  private readonly latencyStreams = new Map<string | undefined, Rng>();
  /** node => index of its partition group; a node in no group reaches everyone. */
  private groups = new Map<string, number>();
  private readonly isolated = new Set<string>();
  private readonly downNodes = new Set<string>();
  /** node => how many times it went down; a message dies if either end went down after it was sent. */
  private readonly incarnations = new Map<string, number>();
  /** Nodes whose messages draw their latency from a stream of their own (ownLatencyStream). */
  private readonly ownStreams = new Set<string>();

  constructor(
    private readonly sim: Simulation,
    private readonly options: NetworkOptions = DEFAULT_NETWORK,
  ) {
    this.faults = new FaultSettings((summary) => this.note(summary));
  }

  /**
   * Sends a message: `deliver` runs at the receiver when (and if) it arrives.
   * `payload`, any JSON value, only sizes the message for stats(); leave it out to count the summary.
   */
  send(from: string, to: string, flow: MessageFlow, summary: string, data: TraceData | undefined, deliver: () => void, payload?: unknown, onLost?: (reason: LossReason) => void): void {
    const own = this.ownStreams.has(from) ? from : this.ownStreams.has(to) ? to : undefined;
    const latency = this.latencyStream(own).between(this.options.minLatencyMs, this.options.maxLatencyMs);
    const faults = this.faults.on(from, to);
    const rng = this.sim.rng(FAULTS_STREAM);
    const link = this.link(from, to);
    const stats = link.stats;
    stats.messages++;
    stats.bytes += Buffer.byteLength(payload === undefined ? summary : (JSON.stringify(payload) ?? ''), 'utf8');

    const lost = this.blocked(from, to) ?? (faults.dropRate > 0 && rng.next() < faults.dropRate ? 'drop' : undefined);
    const arrival = this.arrival(link, latency, faults, lost === undefined);
    const seq = this.sim.trace.message(this.sim.now(), from, to, arrival, flow, summary, data);
    this.deliverAt(seq, arrival, lost, from, to, summary, deliver, onLost);

    if (lost === undefined && faults.duplicateRate > 0 && rng.next() < faults.duplicateRate) {
      stats.duplicated++;
      const copyLatency = rng.between(this.options.minLatencyMs, this.options.maxLatencyMs);
      const copyArrival = this.arrival(link, copyLatency, faults, true);
      const copy = this.sim.trace.message(this.sim.now(), from, to, copyArrival, flow, summary, Object.assign({}, data, { duplicateOf: seq }));
      this.deliverAt(copy, copyArrival, undefined, from, to, summary, deliver);
    }
  }

  /**
   * Messages to and from `node` draw their latencies from a stream of their own,
   * sim.rng('network/<node>'), instead of the shared one: a component added to every cluster
   * (an add-on's agent) then leaves the arrival times of everyone else's messages as they were.
   *
   *   net.ownLatencyStream('flanneld/node-1')
   */
  ownLatencyStream(node: string): void {
    this.ownStreams.add(node);
  }

  /**
   * Splits the nodes into groups that cannot talk to each other, replacing any earlier
   * partition. Nodes in no group are not affected.
   *
   *   partition([['a', 'b'], ['c', 'd', 'e']])   // a <-> b works, a -> c is lost (both ways), a <-> kubectl works
   *
   * Messages already in flight across groups are lost too, when they are due.
   */
  partition(groups: readonly (readonly string[])[]): void {
    const next = new Map<string, number>();
    groups.forEach((group, index) => {
      for (const node of group) {
        if (next.has(node)) throw new RangeError(`partition: ${node} is in two groups`);
        next.set(node, index);
      }
    });
    this.groups = next;
    this.note(`partition: ${groups.map((g) => g.join(' ')).join(' | ')}`);
  }

  /** Cuts one node off from every other (on top of any partition): isolate('etcd-2'). */
  isolate(node: string): void {
    this.isolated.add(node);
    this.note(`isolate ${node}`);
  }

  /** Undoes isolate(node); a partition, if any, still holds. */
  reconnect(node: string): void {
    this.isolated.delete(node);
    this.note(`reconnect ${node}`);
  }

  /** Every link works again: no partition, no isolated node (crashed nodes stay down, fault rates stay). */
  heal(): void {
    this.groups = new Map();
    this.isolated.clear();
    this.note('heal: no partition, no isolated node');
  }

  /**
   * The node crashed: messages to or from it are lost, and so is every message to or from it
   * already in flight — even if it is up again before they are due, as a restarted process
   * has lost its connections.
   */
  down(node: string): void {
    if (!this.downNodes.has(node)) {
      this.downNodes.add(node);
      this.incarnations.set(node, this.incarnation(node) + 1);
    }
    this.note(`down ${node}`);
  }

  /** The node runs again: new messages to and from it arrive. */
  up(node: string): void {
    this.downNodes.delete(node);
    this.note(`up ${node}`);
  }

  isUp(node: string): boolean {
    return !this.downNodes.has(node);
  }

  /** Whether a message sent now from -> to could arrive: both up, same side of any partition, neither isolated. */
  reachable(from: string, to: string): boolean {
    return this.blocked(from, to) === undefined;
  }

  /** Message and byte counts so far, in total and per link (a copy: later sends do not change it). */
  stats(): NetworkStats {
    const links = this.counters.map((link) => ({ ...link }));
    const total = (field: 'messages' | 'bytes' | 'lost' | 'duplicated') => links.reduce((sum, link) => sum + link[field], 0);
    return { messages: total('messages'), bytes: total('bytes'), lost: total('lost'), duplicated: total('duplicated'), links };
  }

  /** When a message sent now arrives; a message that is going to arrive holds back later ones on a FIFO link. */
  private arrival(link: Link, latency: number, faults: LinkFaults, arrives: boolean): number {
    const [lo, hi] = faults.extraDelayMs;
    const extra = hi > lo ? this.sim.rng(FAULTS_STREAM).between(lo, hi) : lo;
    const own = this.sim.now() + latency + extra;
    if (!arrives) return own;
    const last = link.lastArrival;
    const arrival = faults.reorder ? own : Math.max(own, last);
    link.lastArrival = Math.max(arrival, last);
    return arrival;
  }

  /** Runs `deliver` at `arrival` unless the message is lost by then; a loss is traced instead. */
  private deliverAt(seq: number, arrival: number, lostAtSend: LossReason | undefined, from: string, to: string, summary: string, deliver: () => void, onLost?: (reason: LossReason) => void): void {
    const sentFrom = this.incarnation(from);
    const sentTo = this.incarnation(to);
    this.sim.after(arrival - this.sim.now(), () => {
      const crashed = this.incarnation(from) !== sentFrom || this.incarnation(to) !== sentTo;
      const lost = lostAtSend ?? (crashed ? 'down' : this.blocked(from, to));
      if (lost === undefined) {
        deliver();
        return;
      }
      this.link(from, to).stats.lost++;
      this.sim.trace.error(this.sim.now(), NETWORK, `lost ${from} -> ${to}: ${summary} (${lost})`, { message: seq, reason: lost });
      onLost?.(lost);
    });
  }

  /** Why a message from -> to sent now cannot arrive, or undefined if it can. */
  private blocked(from: string, to: string): LossReason | undefined {
    if (this.downNodes.has(from) || this.downNodes.has(to)) return 'down';
    if (from === to) return undefined;
    if (this.isolated.has(from) || this.isolated.has(to)) return 'partition';
    const a = this.groups.get(from);
    const b = this.groups.get(to);
    return a !== undefined && b !== undefined && a !== b ? 'partition' : undefined;
  }

  private incarnation(node: string): number {
    return this.incarnations.get(node) ?? 0;
  }

  /** sim.rng('network'), or a node's own stream sim.rng('network/<node>'), found without building its name per message (a stream depends only on its name). */
  private latencyStream(own: string | undefined): Rng {
    let stream = this.latencyStreams.get(own);
    if (stream === undefined) this.latencyStreams.set(own, (stream = this.sim.rng(own === undefined ? 'network' : `network/${own}`)));
    return stream;
  }

  /** The link from -> to, made on its first use (found by two lookups of the names, no key built per message). */
  private link(from: string, to: string): Link {
    let byTo = this.links.get(from);
    if (byTo === undefined) this.links.set(from, (byTo = new Map()));
    let link = byTo.get(to);
    if (link === undefined) {
      const stats = { from, to, messages: 0, bytes: 0, lost: 0, duplicated: 0 };
      this.counters.push(stats);
      byTo.set(to, (link = { stats, lastArrival: 0 }));
    }
    return link;
  }

  private note(summary: string): void {
    this.sim.trace.action(this.sim.now(), NETWORK, summary);
  }
}
