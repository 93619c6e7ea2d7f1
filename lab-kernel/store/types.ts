/**
 * What the store holds and what it tells watchers, in etcd's own shapes (mvccpb.KeyValue and
 * mvccpb.Event):
 *
 *   { key: '/registry/pods/default/web', value: '{"kind":"Pod",...}', createRevision: 2, modRevision: 5, version: 2 }
 *   { type: 'DELETE', kv: { key: '/registry/pods/default/web', value: '', createRevision: 0, modRevision: 7, version: 0 }, prevKv: {...} }
 */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
  /** The revision of the put that created the key (the first put since it last did not exist). */
  readonly createRevision: number;
  /** The revision of the last change to the key. */
  readonly modRevision: number;
  /** How many times the key was written since it was (re)created: 1 after the first put; 0 marks a tombstone. */
  readonly version: number;
  /** The lease the key is attached to: when the lease ends, the key is deleted. Absent: no lease. */
  readonly lease?: number;
}

export type StoreEventType = 'PUT' | 'DELETE';

export interface StoreEvent {
  readonly type: StoreEventType;
  /** For PUT: the new value. For DELETE: a tombstone (value '', modRevision = the delete's revision). */
  readonly kv: KeyValue;
  /** The value before this change, if there was one. */
  readonly prevKv?: KeyValue;
}

/**
 * What a watcher hears: the events of one revision, all of them, in one call. An empty
 * `events` is a progress notification (a bookmark): "nothing more for you up to `revision`".
 */
export type WatchListener = (events: StoreEvent[], revision: number) => void;
