import { Machines, type MachineContext } from '../sim/machines';
import { Network } from '../sim/network';
import type { SimDisk } from '../sim/disk';
import { Simulation } from '../sim/simulation';
import type { Guard } from '../sim/guard';
import { isNotImplemented } from '../sim/not-implemented';
import { overrideNode } from './override-node';
import { RaftPeer, type PeerOptions } from './raft-peer';
import { EMPTY_DIGEST, nextDigest, SafetyChecker } from './safety';
import { Timeline, type TimelineWindow } from './timeline';
import type { Config, Entry, MessageType, NewRaft, RaftNode, Ready, Snapshot, Status } from './types';

/**
 * A whole Raft cluster on the simulation, built to test a Raft implementation the way MIT
 * 6.5840's config.go does — but deterministic: the same seed gives the same run, so a failure
 * can be replayed exactly and drawn as a timeline.
 *
 *   const cluster = new RaftCluster({ seed: 7, peers: 3 });   // the reference (source: 'solution')
 *   const leader = cluster.checkOneLeader();                  // runs until one leader is elected
 *   cluster.one('x', 3, false);                               // => the index where 'x' got committed on all 3
 *   cluster.disconnect(leader);
 *   cluster.one('y', 2, true);                                // the other two elect a new leader and commit
 *   console.log(cluster.timelineText());                      // who was what, term by term
 *
 * Peers are numbered 0..n-1 (named raft-0, raft-1, ...). Each runs as a RaftPeer on its own
 * simulated machine and disk, and feeds an application that does what 6.5840's applier does:
 * it records what is applied, and the cluster checks every apply at once (safety.ts). The first
 * violation stops the run and is thrown by whichever call was running it.
 *
 * The application's state is a digest of the commands it applied. With `snapshotEvery: n`, at
 * every index that is a multiple of n the application snapshots that state (peer.compact), and a
 * snapshot from the leader replaces it — 6.5840's part 3D.
 *
 * Which peers count as "connected" for checkOneLeader, checkTerms and checkNoLeader (6.5840's
 * connected[]): those running, not cut off by disconnect(), and, while a partition holds, in a
 * group with a majority of the peers. A disconnected old leader still believes it leads; it is
 * not counted.
 */

/**
 * The longest election timeout: 20 ticks of 100 ms (etcd's defaults draw each timeout from 10
 * to 20 ticks). After that long without a leader, a healthy majority should be electing one.
 * It plays the part of 6.5840's RaftElectionTimeout (1 s there).
 */
export const ELECTION_TIMEOUT_MS = 2000;

/**
 * How long one() keeps trying: 6.5840's 10 s, scaled by ELECTION_TIMEOUT_MS / RaftElectionTimeout.
 * It leaves room for several elections in a row: a peer whose log is behind may campaign again
 * and again (it cannot win), and each time the peers that could win start their election timers
 * over.
 */
export const ONE_TIMEOUT_MS = 20_000;

export interface RaftClusterOptions {
  seed: number;
  /** How many peers: 3, 5 or 7 in the 6.5840 scenarios. */
  peers: number;
  /** Whose Raft runs: the reference or the learner's, loaded by whoever makes the cluster (cluster/exercise-code.ts: raftCluster). */
  newRaft: NewRaft;
  /** The watchdog the simulation runs its events under (a learner's Raft may loop forever). Default: none. */
  guard?: Guard;
  /** false: start with an unreliable network (setUnreliable(true)). Default true. */
  reliable?: boolean;
  /** Each application snapshots its state at every index that is a multiple of this (6.5840 3D). Default: never. */
  snapshotEvery?: number;
  /** Options passed to every node (electionTick, heartbeatTick, preVote, checkQuorum). */
  config?: PeerOptions['config'];
  /** Parts of the exercise not graded yet: a message that reaches their "not implemented yet" is dropped, and the trace says so (raft-peer.ts). Default: none. */
  laterParts?: readonly string[];
}

/** A check of the cluster failed, or a safety property was violated: the message says which, in plain words. */
export class RaftCheckFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RaftCheckFailure';
  }
}

/** Throws a RaftCheckFailure saying what was expected unless `ok`: check(term >= 1, 'a term of at least 1'). */
export function check(ok: boolean, expectation: string): void {
  if (!ok) throw new RaftCheckFailure(`expected ${expectation}`);
}

/** One incarnation of a peer's application: its state, lost when the peer crashes. */
interface Application {
  /** The last index applied (or loaded from a snapshot). */
  applied: number;
  /** The state: a digest of every command applied, in order. */
  digest: number;
}

/** What the applications put in a snapshot: their state and the index it stands at. */
interface SnapshotState {
  index: number;
  digest: number;
}

