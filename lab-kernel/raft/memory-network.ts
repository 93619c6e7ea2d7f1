import { hashString, Rng } from '../sim/rng';
import type { Entry, Message, NewRaft, NodeId, PersistedState, RaftNode, ReadState, Ready, Snapshot } from './types';

/**
 * A whole Raft cluster in memory, in the spirit of etcd's raft_test.go `network`: nodes, a
 * disk and an application per node, and a message queue in between — no clock, no
 * simulation, so a test can drive it tick by tick and message by message.
 *
 *   const net = new MemoryNetwork(newRaft, { ids: ['a', 'b', 'c'], seed: 1 });
 *   net.runFor(30);                // 30 ticks, delivering everything after each
 *   net.leader()                   // => 'c' (the same on every run with seed 1)
 *   net.propose('c', 'x=1');       // then net.deliver()
 *   net.apps.get('a')!.applied     // => 2 (the leader's empty entry, then x=1)
 *
 * Each node's Ready is carried out as types.ts prescribes (persist, send, apply, advance). The
 * application folds every applied entry into a hash, and the network checks Raft's safety
 * as it goes, throwing at the first violation:
 *   - entries are applied in index order, with no gap;
 *   - no two nodes ever apply different entries at one index (State Machine Safety), and a
 *     snapshot's state agrees with what was applied up to its index.
 * Faults: messages dropped at random (dropRate) or on cut links (isolate), delivered out of
 * order (reorder), nodes crashed and restarted from their disk.
 */
export interface MemoryNetworkOptions {
  /** The nodes, each a voter. */
  ids: NodeId[];
  /** Seeds the nodes' election timeouts and the network's faults. Default 1. */
  seed?: number;
  electionTick?: number;
  heartbeatTick?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  /** The chance that any one message is lost. Default 0 (changeable later: MemoryNetwork.dropRate). */
  dropRate?: number;
  /** Deliver queued messages in random order rather than first-in first-out. */
  reorder?: boolean;
  /** A node compacts its log once it has applied this many entries past its last snapshot. */
  compactEvery?: number;
  /** Disks to start some nodes from, as if restarted (the others start empty). */
  restored?: Record<NodeId, PersistedState>;
}

/** One node's application: a state machine whose state is a hash of everything applied. */
export interface MemoryApp {
  /** The last index applied. */
  applied: number;
  /** The state after it: a hash chain over the applied entries (term and data). */
  state: string;
  /** Every ReadState this node received, in order. */
  reads: ReadState[];
}

/** How many deliveries deliver() allows before deciding the cluster never goes quiet. */
const DELIVERY_LIMIT = 10_000_000;

export class MemoryNetwork {
  /** The running nodes (a crashed node is absent until restarted). */
  readonly nodes = new Map<NodeId, RaftNode>();
  /** What each node persisted: it survives crashes. */
  readonly disks = new Map<NodeId, PersistedState>();
  /** Each running node's application. */
  readonly apps = new Map<NodeId, MemoryApp>();
  /** The chance that any one message is lost. */
  dropRate: number;

  private readonly ids: NodeId[];
  private readonly rng: Rng;
  private queue: Message[] = [];
  private head = 0;
  private readonly cut = new Set<string>();
  /** The application state after each applied index, as first seen: every node must agree. */
  private readonly stateAt = new Map<number, string>();

  constructor(
    private readonly newRaft: NewRaft,
    private readonly options: MemoryNetworkOptions,
  ) {
    this.ids = [...options.ids].sort();
    this.rng = new Rng(options.seed ?? 1);
    this.dropRate = options.dropRate ?? 0;
    for (const id of this.ids) {
      const restored = options.restored?.[id];
      this.disks.set(id, restored === undefined ? { hardState: { term: 0, vote: null, commit: 0 }, entries: [], snapshot: null } : structuredClone(restored));
      this.start(id, restored !== undefined);
    }
  }

