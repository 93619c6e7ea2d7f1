import { StorageError, type Done, type Storage } from './storage';
import type { Network } from '../sim/network';
import type { Simulation } from '../sim/simulation';
import type { Compare, LeaseGrant, RangeResult, TxnOp, TxnResult, WatchListener, WatchOptions } from '../store/mvcc-store';
import { ERR_NO_LEADER, ERR_TIMEOUT, describeEtcdRequest, type EtcdReply, type EtcdRequest, type EtcdWatchEvent } from './etcd-api';
import type { EtcdCluster } from './etcd-cluster';
import type { EtcdMember } from './etcd-member';

/**
 * The API server's etcd client: it knows every member's address, sticks to one, and moves on
 * when that one cannot help — like etcd's clientv3 balancer.
 *
 *   client.txn(compares, ops, 'txn create /registry/pods/default/web', (r) => ...)
 *   // etcd-0 is down: no answer within ATTEMPT_TIMEOUT_MS -> try etcd-1 -> ok
 *   // no quorum anywhere: every member answers 'etcdserver: request timed out' or nothing
 *   //   -> after DEADLINE_MS the call fails with that error, and the API server answers 500
 *
 * A member that cannot be reached at all (crashed, cut off: a real client sees its connection
 * fail) is skipped before anything is sent. Reads and "no leader" answers are retried on the
 * next member. A write that was sent and timed out is NOT retried: it may still commit later,
 * and running it twice could apply it twice.
 *
 * Watches are resumable: the client remembers the last revision it delivered, and when the
 * stream breaks it opens the watch again from the next revision, so the watcher sees every
 * change once, in order. A stream runs over one connection, and like etcd's gRPC streams over
 * TCP it never skips a message quietly: it delivers each in order, or it is broken. Broken is:
 *
 *   its member cannot be reached (crashed, cut off)  -> resume on another member
 *   a message on it was lost (the request that opened it, or a batch of changes),
 *   or a batch arrived out of turn (seq 1, 2, 4)     -> resume on the same member
 *   its member restarted (the new process knows nothing of the watch) -> the same
 *
 *   watch from revision 1 on etcd-0 -> batches at 2, 3 -> the batch at 4 is lost in a short
 *   partition -> next check: resume on etcd-0 from revision 4 -> 4, 5, ...
 *
 * The client looks at its stream once every WATCH_CHECK_MS (standing in for the gRPC
 * keep-alives a real client uses; reachability is read from the simulated network), and
 * ignores anything that still arrives on a broken stream. etcd's clientv3 does the same on a
 * stream error: it opens a new stream and sends each watch again from its last revision + 1
 * (client/v3/watch.go, watchGrpcStream.run and serveSubstream).
 */
export const ATTEMPT_TIMEOUT_MS = 6_000;
export const DEADLINE_MS = 15_000;
export const RETRY_BACKOFF_MS = 100;
const WATCH_CHECK_MS = 1_000;

