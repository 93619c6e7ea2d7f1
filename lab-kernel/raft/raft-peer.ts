import type { MachineContext } from '../sim/machines';
import type { Network } from '../sim/network';
import { notImplementedId } from '../sim/not-implemented';
import type { Simulation } from '../sim/simulation';
import type { Config, Entry, HardState, Message, NewRaft, NodeId, PersistedState, RaftNode, ReadState, Snapshot, SoftState, Status } from './types';

/**
 * The thin runtime around a pure Raft node: it does the I/O the node asks for, in the order
 * Raft's safety depends on, on one simulated machine.
 *
 *   every tickMs of virtual time  -> node.tick()   (each incarnation at its own phase: clocks are not aligned)
 *   a message arrives             -> node.step(m)
 *   then, while node.hasReady():  rd = node.ready()
 *                                 1. persist rd.snapshot, rd.entries, rd.hardState; sync the disk
 *                                 2. send rd.messages over the network
 *                                 3. apply rd.snapshot and rd.committedEntries; hand out rd.readStates
 *                                 node.advance()
 *
 * What a peer persisted survives a crash of its machine (lab-kernel/sim/machines.ts): the next
 * process boots the node again from it. One tick is 100 ms of virtual time, as in etcd's default
 * heartbeat interval, so the default 10-tick election timeout is one to two seconds.
 *
 * Each of those steps calls the node many times (the node may be a learner's, behind an
 * exercise slot): they run under the simulation's guard, one watchdog for all (sim/guard.ts).
 *
 * The disk layout is a small write-ahead log: `hardstate`, `snapshot`, one file per entry
 * (`entry/<index>`) and `last-index`, so a Ready costs writes in proportion to what it adds.
 */
export const TICK_MS = 100;

export interface PeerCallbacks {
  /** A committed entry, in log order (an empty `data` is a new leader's no-op entry). */
  apply(entry: Entry): void;
  /** Load the state machine from a snapshot the leader sent. */
  restore(snapshot: Snapshot): void;
  /** A linearizable read may be served once the state machine has applied `readState.index`. */
  readState?(readState: ReadState): void;
  /** Role or leader changed. */
  softState?(state: SoftState): void;
}

export interface PeerOptions {
  sim: Simulation;
  net: Network;
  newRaft: NewRaft;
  peers: NodeId[];
  /** Where messages for another peer go: that peer's receive(), if its machine is running. */
  route(to: NodeId): ((m: Message) => void) | undefined;
  callbacks: PeerCallbacks;
  config?: Partial<Pick<Config, 'electionTick' | 'heartbeatTick' | 'preVote' | 'checkQuorum'>>;
  tickMs?: number;
  /**
   * Parts of a multi-part exercise not graded yet (raft-replication while grading
   * raft-election): a message whose handling reaches one of their "not implemented yet" is
   * dropped — written in the trace as such — instead of stopping the run. Default: none.
   */
  laterParts?: readonly string[];
}

export class RaftPeer {
  readonly id: NodeId;
  readonly node: RaftNode;
  private readonly tickMs: number;

  constructor(
    private readonly machine: MachineContext,
    private readonly options: PeerOptions,
  ) {
    this.id = machine.name;
    this.tickMs = options.tickMs ?? TICK_MS;
    const restored = readPersisted(machine);
    // Each incarnation gets its own seed from the simulation, so a restarted node does not
    // replay its old election timeouts.
    const seed = options.sim.rng(`raft/${this.id}`).nextUint32();
    this.node = options.sim.guarded(() => options.newRaft({ id: this.id, peers: options.peers, seed, ...options.config, ...(restored ? { restored } : {}) }));
    if (restored?.snapshot) options.callbacks.restore(restored.snapshot);
    // Machines' clocks are not aligned: each incarnation ticks at its own phase, its first tick
    // 1..tickMs ms after it boots, from its own random stream (so its node's seed, and the
    // election timeouts drawn from it, stay as they were). Peers all ticking on the same
    // millisecond time out on the same millisecond far more often than real ones, and two
    // that can win then split the vote.
    const firstTickMs = 1 + options.sim.rng(`raft/${this.id}/tick`).int(this.tickMs);
    this.machine.after(firstTickMs, () => this.tick());
  }

  /** A message from another peer (delivered by the network). */
  receive(m: Message): void {
    this.options.sim.guarded(() => {
      this.stepOrDrop(m);
      this.process();
    });
  }

  /**
   * Steps the message; if its handling reaches a later part that is not written yet, the
   * message is dropped, and the trace says so:
   *
   *   grading raft-election, a follower's handleAppendEntries throws "not implemented yet: raft-replication"
   *     => trace error "raft-1: dropped MsgApp t1 i0/0 +1 c0 from raft-0: not implemented yet: raft-replication"
   */
  private stepOrDrop(m: Message): void {
    try {
      this.node.step(m);
    } catch (err) {
      const part = notImplementedId(err);
      if (part === undefined || !(this.options.laterParts ?? []).includes(part)) throw err;
      const { sim } = this.options;
      sim.trace.error(sim.now(), this.id, `dropped ${describeMessage(m)} from ${m.from}: ${(err as Error).message}`, { raft: m.type, notImplemented: part });
    }
  }

