/**
 * The contract of kubelab's Raft: what the kernel, the exercise (exercises/raft/) and the
 * reference (solutions/raft/) agree on.
 *
 * A Raft node here is a pure state machine in the shape of etcd's raft library (etcd-io/raft):
 * it never reads a clock, never touches a disk, never opens a socket. Whoever drives it — the
 * simulation, a test, a notebook — does three things in a loop:
 *
 *   1. feeds it input: tick() when virtual time passes, step(message) when a message arrives,
 *      propose(data) / readIndex(ctx) when a client asks;
 *   2. asks for its output: if hasReady(), ready() returns a Ready — what to write to disk,
 *      what to send, what to apply;
 *   3. carries the Ready out in order (persist, then send, then apply) and calls advance().
 *
 * Because nothing inside depends on time or chance except through those calls (the election
 * timeouts come from Config.seed), the same inputs give the same run: a failure can be replayed
 * from its seed and every message can be drawn on a timeline.
 *
 *   const node = newRaft({ id: 'a', peers: ['a', 'b', 'c'], seed: 7 });
 *   for (let i = 0; i < 19; i++) node.tick();   // no leader heard from: it campaigns (timeout in 10..19)
 *   const rd = node.ready();
 *   rd.hardState   // => { term: 1, vote: 'a', commit: 0 }   persist this first...
 *   rd.messages    // => two MsgVote, to b and c              ...then send these
 *   node.advance();
 */

/** A node's name, e.g. 'etcd-0'. Every node of a cluster knows every other by this name. */
export type NodeId = string;

/** What a node currently is. A pre-candidate is polling for votes without raising its term (§9.6 of the thesis). */
export type Role = 'follower' | 'candidate' | 'pre-candidate' | 'leader';

/**
 * One log entry. The leader writes `data` into its log at (`term`, `index`); once a majority
 * stores it, it is committed and every node applies it, in index order.
 */
export interface Entry {
  /** The term of the leader that created the entry. */
  term: number;
  /** Its position in the log, from 1. */
  index: number;
  /** What the application proposed. A new leader's first entry is empty (''): it carries no command. */
  data: string;
}

/**
 * What a node must have on disk before it says anything to anyone (Figure 2, "Persistent state
 * on all servers"). etcd also keeps the commit index here, so a restarted node knows how far it
 * may apply again without waiting for the leader.
 */
export interface HardState {
  /** The latest term this node has seen. */
  term: number;
  /** Whom it voted for in that term, or null. Remembering it is what stops a node from voting twice in one term. */
  vote: NodeId | null;
  /** The highest index it knows to be committed. */
  commit: number;
}

/** Where a snapshot sits in the log, and the members it was taken with. */
export interface SnapshotMetadata {
  /** The index of the last entry the snapshot replaces. */
  index: number;
  /** The term of that entry: needed to check the entry after it (the log matching property). */
  term: number;
  /** The voting members of the cluster. */
  voters: NodeId[];
}

/** The application's state as of one log index, standing in for every entry up to it (§7). */
export interface Snapshot {
  /** Which prefix of the log it replaces. */
  metadata: SnapshotMetadata;
  /** The application's state, serialized by the application: Raft never looks inside. */
  data: string;
}

/**
 * Every kind of message, named as in etcd. Three are local: they never cross the network, the
 * node steps them to itself (MsgHup: start an election; MsgBeat: send heartbeats; MsgProp:
 * a proposal, which a follower forwards to its leader, as it forwards MsgReadIndex).
 */
export type MessageType =
  | 'MsgHup'
  | 'MsgBeat'
  | 'MsgProp'
  | 'MsgApp'
  | 'MsgAppResp'
  | 'MsgVote'
  | 'MsgVoteResp'
  | 'MsgPreVote'
  | 'MsgPreVoteResp'
  | 'MsgHeartbeat'
  | 'MsgHeartbeatResp'
  | 'MsgSnap'
  | 'MsgReadIndex'
  | 'MsgReadIndexResp';

