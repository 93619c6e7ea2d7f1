import { RaftPeer, TICK_MS } from '../raft/raft-peer';
import { DEFAULT_ELECTION_TICK, type Entry, type Message, type NewRaft, type NodeId, type ReadState } from '../raft/types';
import type { MachineContext } from '../sim/machines';
import type { Network } from '../sim/network';
import type { Simulation } from '../sim/simulation';
import { MvccStore, type Compare, type LeaseGrant, type TxnOp } from '../store/mvcc-store';
import type { VersionAt } from '../store/version-at-contract';
import { ERR_NO_LEADER, ERR_TIMEOUT, type EtcdReply, type EtcdRequest, type EtcdWatchEvent } from './etcd-api';

/**
 * One etcd member: a Raft peer whose state machine is the MVCC store.
 *
 *   a write (txn)   -> proposed to Raft; once the entry is committed and applied here, the
 *                      member answers with the store's result. Every member applies every
 *                      entry in the same order, so every store holds the same revisions.
 *   a read (range)  -> ReadIndex: the leader confirms it still leads and names the commit
 *                      index; this member answers once it has applied that far. A member cut
 *                      off from the majority cannot confirm, so it never serves a stale read.
 *   a watch         -> served from this member's store, from any revision.
 *
 * No answer within the request timeout (no quorum, a lost leader) is etcd's
 * `etcdserver: request timed out`; a member that knows no leader says `etcdserver: no leader`.
 *
 * The store lives in memory: after a crash the member rebuilds it by applying its log again.
 * Deliberately minimal for now: no log compaction of the replicated store (the Raft
 * exercises snapshot their own test application), no lease replication.
 */

/**
 * How long a member waits for a proposal to commit, or a linearizable read to be confirmed,
 * before answering `etcdserver: request timed out`: etcd's ReqTimeout, 5 s for queueing,
 * computation and disk, plus two election timeouts for a leader election on the way.
 *
 *   requestTimeoutMs(10, 100)   // => 7000 (etcd's defaults: --election-timeout 1000 ms)
 *   requestTimeoutMs(20, 100)   // => 9000
 */
export function requestTimeoutMs(electionTick: number, tickMs: number): number {
  return 5_000 + 2 * electionTick * tickMs;
}

/**
 * What goes through the Raft log: a transaction, or a lease change. Leases are granted with
 * the proposer's clock (`at`), so every member computes the same expiry; only the leader
 * decides that a lease has expired, and proposes its revocation, as etcd's lessor does.
 */
interface Command {
  id: string;
  compares: Compare[];
  success: TxnOp[];
  lease?: { op: 'grant'; ttl: number; at: number } | { op: 'revoke'; leaseId: number };
}

/** How often the leader looks for expired leases (etcd checks every 500 ms). */
const LEASE_CHECK_MS = 500;

interface PendingRead {
  key: string;
  prefix: boolean;
  revision?: number;
  reply: (r: EtcdReply) => void;
  /** Known once the ReadState arrives: serve when applied reaches it. */
  index?: number;
}

export interface MemberOptions {
  sim: Simulation;
  net: Network;
  newRaft: NewRaft;
  members: NodeId[];
  /** The running member with that name, if any (for Raft messages). */
  route(member: NodeId): EtcdMember | undefined;
  /** The store's version lookup (the mvcc-read exercise slot), if not its own. */
  versionAt?: VersionAt;
  /** The election timeout in ticks (default 10, etcd's 1000 ms at 100 ms a tick). */
  electionTick?: number;
  /** Raft's pre-vote and check-quorum (etcd 3.5 runs with both; the lab's members do not yet by default). */
  raft?: EtcdRaftOptions;
}

/** The Raft options etcd passes its members' Raft (server/etcdserver/raft.go): etcd 3.5 sets both. */
export interface EtcdRaftOptions {
  preVote?: boolean;
  checkQuorum?: boolean;
}

export class EtcdMember {
  readonly name: string;
  readonly store: MvccStore;
  readonly raft: RaftPeer;
  private applied = 0;
  private seq = 0;
  private readonly pendingWrites = new Map<string, (r: EtcdReply) => void>();
  private readonly pendingReads = new Map<string, PendingRead>();
  private readonly watches = new Map<string, () => void>();
  /** Leases whose revocation this member proposed and has not seen applied yet. */
  private readonly revoking = new Set<number>();

  private readonly sim: Simulation;
  private readonly requestTimeoutMs: number;

  constructor(
    private readonly machine: MachineContext,
    options: MemberOptions,
  ) {
    this.name = machine.name;
    this.sim = options.sim;
    const electionTick = options.electionTick ?? DEFAULT_ELECTION_TICK;
    this.requestTimeoutMs = requestTimeoutMs(electionTick, TICK_MS);
    this.store = new MvccStore(options.versionAt ? { versionAt: options.versionAt } : {});
    this.raft = new RaftPeer(machine, {
      sim: options.sim,
      net: options.net,
      newRaft: options.newRaft,
      peers: options.members,
      config: { electionTick, ...options.raft },
      route: (to) => {
        const member = options.route(to);
        return member && ((m: Message) => member.raft.receive(m));
      },
      callbacks: {
        apply: (entry) => this.apply(entry),
        restore: () => {
          throw new Error(`${this.name}: snapshots of the replicated store are not supported yet`);
        },
        readState: (rs) => this.readReady(rs),
      },
    });
    this.machine.after(LEASE_CHECK_MS, () => this.checkLeases());
  }