export class RaftCluster {
  readonly sim: Simulation;
  readonly net: Network;
  /** Every peer's name, by number: names[2] = 'raft-2'. */
  readonly names: readonly string[];
  readonly safety = new SafetyChecker();
  readonly timeline: Timeline;
  private readonly machines: Machines<RaftPeer>;
  private readonly newRaft: NewRaft;
  private readonly options: RaftClusterOptions;
  /** The highest index each peer ever applied, across its crashes (6.5840's logs[i]). */
  private readonly everApplied: number[];
  private readonly disconnected = new Set<number>();
  /** The partition in force, as groups of peer numbers, or undefined. */
  private groups: number[][] | undefined;
  private unreliable = false;
  private longReordering = false;
  /** Where one() starts looking for a leader, round-robin (as 6.5840 does). */
  private nextTry = 0;

  constructor(options: RaftClusterOptions) {
    if (!(Number.isInteger(options.peers) && options.peers >= 1)) throw new RangeError(`peers must be a positive whole number, got ${options.peers}`);
    this.options = options;
    this.sim = new Simulation({ seed: options.seed, guard: options.guard });
    this.net = new Network(this.sim);
    this.names = Array.from({ length: options.peers }, (_, i) => `raft-${i}`);
    this.everApplied = this.names.map(() => 0);
    this.timeline = new Timeline(this.names);
    this.newRaft = options.newRaft;
    this.machines = new Machines(this.sim, this.net, (machine) => this.boot(machine));
    if (options.reliable === false) this.setUnreliable(true);
    for (const name of this.names) this.machines.start(name);
  }

  /** Virtual time, in ms. */
  now(): number {
    return this.sim.now();
  }

  // ---------------------------------------------------------------------------------------
  // Driving the cluster
  // ---------------------------------------------------------------------------------------

  /**
   * Lets `ms` of virtual time pass. Throws at once if a safety property is violated meanwhile
   * (the run stops at the event that broke it).
   */
  runFor(ms: number): void {
    this.runUntil(() => false, ms);
  }

  /** Runs until `done()` holds (checked after every event) or `ms` pass; returns whether it held. */
  runUntil(done: () => boolean, ms: number): boolean {
    let held = false;
    this.sim.runUntil(() => this.safety.violations.length > 0 || (held = done()), ms);
    this.throwIfUnsafe();
    return held;
  }

  /**
   * Proposes `command` at a peer, as a client talking to it would. Returns whether the peer
   * accepted it (false when it is crashed or knows no leader) — accepted is not committed: a
   * follower forwards it to its leader, and a leader cut off from the majority never commits it.
   */
  start(peer: number, command: string): boolean {
    const running = this.machines.get(this.names[peer]);
    return running !== undefined && running.propose(command);
  }

  /**
   * 6.5840's one(): proposes `command` at a leader and waits until at least `expectedServers`
   * peers applied it. Each try waits up to 2 s; with `retry`, a try that fails (the leader lost
   * its leadership, the proposal was lost) is followed by another at whoever leads then, for
   * up to ONE_TIMEOUT_MS of virtual time in all. Returns the index where the command was
   * committed. Commands must be distinct: the index is where the command first appears.
   */
  one(command: string, expectedServers: number, retry: boolean): number {
    const deadline = this.now() + ONE_TIMEOUT_MS;
    const committed = () => {
      const index = this.safety.indexOf(command);
      return index !== undefined && this.nCommitted(index).count >= expectedServers;
    };
    let proposed = false;
    while (this.now() < deadline) {
      if (this.proposeAtLeader(command)) {
        proposed = true;
        if (this.runUntil(committed, Math.min(2000, deadline - this.now()))) return this.safety.indexOf(command) as number;
        if (!retry) break;
      } else {
        this.runFor(50);
      }
    }
    const index = this.safety.indexOf(command);
    const count = index === undefined ? 0 : this.nCommitted(index).count;
    const outcome = !proposed
      ? 'no connected peer was leader to propose it to'
      : index === undefined
        ? 'no peer applied it'
        : `it was committed at index ${index}, but only ${count} peer${count === 1 ? '' : 's'} applied it`;
    const how = retry
      ? `within ${ONE_TIMEOUT_MS / 1000} s of virtual time, proposing it again at the leader after each try of 2 s`
      : 'within 2 s of proposing it at the leader, without retrying';
    throw new RaftCheckFailure(`expected ${JSON.stringify(command)} to be committed and applied by at least ${expectedServers} peers ${how}; ${outcome}`);
  }

