import { describe, expect, it } from 'vitest';
import { keyRevisions } from './key-revisions';
import { MvccStore } from './mvcc-store';

describe('keyRevisions', () => {
  it('follows one key through puts, a write elsewhere, a delete and a new create', () => {
    const store = new MvccStore();
    const APP = '/registry/configmaps/default/app';
    const rows = [keyRevisions(store, APP)];
    store.put(APP, 'v1');
    store.put(APP, 'v2');
    store.put('/registry/configmaps/default/other', 'x');
    rows.push(keyRevisions(store, APP));
    store.delete(APP);
    rows.push(keyRevisions(store, APP));
    store.put(APP, 'v3');
    rows.push(keyRevisions(store, APP));
    expect(rows).toEqual([
      { 'store revision': 1, createRevision: '', modRevision: '', version: '', value: '(no such key)' },
      { 'store revision': 4, createRevision: 2, modRevision: 3, version: 2, value: 'v2' },
      { 'store revision': 5, createRevision: '', modRevision: '', version: '', value: '(no such key)' },
      { 'store revision': 6, createRevision: 6, modRevision: 6, version: 1, value: 'v3' },
    ]);
  });
});