  propose(data: string): boolean {
    return this.options.sim.guarded(() => {
      const accepted = this.node.propose(data);
      this.process();
      return accepted;
    });
  }

  readIndex(requestCtx: string): boolean {
    return this.options.sim.guarded(() => {
      const accepted = this.node.readIndex(requestCtx);
      this.process();
      return accepted;
    });
  }

  /** The application's state as of `index` replaces the log up to it. */
  compact(index: number, data: string): void {
    const snapshot = this.options.sim.guarded(() => this.node.compact(index, data));
    if (snapshot !== null) {
      this.persistSnapshot(snapshot, 'keeps later entries');
      this.machine.disk.sync();
    }
  }

  status(): Status {
    return this.node.status();
  }

  private tick(): void {
    this.machine.after(this.tickMs, () => this.tick());
    this.options.sim.guarded(() => {
      this.node.tick();
      this.process();
    });
  }

  /** Carries out every pending Ready, in Raft's order. */
  private process(): void {
    while (this.node.hasReady()) {
      const rd = this.node.ready();
      const disk = this.machine.disk;
      if (rd.snapshot) this.persistSnapshot(rd.snapshot, 'replaces the log');
      if (rd.entries.length > 0) {
        for (const e of rd.entries) disk.write(`entry/${e.index}`, JSON.stringify(e));
        disk.write('last-index', String(rd.entries[rd.entries.length - 1].index));
      }
      if (rd.hardState) disk.write('hardstate', JSON.stringify(rd.hardState));
      if (rd.snapshot || rd.entries.length > 0 || rd.hardState) disk.sync();
      for (const m of rd.messages) this.send(m);
      if (rd.softState) this.options.callbacks.softState?.(rd.softState);
      if (rd.snapshot) this.options.callbacks.restore(rd.snapshot);
      for (const e of rd.committedEntries) this.options.callbacks.apply(e);
      for (const rs of rd.readStates) this.options.callbacks.readState?.(rs);
      this.node.advance();
    }
  }

  /**
   * A snapshot from the leader replaces the whole log; one we took ourselves (compact) only
   * replaces the entries it covers.
   */
  private persistSnapshot(snapshot: Snapshot, effect: 'replaces the log' | 'keeps later entries'): void {
    const disk = this.machine.disk;
    disk.write('snapshot', JSON.stringify(snapshot));
    const last = Number(disk.read('last-index') ?? '0');
    if (effect === 'replaces the log' || last < snapshot.metadata.index) disk.write('last-index', String(snapshot.metadata.index));
  }

  private send(m: Message): void {
    const { net } = this.options;
    const flow = m.type.endsWith('Resp') ? 'response' : 'request';
    net.send(m.from, m.to, flow, describeMessage(m), { raft: m.type, term: m.term }, () => this.options.route(m.to)?.(m), m);
  }
}

/** What the last process of this machine synced, or undefined for a brand-new disk. */
function readPersisted(machine: MachineContext): PersistedState | undefined {
  const disk = machine.disk;
  const hard = disk.read('hardstate');
  const snap = disk.read('snapshot');
  if (hard === undefined && snap === undefined) return undefined;
  const hardState: HardState = hard ? (JSON.parse(hard) as HardState) : { term: 0, vote: null, commit: 0 };
  const snapshot = snap ? (JSON.parse(snap) as Snapshot) : null;
  const last = Number(disk.read('last-index') ?? '0');
  const entries: Entry[] = [];
  for (let i = (snapshot?.metadata.index ?? 0) + 1; i <= last; i++) {
    const text = disk.read(`entry/${i}`);
    if (text === undefined) break; // a torn tail: the rest never reached the disk whole
    try {
      entries.push(JSON.parse(text) as Entry);
    } catch {
      break;
    }
  }
  return { hardState, entries, snapshot };
}

/** `MsgApp t3 i7/2 +2 c6`: type, term, index/logTerm, entries carried, commit. */
export function describeMessage(m: Message): string {
  const parts = [m.type, `t${m.term}`];
  if (m.type === 'MsgApp' || m.type === 'MsgVote' || m.type === 'MsgPreVote') parts.push(`i${m.index}/${m.logTerm}`);
  if (m.type === 'MsgAppResp') parts.push(m.reject ? `reject i${m.index} hint ${m.rejectHint}` : `i${m.index}`);
  if (m.type.endsWith('VoteResp')) parts.push(m.reject ? 'rejected' : 'granted');
  if (m.entries.length > 0) parts.push(`+${m.entries.length}`);
  if (m.type === 'MsgApp' || m.type === 'MsgHeartbeat') parts.push(`c${m.commit}`);
  if (m.type === 'MsgSnap' && m.snapshot) parts.push(`snapshot i${m.snapshot.metadata.index}`);
  return parts.join(' ');
}
