/**
 * The given half of a Raft node (etcd's raft.go without the parts you write): its state, the
 * node's interface (tick, step, propose, ready, advance...), the dispatch of each message to
 * its handler, sending, role changes that are not an exercise, and the Ready bookkeeping.
 *
 * The handlers themselves — elections, replication, restart, snapshots — are plain functions
 * of (node, message) in exercises/raft/ (the reference in solutions/raft/), handed to the node
 * as its RaftParts. The node calls them; they read and change its state and call back into
 * the given helpers below (send, becomeFollower, appendEntry, sendAppend...):
 *
 *   const node = new Raft(config, parts);
 *   node.step(MsgVote { from b, term 1 })   => parts.handleTerm(node, m), then parts.handleVote(node, m)
 *   node.ready().messages                   => [MsgVoteResp { to b, term 1 }]   (what handleVote sent)
 *
 * The node never sends, stores or applies anything itself: it appends messages to `msgs` and
 * moves marks in its log, and ready() hands all of it out. So each handler is a plain
 * function of (state, message) => (new state, messages out), and can be tested as one.
 */
import { DEFAULT_ELECTION_TICK, DEFAULT_HEARTBEAT_TICK, message, type Config, type HardState, type Message, type MessageType, type NodeId, type PersistedState, type RaftNode, type ReadState, type Ready, type Role, type Snapshot, type SoftState, type Status } from './types';
import { Rng } from '../sim/rng';
import { Progress } from './progress';
import { RaftLog } from './raft-log';
import { ReadOnly } from './read-only';

/** A pre-election only polls (pre-vote); an election raises the term and asks for real votes. */
export type CampaignKind = 'pre-election' | 'election';

/** What a message to send needs; the rest defaults to zero values (see send()). */
export type Outgoing = Partial<Message> & { type: MessageType; to: NodeId };

/**
 * The functions of yours that the node calls, part by part (exercises/raft/raft.ts hands
 * them over). Each gets the node as its first argument.
 */
export interface RaftParts {
  // Part 1 — election
  handleTerm(r: Raft, m: Message): boolean;
  tickElection(r: Raft): void;
  tickHeartbeat(r: Raft): void;
  campaign(r: Raft, kind: CampaignKind): void;
  handleVote(r: Raft, m: Message): void;
  handleVoteResponse(r: Raft, m: Message): void;
  sendHeartbeat(r: Raft, to: NodeId, context: string): void;
  handleHeartbeat(r: Raft, m: Message): void;
  // Part 2 — replication and reads
  handleProposal(r: Raft, m: Message): boolean;
  handleAppendEntries(r: Raft, m: Message): void;
  handleAppendResponse(r: Raft, m: Message, pr: Progress): void;
  maybeCommit(r: Raft): boolean;
  handleHeartbeatResponse(r: Raft, m: Message, pr: Progress): void;
  handleReadIndex(r: Raft, m: Message): boolean;
  // Part 3 — persistence
  loadPersisted(r: Raft, state: PersistedState): void;
  // Part 4 — snapshots
  compact(r: Raft, index: number, data: string): Snapshot | null;
  sendSnapshot(r: Raft, to: NodeId, pr: Progress): boolean;
  handleSnapshot(r: Raft, m: Message): void;
}

export class Raft implements RaftNode {
  readonly id: NodeId;
  /** Every voter, this node included, sorted so that messages go out in the same order on every run. */
  readonly voters: NodeId[];
  readonly electionTimeout: number;
  readonly heartbeatTimeout: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  private readonly rng: Rng;
  private readonly parts: RaftParts;

  // Persistent state (Figure 2): it reaches the disk through Ready.hardState and Ready.entries.
  term = 0;
  vote: NodeId | null = null;
  readonly log = new RaftLog();

  // Volatile state.
  role: Role = 'follower';
  lead: NodeId | null = null;
  /** Ticks since the last election timeout, or (follower) since the leader was last heard from. */
  electionElapsed = 0;
  /** Leader: ticks since the last heartbeat round. */
  heartbeatElapsed = 0;
  /** This round's election timeout, drawn in [electionTimeout, 2 * electionTimeout). */
  randomizedElectionTimeout = 0;
  /** Candidate: the votes received in this election (true = granted). */
  readonly votes = new Map<NodeId, boolean>();
  /** Leader: each voter's progress, this node's own included. */
  private readonly progress = new Map<NodeId, Progress>();
  /** Leader: reads waiting for a heartbeat round to confirm the leadership. */
  readOnly = new ReadOnly();
  /** Leader: reads asked before it committed an entry of its own term (they wait for one). */
  pendingReads: Message[] = [];