/**
 * One message between nodes: a single shape for every type, like etcd's raftpb.Message. The
 * meaning of the number fields depends on the type; unused ones are 0 ('' or false or []).
 *
 *   MsgApp      { term 3, index 7, logTerm 2, entries [8, 9], commit 6 }
 *               "I lead term 3; if your entry 7 has term 2, append 8 and 9; 6 is committed"
 *   MsgAppResp  { index 9 }                                  "my log matches yours up to 9"
 *   MsgAppResp  { index 7, reject, rejectHint 5, logTerm 1 } "no entry 7 of term 2 here;
 *                                                             my entry 5 has term 1: try there"
 *   MsgVote     { term 4, index 9, logTerm 3 }               "vote for me in term 4; my log ends at 9, term 3"
 */
export interface Message {
  /** What kind of message it is. */
  type: MessageType;
  /** The sender. */
  from: NodeId;
  /** The receiver. */
  to: NodeId;
  /** The sender's term; 0 for local messages and for forwarded MsgProp and MsgReadIndex, which carry none. */
  term: number;
  /** MsgApp: the term of the entry at `index`. MsgVote: of the candidate's last entry. Rejecting MsgAppResp: of the entry at `rejectHint`. */
  logTerm: number;
  /** MsgApp: the index just before the entries. MsgVote: the candidate's last index. MsgAppResp: the last index that matches (or, rejecting, the MsgApp's index). MsgReadIndexResp: the read index. */
  index: number;
  /** MsgApp: the entries to append. MsgProp: the proposed entries (only `data` counts). */
  entries: Entry[];
  /** MsgApp and MsgHeartbeat: the leader's commit index (for a heartbeat, no more than the follower is known to hold). */
  commit: number;
  /** Responses: true when the request is refused (a vote not granted, an append that does not match). */
  reject: boolean;
  /** Rejecting MsgAppResp: the follower's guess of the last index where its log could match the leader's. */
  rejectHint: number;
  /** MsgSnap: the snapshot to install. */
  snapshot?: Snapshot;
  /** MsgHeartbeat and its response: which read requests the round confirms. MsgReadIndex and its response: the caller's request context. */
  context: string;
}

/** Builds a message, every field not given set to its zero value. */
export function message(fields: Partial<Message> & { type: MessageType }): Message {
  const m: Message = {
    type: fields.type,
    from: fields.from ?? '',
    to: fields.to ?? '',
    term: fields.term ?? 0,
    logTerm: fields.logTerm ?? 0,
    index: fields.index ?? 0,
    entries: fields.entries ?? [],
    commit: fields.commit ?? 0,
    reject: fields.reject ?? false,
    rejectHint: fields.rejectHint ?? 0,
    context: fields.context ?? '',
  };
  if (fields.snapshot !== undefined) m.snapshot = fields.snapshot;
  return m;
}

/**
 * The answer to readIndex(ctx): a read with context `requestCtx` sees every write committed
 * before it was asked once the application has applied up to `index`. So: wait until
 * applied >= index, then read the local state machine.
 */
export interface ReadState {
  /** The commit index the leader confirmed it still led at. */
  index: number;
  /** The context given to readIndex, so the caller can match answer and question. */
  requestCtx: string;
}

/** Volatile facts worth showing but never persisted. */
export interface SoftState {
  /** Whom this node believes leads, or null. */
  lead: NodeId | null;
  /** What this node is. */
  role: Role;
}

/**
 * Everything a node wants done, handed out by ready(). Carry it out in this order, then call
 * advance():
 *
 *   1. persist: if `snapshot`, store it and drop every stored entry (the log now starts right
 *      after it); then store `entries`, first dropping any stored entry at or after
 *      entries[0].index (a new leader may overwrite an uncommitted tail); then `hardState`;
 *   2. send `messages` — only now: a vote or an acknowledgement must never leave before what
 *      it promises is on disk;
 *   3. apply: if `snapshot`, load the state machine from its data; then apply
 *      `committedEntries` in order; serve each of `readStates` once applied >= its index.
 *
 * Fields that have nothing to say are absent (softState, hardState, snapshot) or empty.
 */
