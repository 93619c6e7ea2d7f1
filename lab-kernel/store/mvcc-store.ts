import { search } from '../sim/search';
import { SortedKeys } from '../sim/sorted-keys';
import { indexVersionAt, KeyHistory } from './key-history';
import { DEFAULT_MIN_LEASE_TTL, LeaseTable } from './lease-table';
import { compactedError, ERR_DUPLICATE_KEY, futureRevisionError, leaseNotFoundError, StoreError } from './store-errors';
import type { KeyValue, StoreEvent, WatchListener } from './types';
import { IDENTITY_TRANSFORMER, type ValueTransformer } from './value-transformer';
import type { VersionAt } from './version-at-contract';
import { WatchHub } from './watch-hub';

export type { KeyValue, StoreEvent, StoreEventType, WatchListener } from './types';

/**
 * An etcd-like multi-version key-value store: the cluster's only state.
 *
 * Revisions. Every transaction that changes something bumps one cluster-wide revision. Each
 * key remembers when it was created (createRevision), when it last changed (modRevision) and
 * how many times (version). Old versions stay readable:
 *
 *   store.put('/registry/pods/default/web', '{...}')    // => revision 2 (an empty store is at 1, like etcd)
 *   store.put('/registry/pods/default/web', '{...}')    // => revision 3; version 2; createRevision still 2
 *   store.get('/registry/pods/default/web', { revision: 2 })  // => the first value
 *
 * Transactions compare, then take one branch; everything they write shares one revision:
 *
 *   store.txn([{ key, target: 'modRevision', op: '=', value: 3 }], [put ...], [range ...])
 *
 * Compaction forgets history: after `compact(5)`, reads and watches below revision 5 fail
 * with etcd's "required revision has been compacted" (a StoreError carrying compactRevision).
 *
 * Watches follow a key or a prefix from any revision still in the history: in order, one call
 * per revision, never twice; `requestProgress()` tells every watcher the current revision
 * (a bookmark). See watch-hub.ts.
 *
 * Leases: `leaseGrant(ttl, now)`, then `put(key, value, { lease })`; when the lease is revoked
 * or expires (`expireLeases(now)`), its keys are deleted in one transaction. The store never
 * reads a clock: `now` is always an argument (lessor.ts drives it from the simulation).
 *
 * Values pass through a ValueTransformer on the way in and out (value-transformer.ts);
 * `rawRange` shows them as stored. Which version of a key a read sees is decided by a
 * VersionAt function (version-at-contract.ts, exercise `mvcc-read`).
 *
 * Deliberately one member: the Raft chapter replicates this store underneath.
 */
export interface RangeOptions {
  /** Read the store as it was at this revision (default, or 0: now). */
  revision?: number;
  /** Treat the key as a prefix. */
  prefix?: boolean;
}

export interface RangeResult {
  readonly kvs: KeyValue[];
  /** The store's revision when the read was served. */
  readonly revision: number;
}

/**
 * A condition of a transaction, compared against a key's current state. A missing key has
 * modRevision 0, createRevision 0 and version 0; any comparison of its value fails (etcd
 * cannot tell a missing value from an empty one, so it does not try).
 *
 *   { key: '/k', target: 'createRevision', op: '=', value: 0 }   // "/k does not exist"
 *   { key: '/k', target: 'modRevision', op: '=', value: 7 }      // "/k has not changed since revision 7"
 */
export interface Compare {
  key: string;
  target: 'modRevision' | 'createRevision' | 'version' | 'value';
  op: '=' | '!=' | '<' | '>';
  value: number | string;
}

/**
 * One operation of a transaction branch. A branch may not write the same key twice (etcd
 * rejects it: "duplicate key given in txn request"). A range sees the writes made before it
 * in the same branch.
 */
export type TxnOp =
  | { type: 'put'; key: string; value: string; lease?: number }
  | { type: 'delete'; key: string }
  | { type: 'range'; key: string; prefix?: boolean };

/** The answer to each operation of the branch taken, in order. */
export type TxnResponse = { type: 'put' } | { type: 'delete'; deleted: number } | { type: 'range'; kvs: KeyValue[] };

export interface TxnResult {
  /** Whether every comparison held (and the success branch ran). */
  readonly succeeded: boolean;
  /** The revision the transaction wrote at, or the current one if it wrote nothing. */
  readonly revision: number;
  /** The events this transaction produced (all at one revision). */
  readonly events: StoreEvent[];
  readonly responses: TxnResponse[];
}

export interface WatchOptions {
  prefix?: boolean;
  /** Replay every change at or after this revision first (default, or 0: only changes from now on). */
  fromRevision?: number;
}