  /** Crashes the peer: its process stops, unsynced writes are lost, its application's state too. */
  crash(peer: number): void {
    const name = this.names[peer];
    this.machines.crash(name);
    this.timeline.record(name, this.now(), { state: 'crashed' });
    this.timeline.mark(this.now(), `crash ${name}`);
    this.noteReachability();
  }

  /** Starts a crashed peer from what its disk holds; a running peer is crashed first (a reboot). */
  restart(peer: number): void {
    const name = this.names[peer];
    if (this.machines.get(name) !== undefined) this.crash(peer);
    this.timeline.mark(this.now(), `restart ${name}`);
    this.machines.start(name);
    this.noteReachability();
  }

  /** Cuts the peer off from every other (its process keeps running). */
  disconnect(peer: number): void {
    this.disconnected.add(peer);
    this.net.isolate(this.names[peer]);
    this.timeline.mark(this.now(), `disconnect ${this.names[peer]}`);
    this.noteReachability();
  }

  /** Undoes disconnect(peer). */
  connect(peer: number): void {
    this.disconnected.delete(peer);
    this.net.reconnect(this.names[peer]);
    this.timeline.mark(this.now(), `connect ${this.names[peer]}`);
    this.noteReachability();
  }

  /** Splits the peers into groups that cannot talk to each other: partition([[0, 1], [2, 3, 4]]). */
  partition(groups: number[][]): void {
    this.groups = groups.map((g) => [...g]);
    this.net.partition(groups.map((g) => g.map((i) => this.names[i])));
    this.timeline.mark(this.now(), `partition ${groups.map((g) => g.map((i) => this.names[i]).join(' ')).join(' | ')}`);
    this.noteReachability();
  }

  /** Ends the partition and every disconnect(). */
  heal(): void {
    this.groups = undefined;
    this.disconnected.clear();
    this.net.heal();
    this.timeline.mark(this.now(), 'heal');
    this.noteReachability();
  }

  /**
   * An unreliable network, as 6.5840's: 1 message in 10 lost, each delayed 0..27 ms more, and
   * messages on a link may overtake each other.
   */
  setUnreliable(on: boolean): void {
    this.unreliable = on;
    this.applyFaults(`unreliable network ${on ? 'on' : 'off'}`);
  }

  /** Long reordering (6.5840's setlongreordering): every message delayed 0..600 ms more, so old ones arrive long after newer ones. */
  setLongReordering(on: boolean): void {
    this.longReordering = on;
    this.applyFaults(`long reordering ${on ? 'on' : 'off'}`);
  }

  // ---------------------------------------------------------------------------------------
  // Looking at it (6.5840's checks)
  // ---------------------------------------------------------------------------------------

  /** The peer's status, or undefined while it is crashed. */
  status(peer: number): Status | undefined {
    return this.machines.get(this.names[peer])?.status();
  }

  /** The peer's disk, which outlives its crashes: what a restarted peer boots from (raft-peer.ts: the layout). */
  disk(peer: number): SimDisk {
    return this.machines.disk(this.names[peer]);
  }

  isRunning(peer: number): boolean {
    return this.machines.get(this.names[peer]) !== undefined;
  }

  isLeader(peer: number): boolean {
    return this.status(peer)?.role === 'leader';
  }

  /** Running, not disconnected, and (under a partition) in a group holding a majority. */
  isConnected(peer: number): boolean {
    if (!this.isRunning(peer) || this.disconnected.has(peer)) return false;
    if (this.groups === undefined) return true;
    const group = this.groups.find((g) => g.includes(peer));
    return group === undefined || group.length > this.names.length / 2;
  }

  /**
   * Waits (in steps of about half a second, up to 10 s of virtual time) until a connected peer
   * leads, and returns it: the leader of the highest term. Fails if some term has two leaders,
   * or if no leader shows up.
   */
  checkOneLeader(): number {
    const rng = this.sim.rng('raft-cluster');
    for (let waited = 0; waited < 10_000; ) {
      const step = rng.between(450, 550);
      this.runFor(step);
      waited += step;
      const byTerm = new Map<number, number[]>();
      for (let i = 0; i < this.names.length; i++) {
        const s = this.isConnected(i) ? this.status(i) : undefined;
        if (s?.role === 'leader') byTerm.set(s.term, [...(byTerm.get(s.term) ?? []), i]);
      }
      for (const [term, leaders] of byTerm) {
        if (leaders.length > 1) throw new RaftCheckFailure(`expected at most one leader per term, but ${this.list(leaders)} all lead term ${term}`);
      }
      if (byTerm.size > 0) return byTerm.get(Math.max(...byTerm.keys()))![0];
    }
    const connected = this.names.filter((_, i) => this.isConnected(i));
    throw new RaftCheckFailure(
      `expected the connected peers (${connected.join(', ') || 'none'}) to elect a leader within 10 s of virtual time, but none of them leads`,
    );
  }