  /** A client request arriving over the network; `reply` sends the answer back. */
  handle(req: EtcdRequest, reply: (r: EtcdReply) => void, sendEvent: (e: EtcdWatchEvent) => void): void {
    switch (req.kind) {
      case 'txn':
        return this.propose({ id: `${this.name}/w${++this.seq}`, compares: req.compares, success: req.success }, reply);
      case 'lease-grant':
        return this.propose({ id: `${this.name}/l${++this.seq}`, compares: [], success: [], lease: { op: 'grant', ttl: req.ttl, at: this.sim.now() } }, reply);
      case 'range': {
        if (req.serializable) return reply(this.rangeNow(req));
        const ctx = `${this.name}/r${++this.seq}`;
        this.pendingReads.set(ctx, { key: req.key, prefix: req.prefix, revision: req.revision, reply });
        if (!this.raft.readIndex(ctx)) {
          this.pendingReads.delete(ctx);
          return reply({ kind: 'error', message: ERR_NO_LEADER });
        }
        this.machine.after(this.requestTimeoutMs, () => {
          const read = this.pendingReads.get(ctx);
          if (read && this.pendingReads.delete(ctx)) read.reply({ kind: 'error', message: ERR_TIMEOUT });
        });
        return;
      }
      case 'watch': {
        let seq = 0;
        try {
          const stop = this.store.watch(req.key, { prefix: req.prefix, fromRevision: req.fromRevision }, (events, revision) =>
            sendEvent({ kind: 'events', watchId: req.watchId, seq: ++seq, revision, events }),
          );
          this.watches.set(req.watchId, stop);
        } catch (err) {
          sendEvent({ kind: 'watch-error', watchId: req.watchId, message: (err as Error).message });
        }
        return;
      }
      case 'cancel-watch':
        this.watches.get(req.watchId)?.();
        this.watches.delete(req.watchId);
        return;
    }
  }

  private propose(command: Command, reply: (r: EtcdReply) => void): void {
    if (!this.raft.propose(JSON.stringify(command))) return reply({ kind: 'error', message: ERR_NO_LEADER });
    this.pendingWrites.set(command.id, reply);
    this.machine.after(this.requestTimeoutMs, () => this.pendingWrites.delete(command.id) && reply({ kind: 'error', message: ERR_TIMEOUT }));
  }

  /** The leader proposes revoking each lease whose time is up (once; a lost proposal is retried on the next check). */
  private checkLeases(): void {
    if (this.raft.status().role === 'leader') {
      for (const leaseId of this.store.expiredLeases(this.sim.now())) {
        if (this.revoking.has(leaseId)) continue;
        this.revoking.add(leaseId);
        this.raft.propose(JSON.stringify({ id: `${this.name}/x${++this.seq}`, compares: [], success: [], lease: { op: 'revoke', leaseId } } satisfies Command));
      }
    }
    this.machine.after(LEASE_CHECK_MS, () => this.checkLeases());
  }

  /** How far this member's store has applied the log. */
  appliedIndex(): number {
    return this.applied;
  }

  private apply(entry: Entry): void {
    this.applied = entry.index;
    if (entry.data !== '') {
      const command = JSON.parse(entry.data) as Command;
      const result = command.lease === undefined ? this.store.txn(command.compares, command.success) : this.applyLease(command.lease);
      const reply = this.pendingWrites.get(command.id);
      if (reply !== undefined && result !== undefined) {
        this.pendingWrites.delete(command.id);
        reply({ kind: 'ok', result });
      }
    }
    for (const [ctx, read] of this.pendingReads) if (read.index !== undefined && read.index <= this.applied) this.serve(ctx, read);
  }

  /** A grant answers with the lease; a revoke deletes the lease's keys in one revision and answers nothing. */
  private applyLease(change: NonNullable<Command['lease']>): LeaseGrant | undefined {
    if (change.op === 'grant') return this.store.leaseGrant(change.ttl, change.at);
    this.revoking.delete(change.leaseId);
    // Already revoked (a second proposal from a former leader): nothing to do.
    if (this.store.leases().includes(change.leaseId)) this.store.leaseRevoke(change.leaseId);
    return undefined;
  }

  private readReady(rs: ReadState): void {
    const read = this.pendingReads.get(rs.requestCtx);
    if (read === undefined) return; // timed out meanwhile, or another member's
    read.index = rs.index;
    if (rs.index <= this.applied) this.serve(rs.requestCtx, read);
  }

  private serve(ctx: string, read: PendingRead): void {
    this.pendingReads.delete(ctx);
    read.reply(this.rangeNow(read));
  }

  /** Reads the local store; a compacted or future revision answers etcd's error. */
  private rangeNow(read: { key: string; prefix: boolean; revision?: number }): EtcdReply {
    try {
      return { kind: 'ok', result: this.store.range(read.key, { prefix: read.prefix, revision: read.revision }) };
    } catch (err) {
      return { kind: 'error', message: (err as Error).message };
    }
  }
}