  // Output, handed out by ready().
  private msgs: Message[] = [];
  private readStates: ReadState[] = [];
  private prevHardState: HardState;
  private prevSoftState: SoftState;

  constructor(config: Config, parts: RaftParts) {
    const electionTick = config.electionTick ?? DEFAULT_ELECTION_TICK;
    const heartbeatTick = config.heartbeatTick ?? DEFAULT_HEARTBEAT_TICK;
    if (!config.peers.includes(config.id)) throw new Error(`raft: ${config.id} must be one of its peers (${config.peers.join(', ')})`);
    if (new Set(config.peers).size !== config.peers.length) throw new Error(`raft: peers must be distinct (${config.peers.join(', ')})`);
    if (!(heartbeatTick > 0 && electionTick > heartbeatTick)) throw new Error(`raft: need 0 < heartbeatTick (${heartbeatTick}) < electionTick (${electionTick})`);
    this.parts = parts;
    this.id = config.id;
    this.voters = [...config.peers].sort();
    this.electionTimeout = electionTick;
    this.heartbeatTimeout = heartbeatTick;
    this.preVote = config.preVote ?? false;
    this.checkQuorum = config.checkQuorum ?? false;
    this.rng = new Rng(config.seed);
    if (config.restored !== undefined) parts.loadPersisted(this, config.restored);
    // Every node starts as a follower (§5.2), in the term it had reached.
    this.becomeFollower(this.term, null);
    this.prevHardState = this.hardState();
    this.prevSoftState = this.softState();
  }

  // ---------------------------------------------------------------------------------------
  // The node's interface (RaftNode)
  // ---------------------------------------------------------------------------------------

  tick(): void {
    if (this.role === 'leader') this.parts.tickHeartbeat(this);
    else this.parts.tickElection(this);
  }

  step(m: Message): void {
    this.handle(m);
  }

  propose(data: string): boolean {
    return this.handle(message({ type: 'MsgProp', from: this.id, to: this.id, entries: [{ term: 0, index: 0, data }] }));
  }

  readIndex(requestCtx: string): boolean {
    return this.handle(message({ type: 'MsgReadIndex', from: this.id, to: this.id, context: requestCtx }));
  }

  hasReady(): boolean {
    return (
      this.msgs.length > 0 ||
      this.readStates.length > 0 ||
      this.log.stabled < this.log.lastIndex() ||
      this.log.pendingSnapshot !== null ||
      this.log.hasNextCommittedEntries() ||
      !sameHardState(this.hardState(), this.prevHardState) ||
      !sameSoftState(this.softState(), this.prevSoftState)
    );
  }

  /**
   * Hands out everything pending and marks it handed out, so that no entry, message or
   * committed entry is handed out twice: entries go to disk once, committed entries to the
   * application once. (The application confirms with advance().)
   */
  ready(): Ready {
    const rd: Ready = {
      entries: this.log.unstableEntries(),
      committedEntries: this.log.nextCommittedEntries(),
      messages: this.msgs,
      readStates: this.readStates,
    };
    const soft = this.softState();
    if (!sameSoftState(soft, this.prevSoftState)) rd.softState = soft;
    const hard = this.hardState();
    if (!sameHardState(hard, this.prevHardState)) rd.hardState = hard;
    if (this.log.pendingSnapshot !== null) rd.snapshot = this.log.pendingSnapshot;

    const lastCommitted = rd.committedEntries[rd.committedEntries.length - 1];
    this.log.accept(lastCommitted?.index ?? rd.snapshot?.metadata.index ?? this.log.applying);
    this.msgs = [];
    this.readStates = [];
    this.prevSoftState = soft;
    this.prevHardState = hard;
    return rd;
  }

  advance(): void {
    this.log.appliedToApplying();
  }

  status(): Status {
    return {
      id: this.id,
      term: this.term,
      vote: this.vote,
      role: this.role,
      lead: this.lead,
      commit: this.log.committed,
      applied: this.log.applied,
      lastIndex: this.log.lastIndex(),
      snapshotIndex: this.log.snapshotIndex(),
    };
  }

  /** Log compaction: Part 4's compact. */
  compact(index: number, data: string): Snapshot | null {
    return this.parts.compact(this, index, data);
  }

  // ---------------------------------------------------------------------------------------
  // Dispatch: which handler gets a message
  // ---------------------------------------------------------------------------------------