export interface LeaseGrant {
  readonly id: number;
  /** The TTL granted, in seconds (at least the minimum TTL). */
  readonly ttl: number;
}

export interface LeaseStatus {
  readonly id: number;
  /** Seconds left, rounded down; -1 for a lease that does not exist (as etcd answers). */
  readonly ttl: number;
  readonly grantedTtl: number;
  /** The keys attached to it, in order. */
  readonly keys: string[];
}

export interface RevokedLease {
  readonly id: number;
  /** The keys deleted with it. */
  readonly keys: string[];
  /** The revision of the deletes (the current revision if there were no keys). */
  readonly revision: number;
}

export interface MvccStoreOptions {
  /** Which version of a key a read sees (exercise `mvcc-read`); default: the store's own index lookup. */
  versionAt?: VersionAt;
  /** Applied to every value on its way in and out; default: values stored as they are. */
  transformer?: ValueTransformer;
  /** The shortest lease TTL in seconds; shorter requests get this one (default 2, as etcd's default). */
  minLeaseTtl?: number;
}

export class MvccStore {
  private readonly keys = new Map<string, KeyHistory>();
  /** The same keys in sorted order, so a prefix range is a binary search, not a scan (etcd keeps a B-tree). */
  private readonly sortedKeys = new SortedKeys();
  /** Every change a watch can still replay, in revision order, values as stored. */
  private log: StoreEvent[] = [];
  private readonly hub = new WatchHub();
  private readonly leaseTable: LeaseTable;
  private readonly versionAt: VersionAt;
  private readonly transformer: ValueTransformer;
  private rev = 1;
  private compactRev = 0;

  constructor(options: MvccStoreOptions = {}) {
    this.versionAt = options.versionAt ?? indexVersionAt;
    this.transformer = options.transformer ?? IDENTITY_TRANSFORMER;
    this.leaseTable = new LeaseTable(options.minLeaseTtl ?? DEFAULT_MIN_LEASE_TTL);
  }

  /** The revision of the last change (1 for an empty store, as in etcd). */
  get revision(): number {
    return this.rev;
  }

  /** The oldest revision still readable (0 until the first compaction). */
  get compactRevision(): number {
    return this.compactRev;
  }

  get(key: string, options: { revision?: number } = {}): KeyValue | undefined {
    return this.range(key, options).kvs[0];
  }

  range(key: string, options: RangeOptions = {}): RangeResult {
    const { kvs, revision } = this.rawRange(key, options);
    return { kvs: kvs.map((kv) => this.decode(kv)), revision };
  }

  /** Like range, but values as they are stored (after the transformer's toStorage). */
  rawRange(key: string, options: RangeOptions = {}): RangeResult {
    const at = options.revision !== undefined && options.revision > 0 ? options.revision : this.rev;
    if (at > this.rev) throw futureRevisionError();
    if (at < this.compactRev) throw compactedError(this.compactRev);
    const keys = options.prefix ? this.keysWithPrefix(key) : [key];
    const kvs: KeyValue[] = [];
    for (const k of keys) {
      const kv = this.storedAt(k, at);
      if (kv !== undefined) kvs.push(kv);
    }
    return { kvs, revision: this.rev };
  }

  put(key: string, value: string, options: { lease?: number } = {}): TxnResult {
    return this.txn([], [{ type: 'put', key, value, lease: options.lease }]);
  }

  delete(key: string): TxnResult {
    return this.txn([], [{ type: 'delete', key }]);
  }

