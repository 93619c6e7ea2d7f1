/**
 * An etcd-like multi-version key-value store: the cluster's only state.
 *
 * Every change bumps one cluster-wide revision. Each key remembers when it was created
 * (createRevision), when it last changed (modRevision) and how many times (version):
 *
 *   store.put('/registry/pods/default/web', '{...}')   // => revision 2 (an empty store is at 1, like etcd)
 *   store.put('/registry/pods/default/web', '{...}')   // => revision 3; version 2; createRevision still 2
 *   store.get('/registry/pods/default/web', { revision: 2 })  // => the first value: old revisions stay readable
 *   store.watch('/registry/pods/', { prefix: true, fromRevision: 2 }, onEvents)  // replays 2..now, then follows
 *
 * Deliberately minimal for now: no compaction, leases or replication yet. The etcd chapter
 * deepens this file in place (compaction, leases, Raft underneath).
 */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
  readonly createRevision: number;
  readonly modRevision: number;
  /** How many times the key was written since it was (re)created; 1 after the first put. */
  readonly version: number;
}

export type StoreEventType = 'PUT' | 'DELETE';

export interface StoreEvent {
  readonly type: StoreEventType;
  /** For PUT: the new value. For DELETE: a tombstone (value '', modRevision = the delete's revision). */
  readonly kv: KeyValue;
  /** The value before this change, if there was one. */
  readonly prevKv?: KeyValue;
}

export interface RangeOptions {
  /** Read the store as it was at this revision (default: now). */
  revision?: number;
  /** Treat the key as a prefix. */
  prefix?: boolean;
}

export interface RangeResult {
  readonly kvs: KeyValue[];
  /** The store's revision when the read was served. */
  readonly revision: number;
}

/** A condition of a transaction, compared against a key's current state. */
export interface Compare {
  key: string;
  /** What to compare; a missing key has modRevision 0, createRevision 0 and version 0. */
  target: 'modRevision' | 'createRevision' | 'version' | 'value';
  op: '=' | '!=' | '<' | '>';
  value: number | string;
}

export type TxnOp = { type: 'put'; key: string; value: string } | { type: 'delete'; key: string };

export interface TxnResult {
  readonly succeeded: boolean;
  readonly revision: number;
  /** The events this transaction produced (all at one revision). */
  readonly events: StoreEvent[];
}

export interface WatchOptions {
  prefix?: boolean;
  /** Replay every change at or after this revision first (default: only changes from now on). */
  fromRevision?: number;
}

export type WatchListener = (events: StoreEvent[], revision: number) => void;

interface Watcher {
  key: string;
  prefix: boolean;
  listener: WatchListener;
}

export class MvccStore {
  /** Every version of every key, oldest first (tombstones included). */
  private readonly history = new Map<string, KeyValue[]>();
  /** Every change, in revision order: what watches replay. */
  private readonly log: StoreEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private rev = 1;

  /** The revision of the last change (1 for an empty store, as in etcd). */
  get revision(): number {
    return this.rev;
  }

  get(key: string, options: { revision?: number } = {}): KeyValue | undefined {
    return this.range(key, options).kvs[0];
  }

  range(key: string, options: RangeOptions = {}): RangeResult {
    const at = options.revision ?? this.rev;
    if (at > this.rev) throw new Error(`etcdserver: mvcc: required revision is a future revision`);
    const kvs: KeyValue[] = [];
    const keys = options.prefix ? [...this.history.keys()].filter((k) => k.startsWith(key)).sort() : [key];
    for (const k of keys) {
      const kv = this.valueAt(k, at);
      if (kv !== undefined) kvs.push(kv);
    }
    return { kvs, revision: this.rev };
  }

  put(key: string, value: string): TxnResult {
    return this.txn([], [{ type: 'put', key, value }]);
  }

  delete(key: string): TxnResult {
    return this.txn([], [{ type: 'delete', key }]);
  }

  /**
   * If every comparison holds, apply `onSuccess`, else `onFailure`; all writes share one new
   * revision. A transaction that writes nothing does not bump the revision.
   */
  txn(compares: Compare[], onSuccess: TxnOp[], onFailure: TxnOp[] = []): TxnResult {
    const succeeded = compares.every((c) => this.holds(c));
    const ops = succeeded ? onSuccess : onFailure;
    const next = this.rev + 1;
    const events: StoreEvent[] = [];
    for (const op of ops) {
      const prev = this.valueAt(op.key, this.rev);
      if (op.type === 'put') {
        const kv: KeyValue = {
          key: op.key,
          value: op.value,
          createRevision: prev?.createRevision ?? next,
          modRevision: next,
          version: (prev?.version ?? 0) + 1,
        };
        events.push({ type: 'PUT', kv, prevKv: prev });
      } else if (prev !== undefined) {
        const tombstone: KeyValue = { key: op.key, value: '', createRevision: 0, modRevision: next, version: 0 };
        events.push({ type: 'DELETE', kv: tombstone, prevKv: prev });
      }
    }
    if (events.length === 0) return { succeeded, revision: this.rev, events };
    this.rev = next;
    for (const e of events) {
      let versions = this.history.get(e.kv.key);
      if (versions === undefined) this.history.set(e.kv.key, (versions = []));
      versions.push(e.kv);
      this.log.push(e);
    }
    for (const w of [...this.watchers]) this.notify(w, events, next);
    return { succeeded, revision: next, events };
  }

  /** Follows changes to a key or prefix; returns a function that stops the watch. */
  watch(key: string, options: WatchOptions, listener: WatchListener): () => void {
    const watcher: Watcher = { key, prefix: options.prefix ?? false, listener };
    if (options.fromRevision !== undefined) {
      // Replay history one revision at a time: a watch never splits a revision.
      const past = this.log.filter((e) => e.kv.modRevision >= options.fromRevision!);
      let i = 0;
      while (i < past.length) {
        const rev = past[i].kv.modRevision;
        const batch: StoreEvent[] = [];
        while (i < past.length && past[i].kv.modRevision === rev) batch.push(past[i++]);
        this.notify(watcher, batch, rev);
      }
    }
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  private notify(w: Watcher, events: StoreEvent[], revision: number): void {
    const mine = events.filter((e) => (w.prefix ? e.kv.key.startsWith(w.key) : e.kv.key === w.key));
    if (mine.length > 0) w.listener(mine, revision);
  }

  private valueAt(key: string, revision: number): KeyValue | undefined {
    const versions = this.history.get(key);
    if (versions === undefined) return undefined;
    for (let i = versions.length - 1; i >= 0; i--) {
      const kv = versions[i];
      if (kv.modRevision <= revision) return kv.version === 0 ? undefined : kv;
    }
    return undefined;
  }

  private holds(c: Compare): boolean {
    const kv = this.valueAt(c.key, this.rev);
    const actual: number | string =
      c.target === 'value' ? (kv?.value ?? '') : c.target === 'version' ? (kv?.version ?? 0) : c.target === 'modRevision' ? (kv?.modRevision ?? 0) : (kv?.createRevision ?? 0);
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
}
