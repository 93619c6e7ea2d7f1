/**
 * Exercises `raft-election`, `raft-replication`, `raft-persistence`, `raft-snapshots` — Raft,
 * in four parts.                                                                (chapter 02)
 *
 * Raft keeps a log identical on every node of a cluster, so that each node, applying the log in
 * order, computes the same state — etcd, under every Kubernetes cluster, is such a log. You
 * write it as a pure state machine in the shape of etcd's raft library: the node never sends,
 * stores or applies anything itself. It appends messages to `msgs` and moves marks in its log,
 * and ready() (given) hands everything out to the caller, who persists, sends, applies and calls
 * advance(). So each handler is a plain function of (state, message) => (new state, messages
 * out). The contract — Message, Ready, Config, RaftNode — is in lab-kernel/raft/types.ts:
 * read it first. The paper: "In Search of an Understandable Consensus Algorithm" (sections
 * cited as §).
 *
 * The four parts, in order — each builds on the ones before:
 *   raft-election     TODO(election 1-8)     terms, votes, randomized timeouts, heartbeats (§5.1, §5.2, §5.4.1)
 *   raft-replication  TODO(replication 1-9)  appending, consistency check, backtracking, commit,
 *                                            linearizable reads (§5.3, §5.4.2, §8)
 *   raft-persistence  TODO(persistence 1-3)  starting again from what was persisted (§5.2, Figure 2)
 *   raft-snapshots    TODO(snapshots 1-5)    compaction and InstallSnapshot (§7)
 * The TODOs are in this file and in log.ts; work through each part's in number order.
 * Everything not marked TODO is given: the dispatch in step(), the Ready bookkeeping, role
 * changes (becomeFollower, reset), sending entries (appendEntry, sendAppend), and the
 * follower tracking and read bookkeeping in lab-kernel/raft/progress.ts and read-only.ts.
 * Grade a part with
 *   npm run grade -- raft-election      (then raft-replication, raft-persistence, raft-snapshots)
 * and ask for hints with --hint. A node that wins an election already passes through three
 * part-2 steps (maybeCommit, handleAppendEntries, handleHeartbeatResponse); until you write
 * them they are inert placeholders, so part 1 can be graded on its own.
 */
import {
  DEFAULT_ELECTION_TICK,
  DEFAULT_HEARTBEAT_TICK,
  message,
  type Config,
  type HardState,
  type Message,
  type MessageType,
  type NodeId,
  type PersistedState,
  type RaftNode,
  type ReadState,
  type Ready,
  type Role,
  type Snapshot,
  type SoftState,
  type Status,
} from '../../lab-kernel/raft/types';
import { notImplemented } from '../../lab-kernel/sim/not-implemented';
import { Rng } from '../../lab-kernel/sim/rng';
import { RaftLog } from './log';
import { Progress } from '../../lab-kernel/raft/progress';
import { ReadOnly } from '../../lab-kernel/raft/read-only';

/** The slot's entry point: a new node, restarted from `config.restored` if given. */
export function newRaft(config: Config): RaftNode {
  return new Raft(config);
}

/** A pre-election only polls (pre-vote); an election raises the term and asks for real votes. */
type CampaignKind = 'pre-election' | 'election';

/** Where a vote count stands. */
type VoteResult = 'won' | 'lost' | 'pending';

/** What a message to send needs; the rest defaults to zero values (see send()). */
type Outgoing = Partial<Message> & { type: MessageType; to: NodeId };

export class Raft implements RaftNode {
  private readonly id: NodeId;
  /** Every voter, this node included, sorted so that messages go out in the same order on every run. */
  private readonly voters: NodeId[];
  private readonly electionTimeout: number;
  private readonly heartbeatTimeout: number;
  private readonly preVote: boolean;
  private readonly checkQuorum: boolean;
  private readonly rng: Rng;

