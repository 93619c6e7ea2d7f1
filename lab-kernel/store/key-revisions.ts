import type { MvccStore } from './mvcc-store';

/**
 * One key's bookkeeping as a table row: the store's revision, then the key's three numbers and
 * its value (blank numbers and '(no such key)' when it does not exist now).
 *
 *   const store = new MvccStore();
 *   store.put('/app', 'v1'); store.put('/app', 'v2');
 *   keyRevisions(store, '/app')
 *   // => { 'store revision': 3, createRevision: 2, modRevision: 3, version: 2, value: 'v2' }
 */
export interface KeyRevisionsRow {
  'store revision': number;
  createRevision: number | '';
  modRevision: number | '';
  version: number | '';
  value: string;
}

export function keyRevisions(store: MvccStore, key: string): KeyRevisionsRow {
  const kv = store.get(key);
  return {
    'store revision': store.revision,
    createRevision: kv?.createRevision ?? '',
    modRevision: kv?.modRevision ?? '',
    version: kv?.version ?? '',
    value: kv?.value ?? '(no such key)',
  };
}
