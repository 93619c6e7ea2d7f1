import type { Simulation } from '../sim/simulation';
import { Lessor } from '../store/lessor';
import type { Compare, MvccStore, RangeResult, TxnOp, TxnResult, WatchListener, WatchOptions } from '../store/mvcc-store';

/**
 * What the API server needs from etcd, and nothing more: range, transaction, watch.
 *
 * Every call answers through a callback, so the same API server code runs on an etcd inside
 * the same process (LocalEtcd, below: answers at once) or on a replicated etcd across the
 * simulated network (answers later, or fails when there is no quorum):
 *
 *   storage.range('/registry/pods/', { prefix: true }, 'range /registry/pods/*', (r) => ...)
 *   // r: { kvs: [...], revision: 42 }  or  a StorageError('etcdserver: request timed out')
 */
export class StorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageError';
  }
}

export type Done<T> = (result: T | StorageError) => void;

export interface Storage {
  /** Reads a key or a prefix, now or (with `revision`) as it was then. */
  range(key: string, options: { prefix: boolean; revision?: number }, summary: string, done: Done<RangeResult>): void;
  txn(compares: Compare[], onSuccess: TxnOp[], summary: string, done: Done<TxnResult>): void;
  /** Follows changes; `onError` hears of a watch the storage had to end. Returns a stop function. */
  watch(key: string, options: WatchOptions, listener: WatchListener, onError: (err: StorageError) => void): () => void;
  /** A lease of `ttlSeconds`: keys written with it are deleted when it expires. Optional: not every storage has leases. */
  grantLease?(ttlSeconds: number, done: Done<{ id: number }>): void;
  /**
   * etcd's RequestProgress: every open watch hears the current revision (a progress
   * notification). Optional: kube-apiserver serves consistent lists from its watch cache only
   * when etcd supports it (the replicated etcd of the lab does not, so those go to etcd).
   */
  requestProgress?(): void;
}

/**
 * etcd in the API server's own process: every call is answered at once, and traced as a
 * request and its answer with no network delay. (The etcd chapter replaces it with a
 * replicated etcd behind a client that finds the leader and retries.)
 */
export class LocalEtcd implements Storage {
  /** Its name in the trace. */
  readonly endpoint = 'etcd';
  private readonly lessor: Lessor;

  constructor(
    private readonly sim: Simulation,
    private readonly store: MvccStore,
    /** Who is calling: shows as the sender in the trace. */
    private readonly caller: string,
  ) {
    this.lessor = new Lessor(sim, store, this.endpoint);
  }

  range(key: string, options: { prefix: boolean; revision?: number }, summary: string, done: Done<RangeResult>): void {
    this.call(summary, key, () => this.store.range(key, options), (r) => `${r.kvs.length} keys, revision ${r.revision}`, done);
  }

  grantLease(ttlSeconds: number, done: Done<{ id: number }>): void {
    this.call(`lease grant ttl ${ttlSeconds}s`, '', () => this.lessor.grant(ttlSeconds), (g) => `lease ${g.id}`, done);
  }

  requestProgress(): void {
    const now = this.sim.now();
    this.sim.trace.message(now, this.caller, this.endpoint, now, 'request', 'watch progress request', { key: '' });
    this.store.requestProgress();
  }

  txn(compares: Compare[], onSuccess: TxnOp[], summary: string, done: Done<TxnResult>): void {
    this.call(summary, onSuccess[0]?.key ?? '', () => this.store.txn(compares, onSuccess), (r) => (r.succeeded ? `ok, revision ${r.revision}` : 'compare failed'), done);
  }

  watch(key: string, options: WatchOptions, listener: WatchListener, onError: (err: StorageError) => void): () => void {
    const now = this.sim.now();
    this.sim.trace.message(now, this.caller, this.endpoint, now, 'request', `watch ${key}${options.prefix ? '*' : ''} from revision ${options.fromRevision ?? 0}`, { key });
    try {
      return this.store.watch(key, options, listener);
    } catch (err) {
      onError(new StorageError((err as Error).message ?? String(err)));
      return () => undefined;
    }
  }

  private call<T>(summary: string, key: string, run: () => T, answer: (result: T) => string, done: Done<T>): void {
    const now = this.sim.now();
    this.sim.trace.message(now, this.caller, this.endpoint, now, 'request', summary, { key });
    let result: T;
    try {
      result = run();
    } catch (err) {
      // etcd's own errors (a compacted revision) and failures of code plugged into the store
      // (an exercise slot) reach the API server as a failed call, not as a crash.
      const message = (err as Error).message ?? String(err);
      this.sim.trace.message(now, this.endpoint, this.caller, now, 'response', message);
      return done(new StorageError(message));
    }
    this.sim.trace.message(now, this.endpoint, this.caller, now, 'response', answer(result));
    done(result);
  }
}
