/**
 * Grader suite for exercise `mvcc-read` (exercises/store/version-at.ts).
 *
 * The lookup on table cases from etcd's documented behaviour (its key index: versions,
 * tombstones, a key created again, compaction), then the real store serving every read
 * through the learner's function, and an API server on top of that store.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../lab-kernel/api/types';
import { ApiServer } from '../../lab-kernel/apiserver/api-server';
import type { ApiRequest, ApiResponse } from '../../lab-kernel/api/request';
import { LocalEtcd } from '../../lab-kernel/etcd/storage';
import { Network } from '../../lab-kernel/sim/network';
import { Simulation } from '../../lab-kernel/sim/simulation';
import { MvccStore } from '../../lab-kernel/store/mvcc-store';
import type { KeyRevision } from '../../lab-kernel/store/version-at-contract';
import { SEED, slotUnderTest } from '../harness';

const versionAt = slotUnderTest('mvcc-read');

/**
 * A key's history from the revisions of its writes, 't' marking a delete:
 *   history('2 5 7t 9') => created at 2, updated at 5, deleted at 7, created again at 9.
 */
function history(spec: string): KeyRevision[] {
  const out: KeyRevision[] = [];
  let created = 0;
  let version = 0;
  for (const token of spec.split(' ')) {
    const modRevision = Number.parseInt(token, 10);
    if (token.endsWith('t')) {
      out.push({ modRevision, createRevision: 0, version: 0 });
      created = 0;
      version = 0;
    } else {
      if (version === 0) created = modRevision;
      out.push({ modRevision, createRevision: created, version: ++version });
    }
  }
  return out;
}

/** The modRevision of the version seen, or null. */
const seenAt = (h: KeyRevision[], revision: number) => versionAt(h, revision)?.modRevision ?? null;

describe('Parts 1-3: the version a read at revision r sees', () => {
  const app = history('2 5 7t 9');

  it.each<[string, number, number | null]>([
    ['the version written at exactly r', 5, 5],
    ['the latest version written before r', 6, 5],
    ['the first version, between the first two writes', 4, 2],
    ['nothing before the key was created', 1, null],
    ['nothing at the revision of its delete: the tombstone hides the key', 7, null],
    ['nothing after the delete, until the key is created again', 8, null],
    ['the key again once it is created again', 9, 9],
    ['the newest version for a revision long after the last write', 40, 9],
  ])('sees %s (history 2 5 7t 9, revision %i => %s)', (_what, revision, expected) => {
    expect(seenAt(app, revision)).toBe(expected);
  });

  it('returns the version as it is in the history: its modRevision, createRevision and version', () => {
    expect(versionAt(app, 6)).toEqual({ modRevision: 5, createRevision: 2, version: 2 });
    expect(versionAt(app, 12), 'after being created again, the key has a new createRevision and version 1').toEqual({ modRevision: 9, createRevision: 9, version: 1 });
  });

  it.each<[string, string, Array<[number, number | null]>]>([
    ['a key written once', '3', [[2, null], [3, 3], [10, 3]]],
    ['a key deleted and never created again', '2 4t', [[3, 2], [4, null], [50, null]]],
    ['a key deleted twice', '2 3t 5 6t 8', [[2, 2], [3, null], [4, null], [5, 5], [7, null], [8, 8]]],
  ])('handles %s (history %s)', (_what, spec, reads) => {
    const h = history(spec);
    for (const [revision, expected] of reads) expect(seenAt(h, revision), `revision ${revision}`).toBe(expected);
  });

  // etcd's key index example (server/storage/mvcc/key_index.go): put 1, put 2, delete 3, put 4,
  // delete 5, then compact at 2, 4 and 5. A compacted history keeps the latest version at or
  // before the compact revision, and everything after; reads below it never reach the lookup.
  it.each<[number, KeyRevision[], Array<[number, number | null]>]>([
    [2, history('1 2 3t 4 5t').slice(1), [[2, 2], [3, null], [4, 4], [5, null], [9, null]]],
    [4, history('1 2 3t 4 5t').slice(3), [[4, 4], [5, null]]],
    [5, history('1 2 3t 4 5t').slice(4), [[5, null], [6, null]]],
  ])('reads a history compacted at %i (etcd’s key index example)', (_compactedAt, h, reads) => {
    for (const [revision, expected] of reads) expect(seenAt(h, revision), `revision ${revision}`).toBe(expected);
  });

  it('reads a compacted history that no longer starts with the creation', () => {
    const full = history('2 3 4 5 6');
    expect(versionAt(full.slice(2), 5)).toEqual({ modRevision: 5, createRevision: 2, version: 4 });
  });

  it('finds the right version in a long history (20 000 versions)', () => {
    const long = history(Array.from({ length: 20_000 }, (_, i) => String(2 * i + 2)).join(' '));
    for (const [revision, expected] of [[1, null], [2, 2], [3, 2], [9_999, 9_998], [20_000, 20_000], [40_000, 40_000], [99_999, 40_000]] as const) {
      expect(seenAt(long, revision), `revision ${revision}`).toBe(expected);
    }
  });
});

