import { describe, expect, it } from 'vitest';
import { MvccStore, type StoreEvent } from './mvcc-store';

describe('MvccStore', () => {
  it('starts at revision 1 and bumps one revision per write, like etcd', () => {
    const s = new MvccStore();
    expect(s.revision).toBe(1);
    expect(s.put('/a', '1').revision).toBe(2);
    expect(s.put('/b', '1').revision).toBe(3);
  });

  it('tracks createRevision, modRevision and version per key', () => {
    const s = new MvccStore();
    s.put('/k', 'v1');
    s.put('/other', 'x');
    s.put('/k', 'v2');
    expect(s.get('/k')).toEqual({ key: '/k', value: 'v2', createRevision: 2, modRevision: 4, version: 2 });
  });

  it('reads the past: range at an old revision', () => {
    const s = new MvccStore();
    s.put('/k', 'v1');
    s.put('/k', 'v2');
    s.delete('/k');
    expect(s.get('/k', { revision: 2 })?.value).toBe('v1');
    expect(s.get('/k', { revision: 3 })?.value).toBe('v2');
    expect(s.get('/k')).toBeUndefined();
    expect(() => s.get('/k', { revision: 99 })).toThrow(/future revision/);
  });

  it('restarts version at 1 when a deleted key is created again', () => {
    const s = new MvccStore();
    s.put('/k', 'a');
    s.delete('/k');
    s.put('/k', 'b');
    expect(s.get('/k')).toMatchObject({ version: 1, createRevision: 4 });
  });

  it('ranges over a prefix in key order', () => {
    const s = new MvccStore();
    s.put('/registry/pods/default/b', '');
    s.put('/registry/pods/default/a', '');
    s.put('/registry/podsx', '');
    expect(s.range('/registry/pods/', { prefix: true }).kvs.map((kv) => kv.key)).toEqual(['/registry/pods/default/a', '/registry/pods/default/b']);
  });

  it('runs a transaction only when its comparisons hold (compare-and-swap)', () => {
    const s = new MvccStore();
    s.put('/k', 'v1');
    const stale = s.txn([{ key: '/k', target: 'modRevision', op: '=', value: 1 }], [{ type: 'put', key: '/k', value: 'lost' }]);
    expect(stale.succeeded).toBe(false);
    expect(stale.revision).toBe(2);
    const fresh = s.txn([{ key: '/k', target: 'modRevision', op: '=', value: 2 }], [{ type: 'put', key: '/k', value: 'won' }]);
    expect(fresh).toMatchObject({ succeeded: true, revision: 3 });
    const create = s.txn([{ key: '/new', target: 'createRevision', op: '=', value: 0 }], [{ type: 'put', key: '/new', value: '' }]);
    expect(create.succeeded).toBe(true);
  });

  it('gives all writes of one transaction the same revision', () => {
    const s = new MvccStore();
    const r = s.txn([], [{ type: 'put', key: '/a', value: '' }, { type: 'put', key: '/b', value: '' }]);
    expect(r.events.map((e) => e.kv.modRevision)).toEqual([2, 2]);
  });

  it('watches from a past revision: replays history, then follows, one batch per revision', () => {
    const s = new MvccStore();
    s.put('/p/a', '1');
    s.put('/q', 'ignored');
    s.txn([], [{ type: 'put', key: '/p/b', value: '2' }, { type: 'put', key: '/p/c', value: '3' }]);
    const batches: Array<[number, string[]]> = [];
    s.watch('/p/', { prefix: true, fromRevision: 2 }, (events: StoreEvent[], rev) => batches.push([rev, events.map((e) => `${e.type} ${e.kv.key}`)]));
    s.delete('/p/a');
    expect(batches).toEqual([
      [2, ['PUT /p/a']],
      [4, ['PUT /p/b', 'PUT /p/c']],
      [5, ['DELETE /p/a']],
    ]);
  });

  it('stops notifying after the watch is cancelled', () => {
    const s = new MvccStore();
    let n = 0;
    const stop = s.watch('/k', {}, () => n++);
    s.put('/k', '1');
    stop();
    s.put('/k', '2');
    expect(n).toBe(1);
  });
});
