import type { KubeObject } from '../api/types';
import type { Compare, KeyValue, RangeResult, TxnOp, TxnResult } from '../store/mvcc-store';
import { stripVersion } from './codec';
import { LeaseManager } from './lease-manager';
import { wait, type Steps } from './steps';
import type { Storage } from '../etcd/storage';

/**
 * The API server's calls to etcd, as steps a handler can `yield*` (steps.ts), each with the
 * summary the trace shows:
 *
 *   const kv = yield* etcd.get('/registry/pods/default/web');         // trace: range /registry/pods/default/web
 *   yield* etcd.put('txn update ...', [compare], key, pod);            // the object as JSON, without resourceVersion
 */
export class StorageCalls {
  private readonly leases = new LeaseManager();

  constructor(
    private readonly storage: Storage,
    /** Virtual time now, in ms: when a lease was granted, to reuse it (lease-manager.ts). */
    private readonly now: () => number,
  ) {}

  *get(key: string): Steps<KeyValue | undefined> {
    return (yield* this.range(key, false)).kvs[0];
  }

  *range(key: string, prefix: boolean, revision?: number): Steps<RangeResult> {
    const at = revision !== undefined ? ` at revision ${revision}` : '';
    return yield* wait<RangeResult>((done) => this.storage.range(key, { prefix, revision }, `range ${key}${prefix ? '*' : ''}${at}`, done));
  }

  /** etcd's current revision, as kube-apiserver reads it before a consistent list from its cache (one key's range: no data). */
  *currentRevision(prefix: string): Steps<number> {
    return (yield* wait<RangeResult>((done) => this.storage.range(prefix, { prefix: false }, `range ${prefix} (current revision)`, done))).revision;
  }

  *txn(summary: string, compares: Compare[], ops: TxnOp[]): Steps<TxnResult> {
    return yield* wait<TxnResult>((done) => this.storage.txn(compares, ops, summary, done));
  }

  /** Writes an object as JSON, without its resourceVersion (that is the etcd revision). */
  *put(summary: string, compares: Compare[], key: string, obj: KubeObject, lease?: number): Steps<TxnResult> {
    return yield* this.txn(summary, compares, [{ type: 'put', key, value: JSON.stringify(stripVersion(obj)), lease }]);
  }

  /**
   * A lease of at least `ttlSeconds` to write a key with, so etcd deletes it by itself (an
   * Event's --event-ttl): the last one granted while it fits, else a new one (lease-manager.ts).
   * A storage without leases gives none: the key stays until deleted.
   */
  *lease(ttlSeconds: number): Steps<number | undefined> {
    if (this.storage.grantLease === undefined) return undefined;
    const asked = this.now();
    const reused = this.leases.reusable(ttlSeconds, asked);
    if (reused !== undefined) return reused;
    const grantTtl = LeaseManager.grantTtl(ttlSeconds);
    const grant = yield* wait<{ id: number }>((done) => this.storage.grantLease!(grantTtl, done));
    // As kube-apiserver does, the lease's expiry is counted from when it was asked for.
    this.leases.granted(grant.id, grantTtl, asked);
    return grant.id;
  }
}
