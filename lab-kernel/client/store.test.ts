import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { Indexer } from './store';

function pod(namespace: string, name: string, nodeName?: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name }, spec: { containers: [], nodeName } };
}

const byNode = (p: Readonly<Pod>) => (p.spec.nodeName ? [p.spec.nodeName] : []);

describe('Indexer (client-go thread-safe store with indexers)', () => {
  it('indexes by namespace out of the box', () => {
    const store = new Indexer<Pod>();
    store.set('default/a', pod('default', 'a'));
    store.set('kube-system/b', pod('kube-system', 'b'));
    expect(store.indexKeys('namespace', 'default')).toEqual(['default/a']);
  });

  it('indexes pods by node, and moves a pod between values when it is updated', () => {
    const store = new Indexer<Pod>({ byNode });
    store.set('default/b', pod('default', 'b', 'node-1'));
    store.set('default/a', pod('default', 'a', 'node-1'));
    store.set('default/c', pod('default', 'c'));
    expect(store.byIndex('byNode', 'node-1').map((p) => p.metadata.name)).toEqual(['a', 'b']);
    store.set('default/b', pod('default', 'b', 'node-2'));
    expect(store.indexKeys('byNode', 'node-1')).toEqual(['default/a']);
    expect(store.indexKeys('byNode', 'node-2')).toEqual(['default/b']);
    store.delete('default/a');
    expect(store.indexKeys('byNode', 'node-1')).toEqual([]);
  });

  it('answers in key order after keys come and go, and gives the newest object of a key that stayed', () => {
    const store = new Indexer<Pod>({ byNode });
    store.set('default/c', pod('default', 'c', 'node-1'));
    store.set('default/a', pod('default', 'a', 'node-1'));
    expect(store.indexKeys('byNode', 'node-1')).toEqual(['default/a', 'default/c']);
    store.set('default/b', pod('default', 'b', 'node-1'));
    store.set('default/a', { ...pod('default', 'a', 'node-1'), status: { phase: 'Running' } });
    expect(store.byIndex('byNode', 'node-1').map((p) => `${p.metadata.name} ${p.status?.phase ?? '-'}`)).toEqual(['a Running', 'b -', 'c -']);
    expect(store.list().map((p) => p.metadata.name)).toEqual(['a', 'b', 'c']);
    store.delete('default/b');
    store.indexKeys('byNode', 'node-1').push('default/z'); // a caller's copy: the store's order stays its own
    expect(store.keys()).toEqual(['default/a', 'default/c']);
    expect(store.indexKeys('byNode', 'node-1')).toEqual(['default/a', 'default/c']);
  });

  it('files objects already cached under an index added later', () => {
    const store = new Indexer<Pod>();
    store.set('default/a', pod('default', 'a', 'node-1'));
    store.addIndexers({ byNode });
    expect(store.indexKeys('byNode', 'node-1')).toEqual(['default/a']);
  });

  it('rejects an unknown or duplicate index name', () => {
    const store = new Indexer<Pod>({ byNode });
    expect(() => store.byIndex('byZone', 'a')).toThrow('index "byZone" does not exist');
    expect(() => store.addIndexers({ byNode })).toThrow('index "byNode" already exists');
  });

  it('do its lists stay sorted while objects come and go between reads?', () => {
    const store = new Indexer<Pod>({ byNode });
    const names = ['web-9', 'web-10', 'a', 'Z', 'web-1', 'db', 'web-2', 'ü', 'web-100'];
    const alive = new Set<string>();
    names.forEach((name, i) => {
      store.set(`default/${name}`, pod('default', name, 'node-1'));
      alive.add(`default/${name}`);
      if (i % 3 === 2) {
        const gone = [...alive][i % alive.size];
        store.delete(gone);
        alive.delete(gone);
      }
      const expected = [...alive].sort();
      expect(store.keys()).toEqual(expected);
      expect(store.indexKeys('byNode', 'node-1')).toEqual(expected);
      expect(store.byIndex('namespace', 'default').map((p) => `default/${p.metadata.name}`)).toEqual(expected);
    });
  });
});