  /**
   * If every comparison holds, run `onSuccess`, else `onFailure`; all writes share one new
   * revision. A transaction that writes nothing does not bump the revision. A put naming a
   * lease that does not exist fails the whole transaction ("requested lease not found").
   */
  txn(compares: Compare[], onSuccess: TxnOp[], onFailure: TxnOp[] = []): TxnResult {
    checkDistinctWrites(onSuccess);
    checkDistinctWrites(onFailure);
    const succeeded = compares.every((c) => this.holds(c));
    const ops = succeeded ? onSuccess : onFailure;
    for (const op of ops) {
      if (op.type === 'put' && op.lease && this.leaseTable.get(op.lease) === undefined) throw leaseNotFoundError();
    }
    const next = this.rev + 1;
    // What this transaction has written so far, so that later operations in it see it.
    const written = new Map<string, KeyValue>();
    const current = (key: string): KeyValue | undefined => {
      const mine = written.get(key);
      if (mine !== undefined) return mine.version === 0 ? undefined : mine;
      return this.storedAt(key, this.rev);
    };
    const events: StoreEvent[] = [];
    const responses: TxnResponse[] = [];
    for (const op of ops) {
      if (op.type === 'range') {
        const keys = op.prefix ? this.keysWithPrefix(op.key, written.keys()) : [op.key];
        const kvs: KeyValue[] = [];
        for (const k of keys) {
          const kv = current(k);
          if (kv !== undefined) kvs.push(this.decode(kv));
        }
        responses.push({ type: 'range', kvs });
      } else if (op.type === 'put') {
        const prev = current(op.key);
        const value = this.transformer.toStorage(op.key, op.value);
        const createRevision = prev?.createRevision ?? next;
        const version = (prev?.version ?? 0) + 1;
        const kv: KeyValue = op.lease
          ? { key: op.key, value, createRevision, modRevision: next, version, lease: op.lease }
          : { key: op.key, value, createRevision, modRevision: next, version };
        written.set(op.key, kv);
        events.push(prev === undefined ? { type: 'PUT', kv } : { type: 'PUT', kv, prevKv: prev });
        responses.push({ type: 'put' });
      } else {
        const prev = current(op.key);
        if (prev !== undefined) {
          const tombstone: KeyValue = { key: op.key, value: '', createRevision: 0, modRevision: next, version: 0 };
          written.set(op.key, tombstone);
          events.push({ type: 'DELETE', kv: tombstone, prevKv: prev });
        }
        responses.push({ type: 'delete', deleted: prev === undefined ? 0 : 1 });
      }
    }
    if (events.length === 0) return { succeeded, revision: this.rev, events, responses };
    this.rev = next;
    for (const e of events) {
      let history = this.keys.get(e.kv.key);
      if (history === undefined) {
        this.keys.set(e.kv.key, (history = new KeyHistory()));
        this.sortedKeys.add(e.kv.key);
      }
      history.push(e.kv);
      this.log.push(e);
      // A put without a lease, or a delete, unties the key from the lease it had.
      this.leaseTable.attach(e.kv.key, e.kv.lease);
    }
    const visible = events.map((e) => this.decodeEvent(e));
    this.hub.publish(visible, next);
    return { succeeded, revision: next, events: visible, responses };
  }

  /**
   * Forgets the history below `revision`: each key keeps its latest version at or below it
   * (so reads at `revision` still work) and everything after. Compacting at or below the
   * current compact revision fails with "compacted", above the store's revision with "future".
   */
  compact(revision: number): void {
    if (revision <= this.compactRev) throw compactedError(this.compactRev);
    if (revision > this.rev) throw futureRevisionError();
    this.compactRev = revision;
    for (const [key, history] of this.keys) {
      history.compact(revision);
      if (history.isEmpty) {
        this.keys.delete(key);
        this.sortedKeys.remove(key);
      }
    }
    this.log = this.log.slice(firstEventAtOrAbove(this.log, revision));
  }

  /**
   * Follows changes to a key or prefix; returns a function that stops the watch. With
   * `fromRevision`, first replays every change from that revision (below the compact revision:
   * a StoreError 'compacted' with compactRevision, so the caller can relist). A revision
   * beyond the current one is allowed: the watch waits for it.
   */
  watch(key: string, options: WatchOptions, listener: WatchListener): () => void {
    const prefix = options.prefix ?? false;
    const start = options.fromRevision !== undefined && options.fromRevision > 0 ? options.fromRevision : this.rev + 1;
    if (start < this.compactRev) throw compactedError(this.compactRev);
    const replay: StoreEvent[] = [];
    for (let i = firstEventAtOrAbove(this.log, start); i < this.log.length; i++) {
      const e = this.log[i];
      if (prefix ? e.kv.key.startsWith(key) : e.kv.key === key) replay.push(this.decodeEvent(e));
    }
    return this.hub.add(key, prefix, start, replay, listener);
  }

  /** Sends every watcher a progress notification at the current revision (etcd's RequestProgress). */
  requestProgress(): void {
    this.hub.progress(this.rev);
  }

  /** A new lease of `ttlSeconds`, from `nowMs`; `id` 0 (the default) lets the store choose it. */
  leaseGrant(ttlSeconds: number, nowMs: number, id = 0): LeaseGrant {
    const lease = this.leaseTable.grant(id, ttlSeconds, nowMs);
    return { id: lease.id, ttl: lease.ttl };
  }

  /** Keeps a lease alive for another full TTL from `nowMs`; returns the TTL. Fails once it has expired. */
  leaseKeepAlive(id: number, nowMs: number): number {
    return this.leaseTable.renew(id, nowMs);
  }

  /** Ends a lease now: its keys are deleted in one transaction (one revision, DELETE events). */
  leaseRevoke(id: number): RevokedLease {
    const lease = this.leaseTable.get(id);
    if (lease === undefined) throw leaseNotFoundError();
    const keys = [...lease.keys].sort();
    this.leaseTable.remove(id);
    const result = this.txn(
      [],
      keys.map((key): TxnOp => ({ type: 'delete', key })),
    );
    return { id, keys, revision: result.revision };
  }