describe(`Your lookup serving a real etcd store (seed ${SEED})`, () => {
  const store = () => new MvccStore({ versionAt });
  const values = (s: MvccStore, revision?: number) => s.range('/registry/', { prefix: true, revision }).kvs.map((kv) => `${kv.key.split('/').pop()}=${kv.value}`);

  it('serves gets and ranges, now and at past revisions', () => {
    const s = store();
    s.put('/registry/configmaps/default/a', 'a1');
    s.put('/registry/configmaps/default/b', 'b1');
    s.put('/registry/configmaps/default/a', 'a2');
    s.delete('/registry/configmaps/default/b');
    s.put('/registry/configmaps/default/c', 'c1');
    expect(s.get('/registry/configmaps/default/a')?.value).toBe('a2');
    expect(values(s, 3)).toEqual(['a=a1', 'b=b1']);
    expect(values(s, 4)).toEqual(['a=a2', 'b=b1']);
    expect(values(s, 5)).toEqual(['a=a2']);
    expect(values(s)).toEqual(['a=a2', 'c=c1']);
  });

  it('keeps version and createRevision right across a delete and a re-create (each write reads the current version through your lookup)', () => {
    const s = store();
    const key = '/registry/configmaps/default/app';
    s.put(key, 'one');
    s.put(key, 'two');
    s.delete(key);
    s.put(key, 'three');
    s.put(key, 'four');
    expect(s.get(key)).toEqual({ key, value: 'four', createRevision: 5, modRevision: 6, version: 2 });
    expect(s.get(key, { revision: 3 })).toEqual({ key, value: 'two', createRevision: 2, modRevision: 3, version: 2 });
  });

  it('keeps compare-and-swap working: a write based on a stale read loses', () => {
    const s = store();
    const key = '/registry/configmaps/default/app';
    s.put(key, 'v1');
    const read = s.get(key)!;
    s.put(key, 'v2 by someone else');
    const mine = s.txn([{ key, target: 'modRevision', op: '=', value: read.modRevision }], [{ type: 'put', key, value: 'v2 by me' }]);
    expect(mine.succeeded, 'the compare must see the current modRevision').toBe(false);
    expect(s.get(key)?.value).toBe('v2 by someone else');
  });

  it('still serves reads at the compact revision after a compaction', () => {
    const s = store();
    for (let i = 1; i <= 5; i++) s.put('/registry/configmaps/default/a', `a${i}`);
    s.put('/registry/configmaps/default/b', 'b1');
    s.delete('/registry/configmaps/default/b');
    s.compact(4);
    expect(values(s, 4)).toEqual(['a=a3']);
    expect(values(s, 7)).toEqual(['a=a5', 'b=b1']);
    expect(values(s)).toEqual(['a=a5']);
  });

  it('no longer shows the keys of a revoked lease', () => {
    const s = store();
    const { id } = s.leaseGrant(60, 0);
    s.put('/registry/events/default/web.1', 'scheduled', { lease: id });
    s.put('/registry/events/default/web.1', 'pulled', { lease: id });
    s.leaseRevoke(id);
    expect(values(s)).toEqual([]);
    expect(values(s, 3)).toEqual(['web.1=pulled']);
  });

  it('runs an API server: create, get, and an update from a stale resourceVersion is a 409 Conflict', () => {
    const sim = new Simulation({ seed: SEED });
    const s = store();
    const api = new ApiServer(sim, new Network(sim), new LocalEtcd(sim, s, 'kube-apiserver'));
    api.bootstrap();
    expect(s.get('/registry/namespaces/default'), 'the API server stored the default namespace in etcd').toBeDefined();
    const call = (req: ApiRequest): ApiResponse => {
      let res: ApiResponse | undefined;
      api.serve('grader', req, (r) => (res = r));
      return res!;
    };
    const pod = (tier: string, resourceVersion?: string): Pod => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', labels: { tier }, ...(resourceVersion ? { resourceVersion } : {}) },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
    });
    const created = call({ verb: 'create', resource: 'pods', namespace: 'default', body: pod('a') });
    expect(created.code, JSON.stringify(created.body)).toBe(201);
    const rv = (created.body as Pod).metadata.resourceVersion!;
    const updated = call({ verb: 'update', resource: 'pods', namespace: 'default', name: 'web', body: pod('b', rv) });
    expect(updated.code, JSON.stringify(updated.body)).toBe(200);
    const stale = call({ verb: 'update', resource: 'pods', namespace: 'default', name: 'web', body: pod('c', rv) });
    expect(stale.code, 'an update carrying the old resourceVersion must conflict').toBe(409);
    const got = call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'web' });
    expect((got.body as Pod).metadata.labels).toEqual({ tier: 'b' });
  });
});
