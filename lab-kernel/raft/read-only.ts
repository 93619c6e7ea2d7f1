import type { NodeId } from './types';

/**
 * The leader's queue of read requests waiting for proof that it still leads (etcd's
 * read_only.go, "ReadOnlySafe").
 *
 * A leader cannot answer a read from its own state right away: a newer leader may have been
 * elected behind its back and committed writes it has never seen. So for each read it notes
 * its commit index, then asks a majority "am I still your leader?" with a heartbeat round. Each
 * request gets a sequence number, and heartbeats carry the newest one as their context; a
 * follower echoes the context back. Once a majority (the leader included) has echoed a number
 * >= n, every request up to n is confirmed: at the moment it was asked, no other leader
 * existed, so its noted commit index covers every write that came before it.
 *
 *   add(5, 'b', 'r1')        => 1      the first request; heartbeats now carry context '1'
 *   add(5, 'a', 'r2')        => 2      context '2' (it covers request 1 too)
 *   ack('a', '2'); ack('c', '2')       with 3 voters a majority has 2:
 *   confirmed([a, b, c])     => both requests, oldest first
 */
export interface ReadRequest {
  /** The leader's commit index when the read was asked. */
  index: number;
  /** Who asked: the leader itself, or the follower that forwarded it. */
  from: NodeId;
  /** The caller's context, handed back in the answer. */
  requestCtx: string;
  /** Its sequence number. */
  seq: number;
}

export class ReadOnly {
  private pending: ReadRequest[] = [];
  private lastSeq = 0;
  /** The highest sequence number each node has echoed. */
  private acks = new Map<NodeId, number>();

  /** Queues a read; returns its sequence number. */
  add(index: number, from: NodeId, requestCtx: string): number {
    this.lastSeq++;
    this.pending.push({ index, from, requestCtx, seq: this.lastSeq });
    return this.lastSeq;
  }

  /** The context for the next heartbeat: the newest unconfirmed request, '' if none. */
  context(): string {
    return this.pending.length === 0 ? '' : String(this.lastSeq);
  }

  /** `from` echoed a heartbeat context. */
  ack(from: NodeId, context: string): void {
    const seq = Number(context);
    if (seq > (this.acks.get(from) ?? 0)) this.acks.set(from, seq);
  }

  /** Removes and returns the requests a majority of `voters` has confirmed, oldest first. */
  confirmed(voters: readonly NodeId[]): ReadRequest[] {
    const echoed = voters.map((id) => this.acks.get(id) ?? 0).sort((x, y) => y - x);
    const quorumSeq = echoed[Math.floor(voters.length / 2)];
    let n = 0;
    while (n < this.pending.length && this.pending[n].seq <= quorumSeq) n++;
    return this.pending.splice(0, n);
  }
}