  /**
   * Routes one message. Messages from other nodes carry a term: the term rules come first
   * (handleTerm), and may drop the message. Then some types mean the same in every role;
   * the rest depend on the role. Returns false when a proposal or read is dropped.
   */
  private handle(m: Message): boolean {
    if (m.term !== 0 && !this.parts.handleTerm(this, m)) return false;
    switch (m.type) {
      case 'MsgHup':
        this.hup();
        return true;
      case 'MsgVote':
      case 'MsgPreVote':
        this.parts.handleVote(this, m);
        return true;
      case 'MsgProp':
        return this.parts.handleProposal(this, m);
      case 'MsgReadIndex':
        return this.parts.handleReadIndex(this, m);
    }
    if (this.role === 'leader') this.stepLeader(m);
    else if (this.role === 'follower') this.stepFollower(m);
    else this.stepCandidate(m);
    return true;
  }

  private stepLeader(m: Message): void {
    if (m.type === 'MsgBeat') {
      this.bcastHeartbeat(this.readOnly.context());
      return;
    }
    const pr = this.progress.get(m.from);
    if (pr === undefined) return;
    if (m.type === 'MsgAppResp') {
      pr.recentActive = true;
      this.parts.handleAppendResponse(this, m, pr);
    } else if (m.type === 'MsgHeartbeatResp') {
      pr.recentActive = true;
      this.parts.handleHeartbeatResponse(this, m, pr);
    }
  }

  /** A candidate hearing from a leader of its own term lost the election (§5.2): it follows. */
  private stepCandidate(m: Message): void {
    switch (m.type) {
      case 'MsgApp':
        this.becomeFollower(m.term, m.from);
        this.parts.handleAppendEntries(this, m);
        break;
      case 'MsgHeartbeat':
        this.becomeFollower(m.term, m.from);
        this.parts.handleHeartbeat(this, m);
        break;
      case 'MsgSnap':
        this.becomeFollower(m.term, m.from);
        this.parts.handleSnapshot(this, m);
        break;
      case 'MsgVoteResp':
      case 'MsgPreVoteResp':
        this.parts.handleVoteResponse(this, m);
        break;
    }
  }

  /** A message from the leader: it is alive, so the election timer starts over. */
  private heardFromLeader(m: Message): void {
    this.electionElapsed = 0;
    this.lead = m.from;
  }

  /** Anything from the leader resets the follower's election timer: the leader is alive. */
  private stepFollower(m: Message): void {
    switch (m.type) {
      case 'MsgApp':
        this.heardFromLeader(m);
        this.parts.handleAppendEntries(this, m);
        break;
      case 'MsgHeartbeat':
        this.heardFromLeader(m);
        this.parts.handleHeartbeat(this, m);
        break;
      case 'MsgSnap':
        this.heardFromLeader(m);
        this.parts.handleSnapshot(this, m);
        break;
      case 'MsgReadIndexResp':
        this.readStates.push({ index: m.index, requestCtx: m.context });
        break;
    }
  }

  // ---------------------------------------------------------------------------------------
  // Given helpers your parts call
  // ---------------------------------------------------------------------------------------

  /**
   * Queues a message for the next Ready. It carries this node's current term, except votes
   * and vote responses (which name the term they are about) and proposals and reads being
   * forwarded (which carry none: they are not part of the term protocol).
   *
   *   term 3:  send({ type: 'MsgHeartbeat', to: 'b' })             => MsgHeartbeat { from a, to b, term 3 }
   *            send({ type: 'MsgVoteResp', to: 'c', term: 4 })     => MsgVoteResp { term 4 }
   */
  send(fields: Outgoing): void {
    const m = message({ from: this.id, ...fields });
    const carriesOwnTerm = m.type === 'MsgVote' || m.type === 'MsgVoteResp' || m.type === 'MsgPreVote' || m.type === 'MsgPreVoteResp';
    const local = m.type === 'MsgProp' || m.type === 'MsgReadIndex';
    if (!carriesOwnTerm && !local) m.term = this.term;
    this.msgs.push(m);
  }

  /** Starts an election now (MsgHup, or an election timeout), with a pre-vote round first if configured. A leader ignores it. */
  hup(): void {
    if (this.role === 'leader') return;
    this.parts.campaign(this, this.preVote ? 'pre-election' : 'election');
  }

  becomeFollower(term: number, lead: NodeId | null): void {
    this.reset(term);
    this.lead = lead;
    this.role = 'follower';
  }

  /**
   * What every role change starts from. A new term clears the vote (a node votes once per
   * term, §5.2); the timers restart, with a new random election timeout; votes, progress and
   * reads of the old role are forgotten. Every follower's progress starts from the guess
   * "you have what I have" (next = lastIndex + 1), to be corrected by their answers.
   */
  reset(term: number): void {
    if (term !== this.term) {
      this.term = term;
      this.vote = null;
    }
    this.lead = null;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();
    this.votes.clear();
    const last = this.log.lastIndex();
    for (const id of this.voters) {
      const pr = new Progress(last + 1);
      if (id === this.id) pr.match = last;
      this.progress.set(id, pr);
    }
    this.readOnly = new ReadOnly();
    this.pendingReads = [];
  }