  /** All connected peers are in the same term: returns it. */
  checkTerms(): number {
    let term: number | undefined;
    let first = -1;
    for (let i = 0; i < this.names.length; i++) {
      if (!this.isConnected(i)) continue;
      const t = this.status(i)!.term;
      if (term === undefined) {
        term = t;
        first = i;
      } else if (t !== term) {
        throw new RaftCheckFailure(`expected the connected peers to agree on the term, but ${this.names[first]} is in term ${term} and ${this.names[i]} in term ${t}`);
      }
    }
    if (term === undefined) throw new RaftCheckFailure('expected some connected peer to compare terms, but none is connected');
    return term;
  }

  /** No connected peer believes it leads. */
  checkNoLeader(): void {
    for (let i = 0; i < this.names.length; i++) {
      const s = this.isConnected(i) ? this.status(i) : undefined;
      if (s?.role === 'leader') {
        throw new RaftCheckFailure(`expected no leader among the connected peers (they are not a majority), but ${this.names[i]} leads term ${s.term}`);
      }
    }
  }

  /** How many peers applied the entry at `index` (counting crashed ones that had), and its command. */
  nCommitted(index: number): { count: number; command: string | undefined } {
    const count = this.everApplied.filter((applied) => applied >= index).length;
    return { count, command: this.safety.entryAt(index)?.data };
  }

  /** Every message sent so far, answers included (6.5840's rpcTotal, which counts only requests). */
  rpcCount(): number {
    return this.net.stats().messages;
  }

  /** Bytes of every message sent so far (JSON), answers included. */
  bytes(): number {
    return this.net.stats().bytes;
  }

  /** How many messages of one type were sent so far: messagesSent('MsgSnap'). */
  messagesSent(type: MessageType): number {
    return this.sim.trace.all().filter((e) => e.kind === 'message' && e.data?.raft === type && e.data.duplicateOf === undefined).length;
  }

  /** The compact text timeline of the last `lastMs` of virtual time (see timeline.ts). */
  timelineText(lastMs = 5000): string {
    return this.timeline.text({ fromMs: Math.max(0, this.now() - lastMs), toMs: this.now() });
  }

  /** The timeline as a Mermaid gantt chart, for a notebook; by default the whole run. */
  timelineMermaid(window: Partial<TimelineWindow> = {}): string {
    return this.timeline.mermaid({ fromMs: window.fromMs ?? 0, toMs: window.toMs ?? this.now() });
  }

  // ---------------------------------------------------------------------------------------
  // Inside: booting peers, their applications, what the timeline and the checks see
  // ---------------------------------------------------------------------------------------

  private boot(machine: MachineContext): RaftPeer {
    const name = machine.name;
    const peerNumber = this.names.indexOf(name);
    const app: Application = { applied: 0, digest: EMPTY_DIGEST };
    const peer: RaftPeer = new RaftPeer(machine, {
      sim: this.sim,
      net: this.net,
      newRaft: (config) => this.observed(name, this.newRaft(config), config),
      peers: [...this.names],
      route: (to) => {
        const target = this.machines.get(to);
        return target && ((m) => target.receive(m));
      },
      callbacks: {
        apply: (entry) => {
          const state = this.apply(peerNumber, app, entry);
          // Raft may only compact what the application confirmed (advance()), which RaftPeer
          // does right after this Ready: take the snapshot just after.
          if (state !== undefined) machine.after(0, () => peer.compact(state.index, JSON.stringify(state)));
        },
        restore: (snapshot) => this.restore(name, app, snapshot),
      },
      ...(this.options.config ? { config: this.options.config } : {}),
      ...(this.options.laterParts ? { laterParts: this.options.laterParts } : {}),
    });
    return peer;
  }

  /**
   * A committed entry reaches the peer's application: check it and apply it. Returns the state
   * to snapshot when the index is a multiple of snapshotEvery.
   */
  private apply(peer: number, app: Application, entry: Entry): SnapshotState | undefined {
    if (this.safety.applied(this.names[peer], entry, app.applied) !== undefined) return undefined;
    app.applied = entry.index;
    app.digest = nextDigest(app.digest, entry.data);
    this.everApplied[peer] = Math.max(this.everApplied[peer], entry.index);
    const every = this.options.snapshotEvery;
    return every !== undefined && entry.index % every === 0 ? { index: entry.index, digest: app.digest } : undefined;
  }

