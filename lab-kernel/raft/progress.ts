/**
 * What a leader knows about one follower's log, and how eagerly it sends to it (etcd's
 * tracker.Progress, without the in-flight limits).
 *
 * `match` is the last index known to be the same on both logs; `next` is the first index to
 * send. A follower is in one of three states:
 *
 *   probe      the leader does not know where the logs agree: it sends one MsgApp at a
 *              time and waits for the answer (or the next heartbeat response) before the next;
 *   replicate  the logs agree up to `match`: the leader streams every new entry at once and
 *              moves `next` past it without waiting (optimistic pipelining);
 *   snapshot   the entries the follower needs are compacted away: a snapshot is on its way,
 *              nothing else is sent until the follower answers.
 *
 *   new Progress(11)                 => probe, match 0, next 11 (a new leader's guess: "you have what I have")
 *   .maybeUpdate(9)                  => true: match 9, next 11
 *   .maybeDecrTo(10, 4)  (probing)   => true: next 5 — the follower rejected 10, hinted at 4
 */
export type ProgressState = 'probe' | 'replicate' | 'snapshot';

export class Progress {
  match = 0;
  next: number;
  state: ProgressState = 'probe';
  /** In probe: an MsgApp is out and unanswered, so send no other until an answer or a heartbeat response. */
  probeSent = false;
  /** In snapshot: the index of the snapshot sent. */
  pendingSnapshot = 0;
  /** Heard from since the last quorum check (checkQuorum). */
  recentActive = false;

  constructor(next: number) {
    this.next = next;
  }

  /** Whether the leader must hold back MsgApp for now. */
  isPaused(): boolean {
    if (this.state === 'probe') return this.probeSent;
    return this.state === 'snapshot';
  }

  /** The logs agree up to `index` (from an MsgAppResp). False if that was known already: a stale answer. */
  maybeUpdate(index: number): boolean {
    if (index <= this.match) return false;
    this.match = index;
    this.next = Math.max(this.next, index + 1);
    return true;
  }

  /**
   * The follower rejected an MsgApp whose previous index was `rejected`, and thinks the logs
   * may agree up to `hint`. Returns false for a stale rejection (one about an index already
   * acknowledged, or not the probe in flight), else lowers `next` and allows the next probe.
   */
  maybeDecrTo(rejected: number, hint: number): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, hint + 1), this.match + 1);
    this.probeSent = false;
    return true;
  }

  /** Records an MsgApp just sent with `count` entries. */
  sentEntries(count: number): void {
    if (this.state === 'replicate') this.next += count;
    else this.probeSent = true;
  }

  /**
   * Back to one-at-a-time probing, from just after what is known to match — or, leaving the
   * snapshot state, after the snapshot sent (clear pendingSnapshot first if it was lost).
   */
  becomeProbe(): void {
    this.next = this.state === 'snapshot' ? Math.max(this.match + 1, this.pendingSnapshot + 1) : this.match + 1;
    this.reset('probe');
  }

  /** The logs agree: stream from just after `match`. */
  becomeReplicate(): void {
    this.next = this.match + 1;
    this.reset('replicate');
  }

  /** A snapshot at `index` is on its way. */
  becomeSnapshot(index: number): void {
    this.reset('snapshot');
    this.pendingSnapshot = index;
  }

  private reset(state: ProgressState): void {
    this.state = state;
    this.probeSent = false;
    this.pendingSnapshot = 0;
  }
}