  leaseTimeToLive(id: number, nowMs: number): LeaseStatus {
    const lease = this.leaseTable.get(id);
    if (lease === undefined) return { id, ttl: -1, grantedTtl: 0, keys: [] };
    return { id, ttl: Math.floor(Math.max(0, lease.expiresAt - nowMs) / 1000), grantedTtl: lease.ttl, keys: [...lease.keys].sort() };
  }

  /** Every lease id, in order. */
  leases(): number[] {
    return this.leaseTable.ids();
  }

  /** The leases whose time is up at `nowMs` (still there until revoked). */
  expiredLeases(nowMs: number): number[] {
    return this.leaseTable.expired(nowMs);
  }

  /** Revokes every lease whose time is up at `nowMs`, each in its own transaction. */
  expireLeases(nowMs: number): RevokedLease[] {
    return this.leaseTable.expired(nowMs).map((id) => this.leaseRevoke(id));
  }

  /** When the next lease expires (ms of virtual time), if there is a lease. */
  nextLeaseExpiry(): number | undefined {
    return this.leaseTable.nextExpiry();
  }

  /** The version of `key` visible at `revision`, value as stored, as the VersionAt function finds it. */
  private storedAt(key: string, revision: number): KeyValue | undefined {
    const history = this.keys.get(key);
    if (history === undefined) return undefined;
    const seen = this.versionAt(history.revisions, revision);
    if (seen === null || seen === undefined) return undefined;
    const kv = history.at(seen.modRevision);
    const asked = `versionAt(<history of ${key}>, ${revision})`;
    if (kv === undefined) throw new Error(`${asked} returned a version at revision ${seen.modRevision}, which is not in the history`);
    if (kv.modRevision > revision) throw new Error(`${asked} returned the version written at ${kv.modRevision}, after the revision read`);
    if (kv.version === 0) throw new Error(`${asked} returned the tombstone written at ${kv.modRevision}: a deleted key is not visible (the answer is null)`);
    return kv;
  }

  /** The keys under `prefix`, in order: those in the index, and `alsoNew` (keys a transaction is creating). */
  private keysWithPrefix(prefix: string, alsoNew: Iterable<string> = []): string[] {
    const keys = this.sortedKeys.withPrefix(prefix);
    const extra = [...alsoNew].filter((k) => k.startsWith(prefix) && !this.keys.has(k));
    return extra.length === 0 ? keys : [...new Set([...keys, ...extra])].sort();
  }

  private holds(c: Compare): boolean {
    const kv = this.storedAt(c.key, this.rev);
    if (kv === undefined && c.target === 'value') return false;
    const actual: number | string =
      c.target === 'value'
        ? this.decode(kv!).value
        : c.target === 'version'
          ? (kv?.version ?? 0)
          : c.target === 'modRevision'
            ? (kv?.modRevision ?? 0)
            : (kv?.createRevision ?? 0);
    switch (c.op) {
      case '=':
        return actual === c.value;
      case '!=':
        return actual !== c.value;
      case '<':
        return actual < c.value;
      case '>':
        return actual > c.value;
    }
  }

  /** A stored version as clients see it: the value through the transformer (a tombstone has none). */
  private decode(kv: KeyValue): KeyValue {
    if (kv.version === 0 || this.transformer === IDENTITY_TRANSFORMER) return kv;
    return Object.assign({}, kv, { value: this.transformer.fromStorage(kv.key, kv.value) });
  }

  private decodeEvent(e: StoreEvent): StoreEvent {
    if (this.transformer === IDENTITY_TRANSFORMER) return e;
    return { type: e.type, kv: this.decode(e.kv), ...(e.prevKv && { prevKv: this.decode(e.prevKv) }) };
  }
}

/** etcd refuses a branch that writes one key twice (two puts, or a put and a delete). */
function checkDistinctWrites(ops: readonly TxnOp[]): void {
  if (ops.length < 2) return;
  const puts = new Set<string>();
  const deletes = new Set<string>();
  for (const op of ops) {
    if (op.type === 'range') continue;
    if (puts.has(op.key) || (op.type === 'put' && deletes.has(op.key))) throw new StoreError('duplicate-key', ERR_DUPLICATE_KEY);
    (op.type === 'put' ? puts : deletes).add(op.key);
  }
}

/** The index of the first logged event at or above `revision` (the log is in revision order). */
function firstEventAtOrAbove(log: readonly StoreEvent[], revision: number): number {
  return search(log.length, (i) => log[i].kv.modRevision >= revision);
}