  /** Lets one tick pass on the given nodes (default: every running node), handling their Readys. */
  tick(ids: NodeId[] = this.running()): void {
    for (const id of ids) {
      this.nodes.get(id)?.tick();
      this.process(id);
    }
  }

  /** `ticks` rounds of: one tick everywhere, then deliver until quiet. */
  runFor(ticks: number): void {
    for (let i = 0; i < ticks; i++) {
      this.tick();
      this.deliver();
    }
  }

  /** Queues a message for delivery, as if a node had sent it (a test may inject its own). */
  send(m: Message): void {
    this.queue.push(m);
  }

  /** Delivers queued messages — and the messages they cause — until none is left. */
  deliver(): void {
    for (let n = 0; this.head < this.queue.length; n++) {
      if (n === DELIVERY_LIMIT) throw new Error(`the cluster did not go quiet after ${DELIVERY_LIMIT} messages`);
      const m = this.next();
      const node = this.nodes.get(m.to);
      const lost = node === undefined || this.cut.has(`${m.from}>${m.to}`) || this.rng.next() < this.dropRate;
      if (!lost) {
        node.step(m);
        this.process(m.to);
      }
    }
  }

  /** Proposes `data` on node `id`; returns what propose() said. Deliver to replicate it. */
  propose(id: NodeId, data: string): boolean {
    const node = this.nodes.get(id);
    if (node === undefined) return false;
    const accepted = node.propose(data);
    this.process(id);
    return accepted;
  }

  /** Asks node `id` for a linearizable read; the answer lands in apps.get(id).reads. */
  readIndex(id: NodeId, requestCtx: string): boolean {
    const node = this.nodes.get(id);
    if (node === undefined) return false;
    const accepted = node.readIndex(requestCtx);
    this.process(id);
    return accepted;
  }

  /** Node `id` snapshots its application as of what it applied, and persists the snapshot. */
  compact(id: NodeId): Snapshot | null {
    const node = this.nodes.get(id);
    const app = this.apps.get(id);
    if (node === undefined || app === undefined) return null;
    const snapshot = node.compact(app.applied, app.state);
    if (snapshot !== null) {
      const disk = this.disks.get(id)!;
      disk.snapshot = snapshot;
      disk.entries = disk.entries.filter((e) => e.index > snapshot.metadata.index);
    }
    return snapshot;
  }

  /** Stops node `id`: everything not on its disk is lost, and messages to it are dropped. */
  crash(id: NodeId): void {
    this.nodes.delete(id);
    this.apps.delete(id);
  }

  /** Starts node `id` again from its disk. */
  restart(id: NodeId): void {
    this.start(id, true);
  }

  /** Cuts node `id` off from every other node (both ways). */
  isolate(id: NodeId): void {
    for (const other of this.ids) {
      if (other === id) continue;
      this.cut.add(`${id}>${other}`);
      this.cut.add(`${other}>${id}`);
    }
  }

  /** Splits the cluster: no message crosses between `group` and the rest. */
  partition(group: NodeId[]): void {
    for (const a of group) {
      for (const b of this.ids) {
        if (group.includes(b)) continue;
        this.cut.add(`${a}>${b}`);
        this.cut.add(`${b}>${a}`);
      }
    }
  }

  /** Reconnects every link. */
  heal(): void {
    this.cut.clear();
  }

  /** The running node that leads the highest term, or null. */
  leader(): NodeId | null {
    let best: NodeId | null = null;
    let bestTerm = -1;
    for (const [id, node] of this.nodes) {
      const s = node.status();
      if (s.role === 'leader' && s.term > bestTerm) {
        best = id;
        bestTerm = s.term;
      }
    }
    return best;
  }

  /** The running nodes, sorted. */
  running(): NodeId[] {
    return this.ids.filter((id) => this.nodes.has(id));
  }

