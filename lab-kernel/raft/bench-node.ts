import { message, type Config, type Entry, type Message, type MessageType, type NewRaft, type NodeId, type RaftNode, type Ready, type ReadState, type Status } from './types';

/**
 * One Raft node on the bench: no simulation, no network, no disk — a test steps messages in,
 * ticks it, and reads what it would do. The harness of the paper tests (in the style of etcd's
 * raft_paper_test.go), where each test checks one sentence of the paper on one node.
 *
 *   const n = new BenchNode(newRaft, { id: 'a', peers: ['a', 'b', 'c'], seed: 1 });
 *   n.tick(20);                          // no leader heard from for two election timeouts
 *   n.take().messages                    // => MsgVote to b and to c, term 1
 *   n.step('MsgVoteResp', 'b', { term: 1 });
 *   n.status().role                      // => 'leader'
 *
 * take() carries out every pending Ready the way a real peer would (everything counts as
 * persisted, sent and applied, then advance()), and says what they held.
 */
export interface Taken {
  /** Every Ready, in order (to check what travels together, e.g. a vote and the hard state that records it). */
  readies: Ready[];
  /** All their messages, in order. */
  messages: Message[];
  /** All entries handed out to persist. */
  entries: Entry[];
  /** All entries handed out to apply. */
  committedEntries: Entry[];
  /** All answers to reads. */
  readStates: ReadState[];
}

export class BenchNode {
  readonly id: NodeId;
  readonly node: RaftNode;

  constructor(newRaft: NewRaft, config: Config) {
    this.id = config.id;
    this.node = newRaft(config);
  }

  /**
   * Makes this node a follower of `leader` in `term`, its log holding entries of the given
   * terms from index 1 (data 'e1', 'e2', ...), and clears what that produced.
   *
   *   bench().followWithLog('b', [1, 1, 2])   // => follower of b in term 2, log terms 1 1 2
   */
  followWithLog(leader: NodeId, terms: number[], term = Math.max(1, ...terms)): this {
    this.step('MsgApp', leader, { term, entries: terms.map((t, i) => ({ term: t, index: i + 1, data: `e${i + 1}` })) });
    this.take();
    return this;
  }

  /** Lets `ticks` ticks pass. */
  tick(ticks = 1): void {
    for (let i = 0; i < ticks; i++) this.node.tick();
  }

  /** Steps a message of `type` from `from` to this node; fields not given are zero. */
  step(type: MessageType, from: NodeId, fields: Partial<Message> = {}): void {
    this.node.step(message({ type, from, to: this.id, ...fields }));
  }

  /** Asks to campaign now (MsgHup), as an election timeout would. */
  campaign(): void {
    this.step('MsgHup', this.id);
  }

  propose(data: string): boolean {
    return this.node.propose(data);
  }

  readIndex(requestCtx: string): boolean {
    return this.node.readIndex(requestCtx);
  }

  status(): Status {
    return this.node.status();
  }

  /** Carries out every pending Ready and returns what they held. */
  take(): Taken {
    const taken: Taken = { readies: [], messages: [], entries: [], committedEntries: [], readStates: [] };
    while (this.node.hasReady()) {
      const rd = this.node.ready();
      taken.readies.push(rd);
      taken.messages.push(...rd.messages);
      taken.entries.push(...rd.entries);
      taken.committedEntries.push(...rd.committedEntries);
      taken.readStates.push(...rd.readStates);
      this.node.advance();
    }
    return taken;
  }

  /** Ticks until the node has something to send (returns the ticks it took), at most `max`. */
  ticksUntilMessages(max = 100): number {
    for (let t = 1; t <= max; t++) {
      this.node.tick();
      if (this.take().messages.length > 0) return t;
    }
    throw new Error(`${this.id} sent nothing in ${max} ticks`);
  }
}

/**
 * A message as a short line for comparisons: 'MsgApp a->b t2 i1/2 [2@2] c1', with only the
 * fields that say something: index (and /logTerm), entries as index@term, commit, reject and hint.
 */
export function brief(m: Message): string {
  const parts = [`${m.type} ${m.from}->${m.to} t${m.term}`];
  if (m.index !== 0 || m.logTerm !== 0) parts.push(m.logTerm === 0 ? `i${m.index}` : `i${m.index}/${m.logTerm}`);
  if (m.entries.length > 0) parts.push(`[${m.entries.map((e) => `${e.index}@${e.term}`).join(' ')}]`);
  if (m.commit !== 0) parts.push(`c${m.commit}`);
  if (m.reject) parts.push(`reject hint ${m.rejectHint}`);
  return parts.join(' ');
}
