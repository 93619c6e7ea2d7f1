import { describe, expect, it } from 'vitest';
import { indexVersionAt } from './key-history';
import { MvccStore, type Compare, type StoreEvent, type TxnOp } from './mvcc-store';
import { StoreError } from './store-errors';
import type { ValueTransformer } from './value-transformer';
import type { VersionAt } from './version-at-contract';

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

  it('ranges in key order between writes: keys added after a range, compacted away, and created again each appear once', () => {
    const s = new MvccStore();
    const keys = () => s.range('/r/', { prefix: true }).kvs.map((kv) => kv.key);
    s.put('/r/c', '');
    s.put('/r/a', '');
    expect(keys()).toEqual(['/r/a', '/r/c']);
    s.put('/r/b', '');
    s.delete('/r/c');
    s.compact(s.revision);
    expect(keys()).toEqual(['/r/a', '/r/b']);
    s.put('/r/c', '');
    s.put('/r/0', '');
    expect(keys()).toEqual(['/r/0', '/r/a', '/r/b', '/r/c']);
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

describe('MvccStore: transactions (etcd Txn: compare, then one branch)', () => {
  /** /k created at revision 2 with 'v1', updated at 3 with 'v2': createRevision 2, modRevision 3, version 2. */
  function twoWrites() {
    const s = new MvccStore();
    s.put('/k', 'v1');
    s.put('/k', 'v2');
    return s;
  }

  it.each<[Compare['target'], Compare['op'], number | string, boolean]>([
    ['value', '=', 'v2', true],
    ['value', '=', 'v1', false],
    ['value', '!=', 'v1', true],
    ['value', '>', 'v1', true],
    ['value', '<', 'v1', false],
    ['version', '=', 2, true],
    ['version', '>', 1, true],
    ['version', '<', 2, false],
    ['createRevision', '=', 2, true],
    ['createRevision', '!=', 2, false],
    ['modRevision', '=', 3, true],
    ['modRevision', '<', 3, false],
    ['modRevision', '>', 2, true],
  ])('compares %s %s %j on an existing key => %s', (target, op, value, holds) => {
    const s = twoWrites();
    expect(s.txn([{ key: '/k', target, op, value }], [{ type: 'range', key: '/k' }]).succeeded).toBe(holds);
  });

  it.each<[Compare['target'], Compare['op'], number | string, boolean]>([
    ['createRevision', '=', 0, true],
    ['modRevision', '=', 0, true],
    ['version', '=', 0, true],
    ['version', '>', 0, false],
    ['value', '=', '', false],
    ['value', '!=', 'anything', false],
  ])('compares %s %s %j on a missing key => %s (a missing key has revisions and version 0; a value comparison always fails)', (target, op, value, holds) => {
    const s = new MvccStore();
    expect(s.txn([{ key: '/missing', target, op, value }], []).succeeded).toBe(holds);
  });

  it('runs the failure branch when a comparison fails, at a new revision', () => {
    const s = twoWrites();
    const r = s.txn([{ key: '/k', target: 'value', op: '=', value: 'v1' }], [{ type: 'put', key: '/k', value: 'won' }], [{ type: 'put', key: '/lost', value: 'x' }]);
    expect(r).toMatchObject({ succeeded: false, revision: 4 });
    expect(s.get('/k')?.value).toBe('v2');
    expect(s.get('/lost')?.value).toBe('x');
  });

  it('answers range operations in the branch, in order, each seeing the writes made before it', () => {
    const s = new MvccStore();
    s.put('/p/a', '1');
    const r = s.txn(
      [],
      [
        { type: 'range', key: '/p/', prefix: true },
        { type: 'put', key: '/p/b', value: '2' },
        { type: 'delete', key: '/p/a' },
        { type: 'range', key: '/p/', prefix: true },
        { type: 'delete', key: '/p/none' },
      ],
    );
    expect(r.revision).toBe(3);
    expect(r.responses).toEqual([
      { type: 'range', kvs: [{ key: '/p/a', value: '1', createRevision: 2, modRevision: 2, version: 1 }] },
      { type: 'put' },
      { type: 'delete', deleted: 1 },
      { type: 'range', kvs: [{ key: '/p/b', value: '2', createRevision: 3, modRevision: 3, version: 1 }] },
      { type: 'delete', deleted: 0 },
    ]);
  });

  it.each<[string, TxnOp[]]>([
    ['two puts', [{ type: 'put', key: '/k', value: '1' }, { type: 'put', key: '/k', value: '2' }]],
    ['a put and a delete', [{ type: 'put', key: '/k', value: '1' }, { type: 'delete', key: '/k' }]],
    ['a delete and a put', [{ type: 'delete', key: '/k' }, { type: 'put', key: '/k', value: '1' }]],
  ])('rejects a branch with %s on one key: etcdserver: duplicate key given in txn request', (_what, ops) => {
    const s = new MvccStore();
    expect(() => s.txn([], ops)).toThrow(new StoreError('duplicate-key', 'etcdserver: duplicate key given in txn request'));
    expect(() => s.txn([{ key: '/x', target: 'version', op: '=', value: 1 }], [], ops), 'the failure branch is checked too').toThrow(/duplicate key/);
    expect(s.revision).toBe(1);
  });

  it('allows two deletes of one key, and a range next to a write', () => {
    const s = new MvccStore();
    s.put('/k', 'v');
    const r = s.txn([], [{ type: 'delete', key: '/k' }, { type: 'delete', key: '/k' }, { type: 'range', key: '/k' }]);
    expect(r.responses).toEqual([{ type: 'delete', deleted: 1 }, { type: 'delete', deleted: 0 }, { type: 'range', kvs: [] }]);
  });

  it('does not bump the revision for a transaction that changes nothing (a read, a delete of a missing key)', () => {
    const s = new MvccStore();
    s.put('/k', 'v');
    expect(s.txn([], [{ type: 'range', key: '/k' }]).revision).toBe(2);
    expect(s.delete('/missing')).toMatchObject({ revision: 2, events: [] });
    expect(s.revision).toBe(2);
  });

  it('reports the previous value on PUT and DELETE events (prevKv)', () => {
    const s = new MvccStore();
    expect(s.put('/k', 'a').events[0]).toEqual({ type: 'PUT', kv: { key: '/k', value: 'a', createRevision: 2, modRevision: 2, version: 1 } });
    expect(s.put('/k', 'b').events[0].prevKv?.value).toBe('a');
    expect(s.delete('/k').events[0]).toEqual({
      type: 'DELETE',
      kv: { key: '/k', value: '', createRevision: 0, modRevision: 4, version: 0 },
      prevKv: { key: '/k', value: 'b', createRevision: 2, modRevision: 3, version: 2 },
    });
  });

  it('reads at revision 0 as now, like etcd', () => {
    const s = new MvccStore();
    s.put('/k', 'a');
    expect(s.get('/k', { revision: 0 })?.value).toBe('a');
  });
});

describe('MvccStore: compaction (etcd Compact)', () => {
  /** /k: put 2, put 3, delete 4, put 5; /gone: put 6, delete 7; /live: put 8. Revision 8. */
  function history() {
    const s = new MvccStore();
    s.put('/k', 'a');
    s.put('/k', 'b');
    s.delete('/k');
    s.put('/k', 'c');
    s.put('/gone', 'x');
    s.delete('/gone');
    s.put('/live', 'y');
    return s;
  }

  it('starts with compactRevision 0 and reports the last compaction', () => {
    const s = history();
    expect(s.compactRevision).toBe(0);
    s.compact(3);
    s.compact(6);
    expect(s.compactRevision).toBe(6);
  });

  it('keeps what a read at the compact revision sees, and everything after', () => {
    const s = history();
    s.compact(6);
    expect(s.range('/', { prefix: true, revision: 6 }).kvs.map((kv) => `${kv.key}=${kv.value}`)).toEqual(['/gone=x', '/k=c']);
    expect(s.range('/', { prefix: true, revision: 7 }).kvs.map((kv) => kv.key)).toEqual(['/k']);
    expect(s.range('/', { prefix: true }).kvs.map((kv) => kv.key)).toEqual(['/k', '/live']);
  });

  it.each([1, 3, 5])('fails a read at revision %i, below the compact revision 6: etcdserver: mvcc: required revision has been compacted', (at) => {
    const s = history();
    s.compact(6);
    let err: unknown;
    try {
      s.get('/k', { revision: at });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: 'compacted', message: 'etcdserver: mvcc: required revision has been compacted', compactRevision: 6 });
  });

  it('fails a read beyond the current revision: etcdserver: mvcc: required revision is a future revision', () => {
    const s = history();
    expect(() => s.get('/k', { revision: 9 })).toThrow(new StoreError('future-revision', 'etcdserver: mvcc: required revision is a future revision'));
  });

  it.each<[string, number, string]>([
    ['at the compact revision', 6, 'etcdserver: mvcc: required revision has been compacted'],
    ['below the compact revision', 2, 'etcdserver: mvcc: required revision has been compacted'],
    ['beyond the current revision', 9, 'etcdserver: mvcc: required revision is a future revision'],
  ])('refuses to compact %s', (_where, at, message) => {
    const s = history();
    s.compact(6);
    expect(() => s.compact(at)).toThrow(message);
    expect(s.compactRevision).toBe(6);
  });

  it('hands the VersionAt function each key’s compacted history (a key deleted before the compact revision is gone)', () => {
    const seen = new Map<string, number[]>();
    const spy: VersionAt = (history, revision) => {
      seen.set(`${revision}`, history.map((r) => r.modRevision));
      return indexVersionAt(history, revision);
    };
    const s = new MvccStore({ versionAt: spy });
    s.put('/k', 'a');
    s.put('/k', 'b');
    s.delete('/k');
    s.put('/k', 'c');
    s.put('/gone', 'x');
    s.delete('/gone');
    s.put('/live', 'y');
    s.compact(3);
    seen.clear();
    s.get('/k', { revision: 3 });
    expect(seen.get('3')).toEqual([3, 4, 5]);
    s.compact(8);
    seen.clear();
    expect(s.get('/gone', { revision: 8 })).toBeUndefined();
    expect(seen.size, 'a key whose tombstone is older than the compact revision is no longer in the index').toBe(0);
  });
});

describe('MvccStore: the VersionAt function decides what reads see', () => {
  it('asks it once per key read, for gets, ranges and the keys a transaction compares or writes', () => {
    const calls: string[] = [];
    const s = new MvccStore({
      versionAt: (history, revision) => {
        calls.push(`${revision}:${history.length}`);
        return indexVersionAt(history, revision);
      },
    });
    s.put('/a', '1'); // /a has no history yet: nothing to ask
    s.put('/a', '2'); // the current version of /a, at revision 2
    s.put('/b', '1');
    calls.length = 0;
    s.range('/', { prefix: true, revision: 3 });
    expect(calls).toEqual(['3:2', '3:1']);
    calls.length = 0;
    s.txn([{ key: '/a', target: 'version', op: '=', value: 2 }], [{ type: 'put', key: '/b', value: '2' }]);
    expect(calls).toEqual(['4:2', '4:1']);
  });

  // /k: put at 2, deleted at 3.
  it.each<[string, VersionAt, number, RegExp]>([
    ['a tombstone', (h) => h[h.length - 1], 3, /returned the tombstone written at 3: a deleted key is not visible/],
    ['a version not in the history', () => ({ modRevision: 99, createRevision: 2, version: 1 }), 3, /returned a version at revision 99, which is not in the history/],
    ['a version written after the revision read', (h) => h[1], 2, /returned the version written at 3, after the revision read/],
  ])('reports a VersionAt function that returns %s', (_what, versionAt, at, message) => {
    const s = new MvccStore({ versionAt: (h, r) => (h.length < 2 ? indexVersionAt(h, r) : versionAt(h, r)) });
    s.put('/k', 'v');
    s.delete('/k');
    expect(() => s.get('/k', { revision: at })).toThrow(message);
  });
});

describe('MvccStore: the value transformer (encryption at rest)', () => {
  /** A stand-in for encryption: reversible, visibly different, with a k8s:enc-style prefix. */
  const reversing: ValueTransformer = {
    toStorage: (key, plaintext) => `k8s:enc:reverse:v1:${key}:${[...plaintext].reverse().join('')}`,
    fromStorage: (key, stored) => {
      const prefix = `k8s:enc:reverse:v1:${key}:`;
      if (!stored.startsWith(prefix)) throw new Error(`not encrypted for ${key}: ${stored}`);
      return [...stored.slice(prefix.length)].reverse().join('');
    },
  };

  it('stores values through toStorage; rawRange shows what is really stored', () => {
    const s = new MvccStore({ transformer: reversing });
    s.put('/registry/secrets/default/db', 'hunter2');
    expect(s.rawRange('/registry/secrets/', { prefix: true }).kvs.map((kv) => kv.value)).toEqual(['k8s:enc:reverse:v1:/registry/secrets/default/db:2retnuh']);
  });

  it('hands values out through fromStorage: get, range, transaction ranges, events, watches', () => {
    const s = new MvccStore({ transformer: reversing });
    const watched: string[] = [];
    s.watch('/s/', { prefix: true }, (events) => events.forEach((e) => watched.push(`${e.type} ${e.kv.value} (was ${e.prevKv?.value ?? '-'})`)));
    s.put('/s/a', 'one');
    const put = s.put('/s/a', 'two');
    expect(put.events[0].kv.value).toBe('two');
    expect(put.events[0].prevKv?.value).toBe('one');
    expect(s.get('/s/a')?.value).toBe('two');
    expect(s.get('/s/a', { revision: 2 })?.value).toBe('one');
    expect(s.txn([], [{ type: 'range', key: '/s/', prefix: true }]).responses).toEqual([{ type: 'range', kvs: [expect.objectContaining({ value: 'two' })] }]);
    s.delete('/s/a');
    expect(watched).toEqual(['PUT one (was -)', 'PUT two (was one)', 'DELETE  (was two)']);
    const replayed: string[] = [];
    s.watch('/s/', { prefix: true, fromRevision: 2 }, (events) => events.forEach((e) => replayed.push(e.kv.value)));
    expect(replayed).toEqual(['one', 'two', '']);
  });

  it('compares values as plaintext', () => {
    const s = new MvccStore({ transformer: reversing });
    s.put('/k', 'abc');
    expect(s.txn([{ key: '/k', target: 'value', op: '=', value: 'abc' }], []).succeeded).toBe(true);
  });
});