  /** A snapshot replaces the application's state (from the leader, or from disk at a restart). */
  private restore(name: string, app: Application, snapshot: Snapshot): void {
    let state: SnapshotState | undefined;
    try {
      state = JSON.parse(snapshot.data) as SnapshotState;
    } catch {
      state = undefined;
    }
    const index = snapshot.metadata.index;
    if (state === undefined || typeof state.digest !== 'number' || state.index !== index) {
      this.safety.report(`${name} was handed a snapshot labelled index ${index} whose data is not the application's state at ${index} (${JSON.stringify(snapshot.data).slice(0, 60)}): the data must be what compact() was given`);
      return;
    }
    if (this.safety.loaded(name, index, state.digest, app.applied) !== undefined) return;
    app.applied = index;
    app.digest = state.digest;
    const peer = this.names.indexOf(name);
    this.everApplied[peer] = Math.max(this.everApplied[peer], index);
  }

  /**
   * The node as the peer sees it, with every Ready looked at on the way out: the timeline
   * follows terms (hardState) and roles (softState), and a new leader is checked for Election
   * Safety.
   */
  private observed(name: string, node: RaftNode, config: Config): RaftNode {
    this.timeline.record(name, this.now(), { state: 'follower', term: config.restored?.hardState.term ?? 0 });
    const seen = (rd: Ready) => {
      if (rd.hardState) this.timeline.record(name, this.now(), { term: rd.hardState.term });
      if (rd.softState) {
        this.timeline.record(name, this.now(), { state: rd.softState.role });
        if (rd.softState.role === 'leader') this.safety.leader(name, node.status().term);
      }
    };
    return overrideNode(node, {
      ready: () => {
        const rd = node.ready();
        seen(rd);
        return rd;
      },
    });
  }

  /** Proposes at the next connected leader, round-robin from where the last try stopped. */
  private proposeAtLeader(command: string): boolean {
    for (let k = 0; k < this.names.length; k++) {
      const i = this.nextTry;
      this.nextTry = (this.nextTry + 1) % this.names.length;
      if (this.isConnected(i) && this.isLeader(i) && this.start(i, command)) return true;
    }
    return false;
  }

  private applyFaults(note: string): void {
    this.net.faults.set({
      dropRate: this.unreliable ? 0.1 : 0,
      extraDelayMs: this.longReordering ? [0, 600] : this.unreliable ? [0, 27] : [0, 0],
      reorder: this.unreliable || this.longReordering,
    });
    this.timeline.mark(this.now(), note);
  }

  /** After a change of the network or of who runs: which peers can still reach a majority. */
  private noteReachability(): void {
    for (const a of this.names) {
      const reached = this.names.filter((b) => this.net.reachable(a, b) && this.net.reachable(b, a)).length;
      this.timeline.record(a, this.now(), { cutOff: reached <= this.names.length / 2 });
    }
  }

  private throwIfUnsafe(): void {
    const violation = this.safety.violations[0];
    if (violation !== undefined) throw new RaftCheckFailure(`safety violation: ${violation}`);
  }

  private list(peers: number[]): string {
    return peers.map((i) => this.names[i]).join(' and ');
  }
}

/**
 * Runs a test scenario on a fresh cluster per seed. A failure — a check, a safety violation, an
 * exception from the Raft code — comes back with what it takes to debug it: the seed, the
 * command that replays exactly that run, and the timeline of its last seconds. A stub's "not
 * implemented yet" comes back as it is.
 *
 *   runScenario({ peers: 3, seeds: [1, 2, 3], replay: (seed) => `npm run grade -- raft-election --seed ${seed}` },
 *     (cluster) => cluster.checkOneLeader());
 */
export function runScenario(
  options: Omit<RaftClusterOptions, 'seed'> & { seeds: readonly number[]; replay: (seed: number) => string },
  scenario: (cluster: RaftCluster) => void,
): void {
  for (const seed of options.seeds) {
    const cluster = new RaftCluster(Object.assign({}, options, { seed }));
    try {
      scenario(cluster);
    } catch (err) {
      throw explain(err, cluster, options.replay(seed));
    }
  }
}

/** The error, its message extended with the seed, the replay command and the recent timeline. */
function explain(err: unknown, cluster: RaftCluster, replay: string): unknown {
  if (isNotImplemented(err) || !(err instanceof Error)) return err;
  // No blank lines: a report that shows only the first lines of a failure still shows the rows.
  err.message +=
    `\nseed ${cluster.sim.seed}, stopped at ${(cluster.now() / 1000).toFixed(3)} s of virtual time; replay: ${replay}` +
    `\nwhat the peers did in the last 5 s: ${cluster.timelineText(5000)}`;
  return err;
}