export interface Ready {
  /** Present when the leader or this node's role changed. */
  softState?: SoftState;
  /** Present when term, vote or commit changed: persist it. */
  hardState?: HardState;
  /** Entries to persist, not yet on disk (only new ones: each entry is handed out once, unless a new leader overwrites it). */
  entries: Entry[];
  /** A snapshot received from the leader: persist it, then load the state machine from it. */
  snapshot?: Snapshot;
  /** Entries now committed and not yet handed out, in index order: apply them. */
  committedEntries: Entry[];
  /** Messages to send, after persisting. */
  messages: Message[];
  /** Answers to readIndex calls (this node's, or forwarded ones answered by the leader). */
  readStates: ReadState[];
}

/** What a node wrote to disk through its Readys: enough to start it again after a crash. */
export interface PersistedState {
  /** The last hardState persisted. */
  hardState: HardState;
  /** The stored entries after the snapshot, in index order. */
  entries: Entry[];
  /** The last snapshot persisted (received in a Ready, or returned by compact()), or null. */
  snapshot: Snapshot | null;
}

/** etcd's default: an election timeout of 10 ticks (randomized in [10, 20)). */
export const DEFAULT_ELECTION_TICK = 10;

/** etcd's default: a leader sends heartbeats on every tick. */
export const DEFAULT_HEARTBEAT_TICK = 1;

/** How to start a node. */
export interface Config {
  /** This node's name. */
  id: NodeId;
  /** Every voting member, this node included. */
  peers: NodeId[];
  /** Ticks without hearing from a leader before a follower campaigns; each timeout is drawn in [electionTick, 2 * electionTick). Default 10. */
  electionTick?: number;
  /** Ticks between a leader's heartbeats; must be less than electionTick. Default 1. */
  heartbeatTick?: number;
  /** Poll for votes without raising the term first, so a node that was cut off cannot disrupt the cluster when it returns (thesis §9.6). */
  preVote?: boolean;
  /** A leader that has not heard from a majority within an election timeout steps down; a follower that has heard from its leader within one ignores vote requests. */
  checkQuorum?: boolean;
  /** Seeds the randomized election timeouts: the node's only source of randomness, chosen by the caller (the simulation derives it from its own seed). */
  seed: number;
  /** What the node persisted before it stopped; absent for a brand-new node. */
  restored?: PersistedState;
}

/** A snapshot of a node's state, for tests, diagrams and the kernel. */
export interface Status {
  /** This node's name. */
  id: NodeId;
  /** Its current term. */
  term: number;
  /** Whom it voted for in this term, or null. */
  vote: NodeId | null;
  /** What it is. */
  role: Role;
  /** Whom it believes leads, or null. */
  lead: NodeId | null;
  /** The highest index it knows to be committed. */
  commit: number;
  /** The highest index the application has applied (as confirmed by advance()). */
  applied: number;
  /** The index of its last log entry. */
  lastIndex: number;
  /** The index its log was last compacted at (its snapshot's index), 0 if never. */
  snapshotIndex: number;
}

/** One Raft node: the state machine described at the top of this file. */
export interface RaftNode {
  /** Lets one tick of time pass: a follower may time out and campaign, a leader may send heartbeats. */
  tick(): void;
  /** Hands the node a message from another node (or a local one: MsgHup to campaign now). */
  step(m: Message): void;
  /** Asks to append `data` to the log. False when dropped: no leader is known, or this node is campaigning. A follower forwards it to the leader, so true means "on its way", not "committed". */
  propose(data: string): boolean;
  /** Asks for a linearizable read tagged `requestCtx`; the answer comes back as a ReadState. False when dropped (no leader known). */
  readIndex(requestCtx: string): boolean;
  /** Whether ready() has anything to hand out. */
  hasReady(): boolean;
  /** Hands out everything pending (see Ready) and marks it handed out. */
  ready(): Ready;
  /** Confirms that the last Ready was carried out: persisted, sent and applied. Call it before stepping the node again. */
  advance(): void;
  /** Where the node stands. */
  status(): Status;
  /**
   * Takes a snapshot: the application says its state as of `index` (at most its applied index)
   * is `data`, and the log up to `index` can go. Returns the snapshot to persist (drop stored
   * entries up to its index), or null if the log is already compacted that far.
   */
  compact(index: number, data: string): Snapshot | null;
}

/** What the raft slot exports: solutions/raft/raft.ts and exercises/raft/raft.ts both export `newRaft`. */
export type NewRaft = (config: Config) => RaftNode;