  // Persistent state (Figure 2): it reaches the disk through Ready.hardState and Ready.entries.
  private term = 0;
  private vote: NodeId | null = null;
  private readonly log = new RaftLog();

  // Volatile state.
  private role: Role = 'follower';
  private lead: NodeId | null = null;
  /** Ticks since the last election timeout, or (follower) since the leader was last heard from. */
  private electionElapsed = 0;
  /** Leader: ticks since the last heartbeat round. */
  private heartbeatElapsed = 0;
  /** This round's election timeout, drawn in [electionTimeout, 2 * electionTimeout). */
  private randomizedElectionTimeout = 0;
  /** Candidate: the votes received in this election (true = granted). */
  private readonly votes = new Map<NodeId, boolean>();
  /** Leader: each voter's progress, this node's own included. */
  private readonly progress = new Map<NodeId, Progress>();
  /** Leader: reads waiting for a heartbeat round to confirm the leadership. */
  private readOnly = new ReadOnly();
  /** Leader: reads asked before it committed an entry of its own term (they wait for one). */
  private pendingReads: Message[] = [];

  // Output, handed out by ready().
  private msgs: Message[] = [];
  private readStates: ReadState[] = [];
  private prevHardState: HardState;
  private prevSoftState: SoftState;

  constructor(config: Config) {
    const electionTick = config.electionTick ?? DEFAULT_ELECTION_TICK;
    const heartbeatTick = config.heartbeatTick ?? DEFAULT_HEARTBEAT_TICK;
    if (!config.peers.includes(config.id)) throw new Error(`raft: ${config.id} must be one of its peers (${config.peers.join(', ')})`);
    if (new Set(config.peers).size !== config.peers.length) throw new Error(`raft: peers must be distinct (${config.peers.join(', ')})`);
    if (!(heartbeatTick > 0 && electionTick > heartbeatTick)) throw new Error(`raft: need 0 < heartbeatTick (${heartbeatTick}) < electionTick (${electionTick})`);
    this.id = config.id;
    this.voters = [...config.peers].sort();
    this.electionTimeout = electionTick;
    this.heartbeatTimeout = heartbeatTick;
    this.preVote = config.preVote ?? false;
    this.checkQuorum = config.checkQuorum ?? false;
    this.rng = new Rng(config.seed);
    if (config.restored !== undefined) this.loadPersisted(config.restored);
    // Every node starts as a follower (§5.2), in the term it had reached.
    this.becomeFollower(this.term, null);
    this.prevHardState = this.hardState();
    this.prevSoftState = this.softState();
  }

  // ---------------------------------------------------------------------------------------
  // The node's interface (RaftNode)
  // ---------------------------------------------------------------------------------------

