import type { MvccStore, StoreEvent, WatchOptions } from './mvcc-store';

/**
 * A watch on a store that writes down each call it gets, as a table row: which call, whether it
 * came from the history replayed when the watch started or live afterwards, its revision, and
 * its events in short ('DELETE b, PUT c=c1', by the last segment of each key). An empty call is
 * a progress notification.
 *
 *   const w = recordWatch(store, '/registry/pods/', { prefix: true, fromRevision: 3 });
 *   store.put('/registry/pods/default/d', 'd1');
 *   w.rows
 *   // => [{ call: 1, phase: 'history (replayed)', revision: 3, events: 'PUT b=b1' }, ...,
 *   //     { call: 4, phase: 'live', revision: 7, events: 'PUT d=d1' }]
 *   w.stop();
 *
 * A start revision that was compacted throws, as MvccStore.watch does.
 */
export interface WatchCall {
  call: number;
  phase: 'history (replayed)' | 'live';
  revision: number;
  events: string;
}

export interface RecordedWatch {
  readonly rows: WatchCall[];
  stop(): void;
}

/** 'PUT a=a2', 'DELETE b': events in short, by the last segment of each key. */
export function describeStoreEvents(events: readonly StoreEvent[]): string {
  return events.map((e) => `${e.type} ${e.kv.key.split('/').pop()}${e.type === 'PUT' ? '=' + e.kv.value : ''}`).join(', ');
}

export function recordWatch(store: MvccStore, key: string, options: WatchOptions): RecordedWatch {
  const rows: WatchCall[] = [];
  let live = false;
  const stop = store.watch(key, options, (events, revision) => {
    rows.push({
      call: rows.length + 1,
      phase: live ? 'live' : 'history (replayed)',
      revision,
      events: events.length === 0 ? '(progress notification)' : describeStoreEvents(events),
    });
  });
  live = true;
  return { rows, stop };
}