  /**
   * Randomized election timeouts (§5.2): each round, a timeout drawn in
   * [electionTimeout, 2 * electionTimeout). Nodes that time out at different moments rarely
   * split the vote: usually one campaigns alone and wins before the others time out.
   */
  private resetRandomizedElectionTimeout(): void {
    this.randomizedElectionTimeout = this.electionTimeout + this.rng.int(this.electionTimeout);
  }

  /** The leader's record of voter `id`'s log (lab-kernel/raft/progress.ts). */
  pr(id: NodeId): Progress {
    return this.progress.get(id)!;
  }

  /** A majority of the voters: 2 of 3, 3 of 5. */
  quorum(): number {
    return Math.floor(this.voters.length / 2) + 1;
  }

  /** Heartbeats to every follower (each one your sendHeartbeat): "I still lead". */
  bcastHeartbeat(context: string): void {
    for (const id of this.voters) {
      if (id !== this.id) this.parts.sendHeartbeat(this, id, context);
    }
  }

  /**
   * The leader appends entries of its term to its own log. Its own progress counts towards
   * the majority like anyone's. Alone, the leader is its own majority: what it appends is
   * committed at once (maybeCommit, Part 2). With followers, nothing new can be committed
   * before one of them answers (handleAppendResponse, Part 2).
   *
   *   leader at term 2, last index 4:  appendEntry(['x', 'y'])  => entries (5, t2, 'x') and (6, t2, 'y'), own match 6
   */
  appendEntry(data: string[]): void {
    let index = this.log.lastIndex();
    const entries = data.map((d) => ({ term: this.term, index: ++index, data: d }));
    this.pr(this.id).maybeUpdate(this.log.append(entries));
    if (this.voters.length === 1) this.parts.maybeCommit(this);
  }

  /** Sends every follower what it lacks (sendAppend to each). */
  bcastAppend(): void {
    for (const id of this.voters) {
      if (id !== this.id) this.sendAppend(id);
    }
  }

  /**
   * AppendEntries (Figure 2): the entries from `next` on, with the index and term of the entry
   * just before them, which the follower must hold for the append to fit, and the commit
   * index. If that entry is compacted away, the follower is too far behind for the log: it
   * gets the snapshot instead (sendSnapshot, Part 4). With `sendIfEmpty` false, nothing is
   * sent unless there are entries. Returns whether something was sent.
   *
   *   leader log 1..9 (term 3 from 7), commit 6, b's next 8  => MsgApp { to b, index 7, logTerm 3, entries 8..9, commit 6 }
   */
  sendAppend(to: NodeId, sendIfEmpty = true): boolean {
    const pr = this.pr(to);
    if (pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    if (prevTerm === undefined) return this.parts.sendSnapshot(this, to, pr);
    const entries = this.log.slice(pr.next, this.log.lastIndex() + 1);
    if (entries.length === 0 && !sendIfEmpty) return false;
    this.send({ type: 'MsgApp', to, index: prevIndex, logTerm: prevTerm, entries, commit: this.log.committed });
    pr.sentEntries(entries.length);
    return true;
  }

  /** The leader just committed an entry of its term: the reads that waited for it (pendingReads) can go. */
  releasePendingReads(): void {
    if (this.pendingReads.length === 0 || this.log.term(this.log.committed) !== this.term) return;
    for (const m of this.pendingReads) this.readOnly.add(this.log.committed, m.from, m.context);
    this.pendingReads = [];
    this.confirmReads();
  }

  /** Acknowledges the queued reads itself and asks the followers with a heartbeat round. */
  confirmReads(): void {
    const context = this.readOnly.context();
    this.readOnly.ack(this.id, context);
    this.bcastHeartbeat(context);
  }

  /** A confirmed read: a ReadState here, or the answer to the follower that forwarded it. */
  answerRead(from: NodeId, index: number, requestCtx: string): void {
    if (from === this.id) this.readStates.push({ index, requestCtx });
    else this.send({ type: 'MsgReadIndexResp', to: from, index, context: requestCtx });
  }

  private hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  private softState(): SoftState {
    return { lead: this.lead, role: this.role };
  }
}

function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

function sameSoftState(a: SoftState, b: SoftState): boolean {
  return a.lead === b.lead && a.role === b.role;
}
