import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { pagedList } from './list-pages';

describe('pagedList', () => {
  it('reads a list page by page with the continue token: one snapshot, whatever is created in between', () => {
    const cluster = createCluster({ seed: 1 });
    const create = (name: string) => cluster.kubectl.request({ verb: 'create', resource: 'configmaps', namespace: 'pages', body: { metadata: { name } } });
    cluster.kubectl.request({ verb: 'create', resource: 'namespaces', body: { metadata: { name: 'pages' } } });
    for (const name of ['a', 'b', 'c', 'd', 'e']) create(name);
    const rows = pagedList(cluster.kubectl, { verb: 'list', resource: 'configmaps', namespace: 'pages', limit: 2 }, (page) => page === 1 && create('f'));
    expect(rows.map((r) => `${r.page}: ${r.items} (${r.remainingItemCount})`)).toEqual(['1: a, b (3)', '2: c, d (1)', '3: e ()']);
    expect(new Set(rows.map((r) => r['list resourceVersion'])).size).toBe(1);
    expect(rows[0].continue).toMatch(/^.{16}…$/);
    expect(rows[2].continue).toBe('(none: last page)');
  });
});