  tick(): void {
    if (this.role === 'leader') this.tickHeartbeat();
    else this.tickElection();
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

  /**
   * TODO(snapshots 2)
   * Part 4 — log compaction (§7). The application has applied up to at least `index` and hands
   * its state as of `index`: that becomes the snapshot, and the log up to `index` goes.
   * Compacting where the log is already compacted does nothing; compacting past what was
   * applied is a mistake of the caller (the snapshot would claim entries it never saw).
   *
   *   applied 8, snapshot at 0:  compact(6, 's6')  => { metadata: { index: 6, term: 2, voters }, data: 's6' }
   *                              compact(6, 's6')  => null (already compacted there)
   *                              compact(9, 's9')  => throws RangeError (only 8 applied)
   */
  compact(index: number, data: string): Snapshot | null {
    throw notImplemented('raft-snapshots');
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
    if (m.term !== 0 && !this.handleTerm(m)) return false;
    switch (m.type) {
      case 'MsgHup':
        this.hup();
        return true;
      case 'MsgVote':
      case 'MsgPreVote':
        this.handleVote(m);
        return true;
      case 'MsgProp':
        return this.handleProposal(m);
      case 'MsgReadIndex':
        return this.handleReadIndex(m);
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
      this.handleAppendResponse(m, pr);
    } else if (m.type === 'MsgHeartbeatResp') {
      pr.recentActive = true;
      this.handleHeartbeatResponse(m, pr);
    }
  }

  /** A candidate hearing from a leader of its own term lost the election (§5.2): it follows. */
  private stepCandidate(m: Message): void {
    switch (m.type) {
      case 'MsgApp':
        this.becomeFollower(m.term, m.from);
        this.handleAppendEntries(m);
        break;
      case 'MsgHeartbeat':
        this.becomeFollower(m.term, m.from);
        this.handleHeartbeat(m);
        break;
      case 'MsgSnap':
        this.becomeFollower(m.term, m.from);
        this.handleSnapshot(m);
        break;
      case 'MsgVoteResp':
      case 'MsgPreVoteResp':
        this.handleVoteResponse(m);
        break;
    }
  }

  /** Anything from the leader resets the follower's election timer: the leader is alive. */
  private stepFollower(m: Message): void {
    switch (m.type) {
      case 'MsgApp':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleAppendEntries(m);
        break;
      case 'MsgHeartbeat':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleHeartbeat(m);
        break;
      case 'MsgSnap':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleSnapshot(m);
        break;
      case 'MsgReadIndexResp':
        this.readStates.push({ index: m.index, requestCtx: m.context });
        break;
    }
  }

  /**
   * Queues a message for the next Ready. It carries this node's current term, except votes
   * and vote responses (which name the term they are about) and proposals and reads being
   * forwarded (which carry none: they are not part of the term protocol).
   */
  private send(fields: Outgoing): void {
    const m = message({ from: this.id, ...fields });
    const carriesOwnTerm = m.type === 'MsgVote' || m.type === 'MsgVoteResp' || m.type === 'MsgPreVote' || m.type === 'MsgPreVoteResp';
    const local = m.type === 'MsgProp' || m.type === 'MsgReadIndex';
    if (!carriesOwnTerm && !local) m.term = this.term;
    this.msgs.push(m);
  }

  // ---------------------------------------------------------------------------------------
  // Part 1 — election (§5.1, §5.2, §5.4.1)
  // ---------------------------------------------------------------------------------------

  /**
   * TODO(election 1)
   * The term rules, applied to every message from another node before anything else (§5.1):
   * terms act as a logical clock, and a node that sees a newer term knows it is out of date.
   * Returns whether the message should still be handled.
   *
   * - A newer term: step down to follower in that term (with the sender as leader if it is
   *   one: MsgApp, MsgHeartbeat, MsgSnap). Except: a pre-vote request never changes the
   *   term, nor does a granted pre-vote (it answers with the term the pre-candidate will
   *   campaign in); and with checkQuorum, a node that heard from its leader less than an
   *   election timeout ago ignores vote requests altogether (the leader is alive: no need
   *   for a new one).
   * - An older term: drop the message. Two answers help the sender, though: a stale leader
   *   (when checkQuorum or preVote is on, the sender may be stuck in an old term forever,
   *   since higher-term votes no longer reach it) gets an MsgAppResp carrying our term, and
   *   a pre-candidate gets its rejection.
   *
   *   follower at term 3:  MsgApp { from b, term 5 }   => true; now follower at term 5, lead b, vote null
   *                        MsgVote { from c, term 5 }  => true; now follower at term 5, lead null
   *                        MsgPreVote { term 4 }       => true; still term 3 (handleVote decides)
   *                        MsgHeartbeat { term 2 }     => false (with checkQuorum or preVote: MsgAppResp { term 3 } back)
   *   leader at term 3:    MsgAppResp { term 2 }       => false, nothing sent
   *   checkQuorum, follower that heard its leader 2 ticks ago:  MsgVote { term 9 } => false, still term 3
   */
  private handleTerm(m: Message): boolean {
    throw notImplemented('raft-election');
  }

  /**
   * TODO(election 2)
   * A follower or candidate that heard nothing for its (randomized) election timeout campaigns
   * (§5.2): count the tick; at the timeout, start counting again and campaign (hup).
   *
   *   randomizedElectionTimeout 13, electionElapsed 11:  tick => 12, nothing
   *                                                     tick => 0, campaigns: MsgVote to every peer
   */
  private tickElection(): void {
    void [this.electionElapsed, this.randomizedElectionTimeout];
    throw notImplemented('raft-election');
  }

  /**
   * TODO(election 8)
   * A leader sends heartbeats every heartbeatTimeout ticks, so that followers do not time out
   * (§5.2). With checkQuorum, once per election timeout it also checks that a majority
   * answered since the last check — if not, it is probably cut off, and steps down.
   *
   *   heartbeatTimeout 1:  every tick => MsgHeartbeat to each follower
   *   checkQuorum, 5 voters, electionElapsed reaches electionTimeout, only b answered since the
   *   last check (2 of 5 with itself) => follower, lead null; had c answered too => stays, and
   *   marks b and c inactive for the next check
   */
  private tickHeartbeat(): void {
    void [this.heartbeatElapsed, this.heartbeatTimeout, this.checkQuorum];
    throw notImplemented('raft-election');
  }

  /** Starts an election now (MsgHup), with a pre-vote round first if configured. A leader ignores it. */
  private hup(): void {
    if (this.role === 'leader') return;
    this.campaign(this.preVote ? 'pre-election' : 'election');
  }

  /**
   * TODO(election 4)
   * Becomes a (pre-)candidate, votes for itself, and asks every other voter for its vote,
   * saying how far its log goes so the voter can apply the election restriction (§5.2,
   * §5.4.1). A pre-vote asks "would you vote for me in term+1?" without raising the term.
   * A single-node cluster wins at once.
   *
   *   follower 'a' at term 4, log ending (index 9, term 3), peers a b c, campaign('election')
   *   => candidate at term 5, vote 'a';
   *      messages MsgVote { to b, term 5, index 9, logTerm 3 } and the same to c
   */
  private campaign(kind: CampaignKind): void {
    void [this.becomeCandidate, this.becomePreCandidate, this.poll];
    throw notImplemented('raft-election');
  }

  /**
   * TODO(election 5)
   * Records `id`'s vote (only its first vote counts) and tallies: won with a majority of
   * grants, lost once a majority can no longer be reached, pending otherwise.
   *
   *   5 voters, granted by self, b          => 'pending'
   *   5 voters, granted by self, b, c       => 'won'
   *   5 voters, self; rejected by b, c, d   => 'lost'
   */
  private poll(id: NodeId, granted: boolean): VoteResult {
    void this.quorum;
    throw notImplemented('raft-election');
  }

  /**
   * TODO(election 6)
   * A vote or pre-vote request (§5.2, §5.4.1). Grant it if both hold:
   *   - this node may vote for the sender: it already voted for it in this term (a repeated
   *     request), or it has voted for nobody and knows no leader in this term, or it is a
   *     pre-vote for a later term (pre-votes promise nothing);
   *   - the sender's log is at least as up-to-date as ours (the election restriction).
   * A granted vote is recorded (and resets the election timer: someone is about to lead); a
   * pre-vote is not. The answer carries the request's term when granted, ours when not.
   *
   *   follower at term 6, voted for nobody, log ends (9, 5):
   *     MsgVote { from c, term 6, index 9, logTerm 4 }  => MsgVoteResp { to c, term 6, reject: true } (c's log is behind)
   *     MsgVote { from c, term 6, index 9, logTerm 5 }  => MsgVoteResp { to c, term 6 }, vote = c
   *     then MsgVote { from d, term 6, index 20, logTerm 6 } => rejected: already voted for c in term 6
   */
  private handleVote(m: Message): void {
    throw notImplemented('raft-election');
  }

  /**
   * TODO(election 7)
   * A (pre-)candidate counts an answer to its own kind of request (a pre-candidate ignores
   * late answers to real votes, a candidate late pre-vote answers). A won pre-vote starts the
   * real election; a won election makes it leader, which at once tells everyone (bcastAppend);
   * a lost one makes it a follower again.
   *
   *   candidate at term 5 of a b c, voted for itself:
   *     MsgVoteResp { from b, term 5 }                 => leader; MsgApp to b and c
   *     MsgVoteResp { from b, term 5, reject: true },
   *     then the same from c                          => follower at term 5, lead null
   *     MsgPreVoteResp { from b, term 6 }              => ignored (not a pre-candidate)
   */
  private handleVoteResponse(m: Message): void {
    void [this.becomeLeader, this.bcastAppend];
    throw notImplemented('raft-election');
  }

  /**
   * TODO(election 3)
   * A new term, a vote for itself (§5.2).
   *
   *   follower at term 4, vote b  => candidate at term 5, vote itself, lead null, a new random timeout
   */
  private becomeCandidate(): void {
    throw notImplemented('raft-election');
  }

  /**
   * TODO(election 3)
   * Polls without touching term or vote: only the role, the votes and the leader change.
   *
   *   follower at term 4, vote b, lead b  => pre-candidate at term 4, vote b, lead null, no votes yet
   */
  private becomePreCandidate(): void {
    throw notImplemented('raft-election');
  }

  /**
   * TODO(election 7)
   * Leads its term. Every follower's progress starts from the guess "you have what I have"
   * (next = lastIndex + 1; reset() set that up), to be corrected by their answers. And it
   * appends an empty entry of its own term: until an entry of its term is committed, it cannot
   * know which entries are committed (Figure 8), nor serve reads (§8).
   *
   *   candidate at term 5 of a b c, log ending at 9  => leader, lead itself; progress of b and c
   *   next 10, match 0; its own log gains (index 10, term 5, data '')
   */
  private becomeLeader(): void {
    throw notImplemented('raft-election');
  }

  /** Heartbeats to every follower: an empty message that says "I still lead", and how far it may commit. */
  private bcastHeartbeat(context: string): void {
    for (const id of this.voters) {
      if (id !== this.id) this.sendHeartbeat(id, context);
    }
  }

  /**
   * TODO(election 8)
   * A heartbeat carries the commit index, but never beyond what the follower is known to
   * hold (`match`): a follower whose log still diverges must not commit its own entries there.
   *
   *   leader commit 7, b's match 4:  sendHeartbeat(b, '')   => MsgHeartbeat { to b, commit 4 }
   *   leader commit 7, c's match 9:  sendHeartbeat(c, '3')  => MsgHeartbeat { to c, commit 7, context '3' }
   */
  private sendHeartbeat(to: NodeId, context: string): void {
    throw notImplemented('raft-election');
  }

  /**
   * TODO(election 8)
   * A follower takes the commit index from a heartbeat and answers, echoing the context (for reads).
   *
   *   commit 2:  MsgHeartbeat { from a, commit 5, context '3' }  => commit 5, MsgHeartbeatResp { to a, context '3' }
   */
  private handleHeartbeat(m: Message): void {
    throw notImplemented('raft-election');
  }

  // ---------------------------------------------------------------------------------------
  // Part 2 — replication (§5.3, §5.4.2) and linearizable reads (§8)
  // ---------------------------------------------------------------------------------------

  /**
   * TODO(replication 4)
   * A proposal, from the application or forwarded by a follower. The leader appends it to its
   * log and sends it out; a follower that knows a leader forwards it there (as etcd does); a
   * node without a leader, or campaigning, drops it. Returns false when dropped.
   *
   *   leader at term 2, last index 4: MsgProp ['x'] => entry (index 5, term 2, 'x'), MsgApp to each follower, true
   *   follower of 'b':                MsgProp ['x'] => the same MsgProp, to b, true
   *   candidate:                      MsgProp ['x'] => false
   */
  private handleProposal(m: Message): boolean {
    void this.appendEntry;
    throw notImplemented('raft-replication');
  }

  /**
   * The leader appends entries of its term to its own log. Its own progress counts towards
   * the majority like anyone's (alone, it commits at once).
   */
  private appendEntry(data: string[]): void {
    let index = this.log.lastIndex();
    const entries = data.map((d) => ({ term: this.term, index: ++index, data: d }));
    this.pr(this.id).maybeUpdate(this.log.append(entries));
    this.maybeCommit();
  }

  private bcastAppend(): void {
    for (const id of this.voters) {
      if (id !== this.id) this.sendAppend(id);
    }
  }

  /**
   * AppendEntries (Figure 2): the entries from `next` on, with the index and term of the entry
   * just before them, which the follower must hold for the append to fit, and the commit
   * index. If that entry is compacted away, the follower is too far behind for the log: it
   * gets the snapshot instead (Part 4). With `sendIfEmpty` false, nothing is sent unless there
   * are entries. Returns whether something was sent.
   */
  private sendAppend(to: NodeId, sendIfEmpty = true): boolean {
    const pr = this.pr(to);
    if (pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    if (prevTerm === undefined) return this.sendSnapshot(to, pr);
    const entries = this.log.slice(pr.next, this.log.lastIndex() + 1);
    if (entries.length === 0 && !sendIfEmpty) return false;
    this.send({ type: 'MsgApp', to, index: prevIndex, logTerm: prevTerm, entries, commit: this.log.committed });
    pr.sentEntries(entries.length);
    return true;
  }

  /**
   * TODO(replication 5)
   * A follower's side of AppendEntries (§5.3).
   * - The MsgApp starts before our commit index: that part is settled, answer with the
   *   commit index (the leader moves on from there).
   * - Our log holds the entry before the new ones: append (RaftLog.maybeAppend) and answer
   *   with the last index the message covered.
   * - It does not: reject, with a hint for the leader to skip ahead — the largest index at or
   *   before the message's whose term is <= the message's logTerm (findConflictByTerm), and
   *   that entry's term.
   *
   *   follower log terms 1 1 2 2 2 (1..5), commit 1:
   *     MsgApp { index 5, logTerm 2, entries [(6, t3)], commit 6 } => MsgAppResp { index 6 }, commit 6
   *     MsgApp { index 5, logTerm 3 }                             => MsgAppResp { index 5, reject, rejectHint 5, logTerm 2 }
   *     MsgApp { index 7, logTerm 3 }                             => MsgAppResp { index 7, reject, rejectHint 5, logTerm 2 }
   *     MsgApp { index 0, logTerm 0 }                             => MsgAppResp { index 1 } (the commit index)
   */
  private handleAppendEntries(m: Message): void {
    // Until you write this part, a follower ignores AppendEntries: Part 1's elections and
    // heartbeats still work. Replace this line with your code.
    void m;
  }

  /**
   * TODO(replication 7)
   * The leader reads a follower's answer.
   * - Rejected: back up `next`, skipping as much as the hint allows — and, if the hint carries
   *   a term, also every index of ours whose term is above it (findConflictByTerm on our own
   *   log): at most one probe per term instead of one per entry. Then probe again.
   * - Accepted: the logs agree up to m.index. A follower we were probing can now be streamed
   *   to; one we sent a snapshot can be too, once its log reaches ours. Then maybe more
   *   entries are committed — tell everyone — or send this follower what it still lacks.
   *
   *   leader terms 1 3 3 3 5 5 5 5 5 (1..9), follower probed at 9 answers
   *     { index 9, reject, rejectHint 6, logTerm 2 }  => next 2 (index 1 has term 1 <= 2), MsgApp { index 1, logTerm 1, entries 2..9 }
   */
  private handleAppendResponse(m: Message, pr: Progress): void {
    void this.releasePendingReads;
    throw notImplemented('raft-replication');
  }

  /**
   * TODO(replication 6)
   * Commit by majority (§5.3, §5.4.2): the highest index a majority holds is the middle of the
   * matches, sorted high to low. Only commit it if its entry is of the current term — an
   * entry of an older term can be on a majority and still be overwritten (Figure 8) — and
   * committing it commits everything before it.
   *
   *   5 voters, matches 9 9 7 4 2, term 3:  entry 7 of term 3 => commit 7;  of term 2 => nothing
   */
  private maybeCommit(): boolean {
    // Until you write this part, nothing is committed (a new leader's first entry calls this):
    // Part 1's elections still work. Replace this line with your code.
    return false;
  }

  /**
   * TODO(replication 8)
   * A heartbeat answer shows the follower is alive: a probe may go out again, and if it lacks
   * entries (or we are probing it) send them. A snapshot still unanswered by now was probably
   * lost: forget it and probe (which sends it again if still needed). Its echoed context
   * confirms reads (§8).
   *
   *   leader last index 9, b probed (match 4):   MsgHeartbeatResp { from b }  => MsgApp { to b, index 4, entries 5..9 }
   *   b in snapshot state:                       MsgHeartbeatResp { from b }  => probe again (the snapshot is resent)
   *   3 voters, read 1 pending, acked by itself:  MsgHeartbeatResp { from b, context '1' } => the read is answered
   */
  private handleHeartbeatResponse(m: Message, pr: Progress): void {
    // Until you write this part, a leader reads nothing into heartbeat answers: Part 1's
    // elections still work. Replace this line with your code.
    void m;
    void pr;
  }

  /**
   * TODO(replication 9)
   * A linearizable read (§8, ReadIndex). The leader notes its commit index, then confirms with
   * a heartbeat round that it still leads; the answer (a ReadState) carries that index, and the
   * application serves the read once it has applied that far. Two cases first: a single
   * voter is trivially confirmed; and a leader that has not yet committed an entry of its own
   * term does not know the true commit index yet, so the read waits (pendingReads) until it
   * has. A follower forwards the read to its leader; without one, the read is dropped.
   *
   *   leader, commit 7 (of its term), 3 voters: readIndex('r1') => MsgHeartbeat { context '1' } to both;
   *     once one echoes '1' => ReadState { index 7, requestCtx 'r1' }
   *   new leader, nothing of its term committed: readIndex('r2') => waits, no heartbeat yet
   */
  private handleReadIndex(m: Message): boolean {
    void this.answerRead;
    throw notImplemented('raft-replication');
  }

  /** The leader just committed an entry of its term: the reads that waited for it can go. */
  private releasePendingReads(): void {
    if (this.pendingReads.length === 0 || this.log.term(this.log.committed) !== this.term) return;
    for (const m of this.pendingReads) this.readOnly.add(this.log.committed, m.from, m.context);
    this.pendingReads = [];
    this.confirmReads();
  }

  /** Acknowledges the queued reads itself and asks the followers with a heartbeat round. */
  private confirmReads(): void {
    const context = this.readOnly.context();
    this.readOnly.ack(this.id, context);
    this.bcastHeartbeat(context);
  }

  /** A confirmed read: a ReadState here, or the answer to the follower that forwarded it. */
  private answerRead(from: NodeId, index: number, requestCtx: string): void {
    if (from === this.id) this.readStates.push({ index, requestCtx });
    else this.send({ type: 'MsgReadIndexResp', to: from, index, context: requestCtx });
  }

  // ---------------------------------------------------------------------------------------
  // Part 3 — persistence (§5.2, Figure 2)
  // ---------------------------------------------------------------------------------------

  /**
   * TODO(persistence 1)
   * Starting again after a crash: the log from the snapshot and the stored entries, then the
   * hard state. Nothing else survives — role, leader, progress, votes received all start
   * afresh (the constructor makes the node a follower).
   *
   *   { hardState { term 5, vote b, commit 6 }, entries 1..8, snapshot null }
   *     => term 5, vote b, log 1..8, committed 6; the first Ready hands out entries 1..6 to apply again
   */
  private loadPersisted(state: PersistedState): void {
    void this.loadState;
    throw notImplemented('raft-persistence');
  }

  /**
   * TODO(persistence 3)
   * The term and the vote come back as they were: forgetting the vote could let the node vote
   * twice in one term, forgetting the term could let it accept an old leader. The commit index
   * too (etcd persists it), so the node re-applies what it had applied — never less than the
   * snapshot, which is committed by definition, and never more than the log holds.
   *
   *   log 1..8, { term 5, vote 'b', commit 6 } => term 5, vote b, committed 6 (7 and 8 wait for a leader)
   *   log 1..8, { term 5, vote 'b', commit 9 } => throws: the disk is inconsistent
   */
  private loadState(hs: HardState): void {
    throw notImplemented('raft-persistence');
  }

  // ---------------------------------------------------------------------------------------
  // Part 4 — snapshots (§7)
  // ---------------------------------------------------------------------------------------

  /**
   * TODO(snapshots 3)
   * The follower needs entries the leader compacted away: send the snapshot instead, and pause
   * replication to it until it answers. Not to a follower that has not answered anything
   * since this leader took over (it may well be down: a snapshot is big).
   *
   *   snapshot at 50, b (recently active) probed at next 31  => MsgSnap { to b, snapshot }, b paused in snapshot state, true
   *   c never heard from in this term                        => nothing sent, false
   */
  private sendSnapshot(to: NodeId, pr: Progress): boolean {
    throw notImplemented('raft-snapshots');
  }

  /**
   * TODO(snapshots 5)
   * InstallSnapshot, the follower's side (§7): install it if it brings something new
   * (restore), and answer like an append — with the last index now held, or with the commit
   * index if the snapshot was of no use.
   *
   *   commit 3, log ends at 5:  MsgSnap { from a, snapshot at 50 }  => MsgAppResp { to a, index 50 }
   *   commit 60:                MsgSnap { from a, snapshot at 50 }  => MsgAppResp { to a, index 60 }
   */
  private handleSnapshot(m: Message): void {
    void this.restore;
    throw notImplemented('raft-snapshots');
  }

  /**
   * TODO(snapshots 4)
   * Whether to replace the log by the snapshot. Not if it is at or behind our commit index
   * (we have all it has). Not if our log holds its last entry (same index and term): then
   * the log already has everything it covers — and maybe more that must be kept — so just
   * commit up to it. Otherwise, the whole log goes (RaftLog.restore).
   *
   *   commit 9, snapshot at 7                         => false
   *   commit 3, log holds (7, term 2), snapshot (7, 2) => false, commit 7
   *   commit 3, log ends at 5, snapshot (7, 2)        => true: log empty after 7, commit 7
   */
  private restore(s: Snapshot): boolean {
    throw notImplemented('raft-snapshots');
  }

  // ---------------------------------------------------------------------------------------
  // Plumbing: role changes and small helpers
  // ---------------------------------------------------------------------------------------

  private becomeFollower(term: number, lead: NodeId | null): void {
    this.reset(term);
    this.lead = lead;
    this.role = 'follower';
  }

  /**
   * What every role change starts from. A new term clears the vote (a node votes once per
   * term, §5.2); the timers restart, with a new random election timeout; votes, progress and
   * reads of the old role are forgotten.
   */
  private reset(term: number): void {
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

  private pr(id: NodeId): Progress {
    return this.progress.get(id)!;
  }

  /** A majority of the voters: 2 of 3, 3 of 5. */
  private quorum(): number {
    return Math.floor(this.voters.length / 2) + 1;
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