  private start(id: NodeId, fromDisk: boolean): void {
    const o = this.options;
    const disk = this.disks.get(id)!;
    const node = this.newRaft({
      id,
      peers: this.ids,
      seed: this.rng.nextUint32(),
      ...(o.electionTick === undefined ? {} : { electionTick: o.electionTick }),
      ...(o.heartbeatTick === undefined ? {} : { heartbeatTick: o.heartbeatTick }),
      ...(o.preVote === undefined ? {} : { preVote: o.preVote }),
      ...(o.checkQuorum === undefined ? {} : { checkQuorum: o.checkQuorum }),
      ...(fromDisk ? { restored: structuredClone(disk) } : {}),
    });
    this.nodes.set(id, node);
    this.apps.set(id, { applied: disk.snapshot?.metadata.index ?? 0, state: disk.snapshot?.data ?? '', reads: [] });
  }

  private next(): Message {
    if (this.options.reorder) {
      const j = this.head + this.rng.int(this.queue.length - this.head);
      [this.queue[this.head], this.queue[j]] = [this.queue[j], this.queue[this.head]];
    }
    const m = this.queue[this.head++];
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return m;
  }

  /**
   * Carries out node `id`'s Ready: persist, send, apply, advance (see Ready in types.ts).
   * It asks for the Ready straight away rather than asking hasReady() first: through the slot
   * every call is guarded and costs far more than the Raft work itself, so calls are counted.
   */
  private process(id: NodeId): void {
    const node = this.nodes.get(id);
    if (node === undefined) return;
    const rd = node.ready();
    if (isEmpty(rd)) return;
    const disk = this.disks.get(id)!;
    if (rd.snapshot !== undefined) {
      disk.snapshot = rd.snapshot;
      disk.entries = [];
    }
    if (rd.entries.length > 0) {
      const first = rd.entries[0].index;
      const stored = disk.entries.length === 0 ? first : disk.entries[0].index;
      disk.entries.length = Math.max(0, first - stored);
      for (const e of rd.entries) disk.entries.push(e);
    }
    if (rd.hardState !== undefined) disk.hardState = rd.hardState;
    for (const m of rd.messages) this.send(m);
    const app = this.apps.get(id)!;
    if (rd.snapshot !== undefined) this.install(id, app, rd.snapshot);
    for (const e of rd.committedEntries) this.apply(id, app, e);
    for (const r of rd.readStates) app.reads.push(r);
    node.advance();
    const every = this.options.compactEvery;
    if (every !== undefined && app.applied - (disk.snapshot?.metadata.index ?? 0) >= every) this.compact(id);
  }

  private apply(id: NodeId, app: MemoryApp, e: Entry): void {
    if (e.index !== app.applied + 1) throw new Error(`safety: ${id} applied entry ${e.index} right after ${app.applied}`);
    app.applied = e.index;
    app.state = hashString(`${app.state}|${e.term}|${e.data}`).toString(16);
    this.agree(id, e.index, app.state);
  }

  private install(id: NodeId, app: MemoryApp, s: Snapshot): void {
    if (s.metadata.index <= app.applied) throw new Error(`safety: ${id} got a snapshot at ${s.metadata.index}, behind what it applied (${app.applied})`);
    app.applied = s.metadata.index;
    app.state = s.data;
    this.agree(id, s.metadata.index, s.data);
  }

  private agree(id: NodeId, index: number, state: string): void {
    const seen = this.stateAt.get(index);
    if (seen === undefined) this.stateAt.set(index, state);
    else if (seen !== state) throw new Error(`safety: ${id} applied a different entry at index ${index} than another node did`);
  }
}

function isEmpty(rd: Ready): boolean {
  return (
    rd.softState === undefined &&
    rd.hardState === undefined &&
    rd.snapshot === undefined &&
    rd.entries.length === 0 &&
    rd.committedEntries.length === 0 &&
    rd.messages.length === 0 &&
    rd.readStates.length === 0
  );
}