export class EtcdClient implements Storage {
  private current = 0;
  private nextWatch = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly net: Network,
    private readonly etcd: EtcdCluster,
    /** Who is calling: the sender in the trace. */
    private readonly caller: string,
  ) {}

  range(key: string, options: { prefix: boolean; revision?: number }, _summary: string, done: Done<RangeResult>): void {
    this.call({ kind: 'range', key, prefix: options.prefix, revision: options.revision }, this.sim.now() + DEADLINE_MS, done as Done<RangeResult | TxnResult | LeaseGrant>);
  }

  grantLease(ttlSeconds: number, done: Done<{ id: number }>): void {
    this.call({ kind: 'lease-grant', ttl: ttlSeconds }, this.sim.now() + DEADLINE_MS, done as Done<RangeResult | TxnResult | LeaseGrant>);
  }

  txn(compares: Compare[], onSuccess: TxnOp[], _summary: string, done: Done<TxnResult>): void {
    this.call({ kind: 'txn', compares, success: onSuccess }, this.sim.now() + DEADLINE_MS, done as Done<RangeResult | TxnResult | LeaseGrant>);
  }

  watch(key: string, options: WatchOptions, listener: WatchListener, onError: (err: StorageError) => void): () => void {
    let next = options.fromRevision ?? 0;
    let member = this.member();
    let watchId = '';
    let stopped = false;
    /** The member's process the stream was opened on: if it crashed, the stream died with it. */
    let openedOn: EtcdMember | undefined;
    /** How many batches arrived on the stream, in turn; the next must carry seq received + 1. */
    let received = 0;
    let broken = false;
    const open = () => {
      watchId = `${this.caller}/watch-${++this.nextWatch}`;
      const id = watchId;
      openedOn = this.etcd.member(member);
      received = 0;
      broken = false;
      const lost = () => {
        if (id === watchId) broken = true;
      };
      const request: EtcdRequest = { kind: 'watch', watchId: id, key, prefix: options.prefix ?? false, fromRevision: next };
      this.send(member, request, () => undefined, (e) => {
        // Only the newest stream counts: an abandoned member may still deliver on an old one.
        if (stopped || e.watchId !== watchId || broken) return;
        if (e.kind === 'watch-error') return onError(new StorageError(e.message));
        if (e.seq !== received + 1) {
          broken = true; // an earlier batch is missing: deliver nothing after the gap
          return;
        }
        received = e.seq;
        next = e.revision + 1;
        listener(e.events, e.revision);
      }, lost);
    };
    const check = () => {
      if (stopped) return;
      const reachable = this.etcd.names.filter((n) => this.connected(n));
      const gone = !this.connected(member);
      if ((gone || broken || this.etcd.member(member) !== openedOn) && reachable.length > 0) {
        const resumeOn = gone ? (reachable[(reachable.indexOf(member) + 1) % reachable.length] ?? reachable[0]) : member;
        this.sim.trace.error(this.sim.now(), this.caller, `lost the watch on ${member}; resuming on ${resumeOn} from revision ${next}`);
        this.send(member, { kind: 'cancel-watch', watchId }, () => undefined, () => undefined);
        member = resumeOn;
        open();
      }
      this.sim.after(WATCH_CHECK_MS, check);
    };
    open();
    this.sim.after(WATCH_CHECK_MS, check);
    return () => {
      stopped = true;
      this.send(member, { kind: 'cancel-watch', watchId }, () => undefined, () => undefined);
    };
  }

  private member(): string {
    return this.etcd.names[this.current];
  }

  /** Whether a connection to the member works (read off the simulated network). */
  private connected(member: string): boolean {
    return this.net.reachable(this.caller, member) && this.etcd.member(member) !== undefined;
  }

  /** One request, retried on other members while that is safe and the deadline allows. */
  private call(req: EtcdRequest, deadline: number, done: Done<RangeResult | TxnResult | LeaseGrant>): void {
    const member = this.member();
    let answered = false;
    const retryOrFail = (message: string, safeToRetry: boolean) => {
      if (safeToRetry && this.sim.now() + RETRY_BACKOFF_MS < deadline) {
        this.current = (this.current + 1) % this.etcd.names.length;
        this.sim.after(RETRY_BACKOFF_MS, () => this.call(req, deadline, done));
      } else {
        done(new StorageError(message));
      }
    };
    if (!this.connected(member)) return retryOrFail(ERR_TIMEOUT, true);
    const timer = this.sim.after(Math.min(ATTEMPT_TIMEOUT_MS, Math.max(0, deadline - this.sim.now())), () => {
      if (answered) return;
      answered = true;
      // Nothing came back: the member is down or cut off. A read can go elsewhere; a write may
      // still be committed, so it fails here.
      retryOrFail(ERR_TIMEOUT, req.kind === 'range');
    });
    this.send(member, req, (reply) => {
      if (answered) return;
      answered = true;
      this.sim.cancel(timer);
      if (reply.kind === 'ok') return done(reply.result);
      retryOrFail(reply.message, reply.message === ERR_NO_LEADER || req.kind === 'range');
    }, () => undefined);
  }

  /** A request to `member`; `onLost` hears of the loss of the request or of any watch event it brings back. */
  private send(member: string, req: EtcdRequest, onReply: (r: EtcdReply) => void, onEvent: (e: EtcdWatchEvent) => void, onLost?: () => void): void {
    this.net.send(this.caller, member, 'request', describeEtcdRequest(req), { etcd: req.kind }, () => {
      this.etcd.member(member)?.handle(
        req,
        (reply) => this.net.send(member, this.caller, 'response', reply.kind === 'ok' ? describeResult(reply.result) : reply.message, { etcd: reply.kind }, () => onReply(reply)),
        (event) =>
          this.net.send(member, this.caller, 'event', event.kind === 'events' ? `${event.events.length} events at revision ${event.revision}` : event.message, { etcd: event.kind }, () => onEvent(event), undefined, onLost),
      );
    }, req, onLost);
  }
}

function describeResult(r: RangeResult | TxnResult | LeaseGrant): string {
  if ('ttl' in r) return `lease ${r.id}`;
  return 'kvs' in r ? `${r.kvs.length} keys, revision ${r.revision}` : r.succeeded ? `ok, revision ${r.revision}` : 'compare failed';
}
