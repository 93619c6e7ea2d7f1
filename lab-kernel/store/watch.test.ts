import { describe, expect, it } from 'vitest';
import { MvccStore, type StoreEvent } from './mvcc-store';
import { StoreError } from './store-errors';

/** Records what a watcher hears, one line per call: '5: PUT /a, DELETE /b' or '7: progress'. */
function recorder() {
  const calls: string[] = [];
  const listener = (events: StoreEvent[], revision: number) =>
    calls.push(events.length === 0 ? `${revision}: progress` : `${revision}: ${events.map((e) => `${e.type} ${e.kv.key}`).join(', ')}`);
  return { calls, listener };
}

describe('MvccStore.watch: etcd watch semantics', () => {
  it('delivers the events of one transaction in one call, never split across a revision', () => {
    const s = new MvccStore();
    const { calls, listener } = recorder();
    s.watch('/p/', { prefix: true }, listener);
    s.txn([], [{ type: 'put', key: '/p/a', value: '' }, { type: 'put', key: '/q', value: '' }, { type: 'put', key: '/p/b', value: '' }]);
    expect(calls).toEqual(['2: PUT /p/a, PUT /p/b']);
  });

  it.each<[string, boolean, string[]]>([
    ['/a', false, ['2: PUT /a', '5: DELETE /a']],
    ['/a', true, ['2: PUT /a', '3: PUT /ab', '4: PUT /a/b', '5: DELETE /a']],
    ['/a/', true, ['4: PUT /a/b']],
  ])('watching %s (prefix: %s) sees only its keys', (key, prefix, expected) => {
    const s = new MvccStore();
    const { calls, listener } = recorder();
    s.watch(key, { prefix }, listener);
    s.put('/a', '');
    s.put('/ab', '');
    s.put('/a/b', '');
    s.delete('/a');
    s.put('/b', '');
    expect(calls).toEqual(expected);
  });

  it('keeps every watcher in revision order, even when a listener writes to the store', () => {
    const s = new MvccStore();
    const first = recorder();
    const second = recorder();
    s.watch('/', { prefix: true }, (events, rev) => {
      first.listener(events, rev);
      if (events[0].kv.key === '/trigger') s.put('/reaction', '');
    });
    s.watch('/', { prefix: true }, second.listener);
    s.put('/trigger', '');
    expect(first.calls).toEqual(['2: PUT /trigger', '3: PUT /reaction']);
    expect(second.calls).toEqual(['2: PUT /trigger', '3: PUT /reaction']);
  });

  it('replays from a past revision, then follows, with no revision twice', () => {
    const s = new MvccStore();
    s.put('/a', '1');
    s.put('/a', '2');
    const { calls, listener } = recorder();
    s.watch('/a', { fromRevision: 3 }, listener);
    s.put('/a', '3');
    expect(calls).toEqual(['3: PUT /a', '4: PUT /a']);
  });

  it('resumes: a watcher that reconnects from its last revision + 1 gets exactly the rest', () => {
    const s = new MvccStore();
    const all = recorder();
    s.watch('/', { prefix: true, fromRevision: 1 }, all.listener);
    const seen: string[] = [];
    let last = 0;
    const connect = () =>
      s.watch('/', { prefix: true, fromRevision: last + 1 }, (events, rev) => {
        seen.push(`${rev}: ${events.map((e) => `${e.type} ${e.kv.key}`).join(', ')}`);
        last = rev;
      });
    let stop = connect();
    for (let i = 0; i < 12; i++) {
      if (i % 4 === 3) {
        stop(); // the connection drops; writes go on meanwhile
        s.put(`/missed-${i}`, '');
        stop = connect();
      }
      s.txn([], [{ type: 'put', key: `/k${i}`, value: '' }, { type: 'put', key: `/j${i}`, value: '' }]);
    }
    s.delete('/k0');
    expect(seen).toEqual(all.calls);
    expect(seen).toHaveLength(16);
  });

  it('waits for a start revision in the future', () => {
    const s = new MvccStore();
    const { calls, listener } = recorder();
    s.watch('/a', { fromRevision: 3 }, listener);
    s.put('/a', 'at 2');
    s.put('/a', 'at 3');
    expect(calls).toEqual(['3: PUT /a']);
  });

  it('fails a watch from below the compact revision with the compaction error, reporting the compact revision (the client must relist)', () => {
    const s = new MvccStore();
    for (let i = 0; i < 5; i++) s.put('/a', String(i));
    s.compact(4);
    let err: unknown;
    try {
      s.watch('/a', { fromRevision: 3 }, () => {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: 'compacted', message: 'etcdserver: mvcc: required revision has been compacted', compactRevision: 4 });
  });

  it('replays from exactly the compact revision: its events are kept', () => {
    const s = new MvccStore();
    s.put('/a', '');
    s.txn([], [{ type: 'put', key: '/b', value: '' }, { type: 'delete', key: '/a' }]);
    s.put('/c', '');
    s.compact(3);
    const { calls, listener } = recorder();
    s.watch('/', { prefix: true, fromRevision: 3 }, listener);
    expect(calls).toEqual(['3: PUT /b, DELETE /a', '4: PUT /c']);
  });

  it('sends progress notifications on request: no events, the current revision (a bookmark)', () => {
    const s = new MvccStore();
    const quiet = recorder();
    const busy = recorder();
    s.watch('/quiet', {}, quiet.listener);
    s.watch('/busy', {}, busy.listener);
    s.put('/busy', '');
    s.put('/busy', '');
    s.requestProgress();
    expect(quiet.calls).toEqual(['3: progress']);
    expect(busy.calls).toEqual(['2: PUT /busy', '3: PUT /busy', '3: progress']);
  });

  it('sends no progress notification to a watch that starts beyond the next revision', () => {
    const s = new MvccStore();
    const { calls, listener } = recorder();
    s.watch('/a', { fromRevision: 5 }, listener);
    s.requestProgress();
    expect(calls).toEqual([]);
  });

  it('sends a progress notification only after every event it covers, even when asked from inside a listener', () => {
    const s = new MvccStore();
    const first = recorder();
    const second = recorder();
    s.watch('/', { prefix: true }, (events, rev) => {
      first.listener(events, rev);
      if (events.length > 0) s.requestProgress();
    });
    s.watch('/', { prefix: true }, second.listener);
    s.put('/a', '');
    expect(second.calls).toEqual(['2: PUT /a', '2: progress']);
  });

  it('stops delivering once the watch is cancelled, even deliveries already queued', () => {
    const s = new MvccStore();
    const { calls, listener } = recorder();
    let stopSecond = () => {};
    s.watch('/', { prefix: true }, () => stopSecond());
    stopSecond = s.watch('/', { prefix: true }, listener);
    s.put('/a', '');
    s.put('/b', '');
    expect(calls).toEqual([]);
  });
});
