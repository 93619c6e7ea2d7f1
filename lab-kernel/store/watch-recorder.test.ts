import { describe, expect, it } from 'vitest';
import { MvccStore } from './mvcc-store';
import { ERR_COMPACTED } from './store-errors';
import { describeStoreEvents, recordWatch } from './watch-recorder';

const POD = (name: string) => `/registry/pods/default/${name}`;

/** Chapter 01's store: revisions 2..6, the fifth a transaction of two changes, the sixth not a pod. */
function podStore(): MvccStore {
  const store = new MvccStore();
  store.put(POD('a'), 'a1');
  store.put(POD('b'), 'b1');
  store.put(POD('a'), 'a2');
  store.txn([], [{ type: 'delete', key: POD('b') }, { type: 'put', key: POD('c'), value: 'c1' }]);
  store.put('/registry/services/default/web', 's1');
  return store;
}

describe('recordWatch', () => {
  it('records the replayed history, then live calls, one per revision, and progress notifications', () => {
    const store = podStore();
    const w = recordWatch(store, '/registry/pods/', { prefix: true, fromRevision: 3 });
    store.put(POD('d'), 'd1');
    store.requestProgress();
    expect(w.rows).toEqual([
      { call: 1, phase: 'history (replayed)', revision: 3, events: 'PUT b=b1' },
      { call: 2, phase: 'history (replayed)', revision: 4, events: 'PUT a=a2' },
      { call: 3, phase: 'history (replayed)', revision: 5, events: 'DELETE b, PUT c=c1' },
      { call: 4, phase: 'live', revision: 7, events: 'PUT d=d1' },
      { call: 5, phase: 'live', revision: 7, events: '(progress notification)' },
    ]);
    w.stop();
    store.put(POD('e'), 'e1');
    expect(w.rows).toHaveLength(5);
  });

  it('throws as the store does for a compacted start revision', () => {
    const store = podStore();
    store.compact(5);
    expect(() => recordWatch(store, '/registry/pods/', { prefix: true, fromRevision: 3 })).toThrow(ERR_COMPACTED);
  });
});

describe('describeStoreEvents', () => {
  it('shortens keys to their last segment and shows PUT values', () => {
    const store = podStore();
    const r = store.txn([], [{ type: 'delete', key: POD('a') }, { type: 'put', key: POD('z'), value: 'z1' }]);
    expect(describeStoreEvents(r.events)).toBe('DELETE a, PUT z=z1');
  });
});
