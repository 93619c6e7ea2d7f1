import type { KubeObject } from '../api/types';

/**
 * The informer's cache, like client-go's thread-safe store with indexers: objects by key
 * (`namespace/name`), plus named indexes that answer "which objects have this value?"
 * without scanning everything.
 *
 * An index is a function from an object to the values it is filed under. The `namespace`
 * index is always there; others are added by name:
 *
 *   const pods = new Indexer<Pod>({ byNode: (p) => (p.spec.nodeName ? [p.spec.nodeName] : []) });
 *   pods.set('default/web-1', web1);          // web1 runs on node-1
 *   pods.byIndex('byNode', 'node-1')          // => [web1]
 *   pods.byIndex('namespace', 'default')      // => [web1]
 *   pods.byIndex('byZone', 'a')               // => throws: index "byZone" does not exist
 *
 * Every answer is sorted by key, so the simulation stays deterministic. Cluster-scoped objects
 * are filed under the namespace "" (as client-go's MetaNamespaceIndexFunc does).
 */
export type IndexFunc<T extends KubeObject> = (obj: Readonly<T>) => string[];

export const NAMESPACE_INDEX = 'namespace';

export class Indexer<T extends KubeObject> {
  private readonly items = new Map<string, Readonly<T>>();
  private readonly indexFuncs = new Map<string, IndexFunc<T>>();
  /** index name => indexed value => keys of the objects filed under it */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Readonly<Record<string, IndexFunc<T>>> = {}) {
    this.addIndexers({ [NAMESPACE_INDEX]: (obj) => [obj.metadata.namespace ?? ''], ...indexers });
  }

  /**
   * Adds indexes, filing the objects already cached under them too.
   *   addIndexers({ byNode: ... })   // then byIndex('byNode', 'node-1') works
   *   addIndexers({ namespace: ... }) // => throws: index "namespace" already exists
   */
  addIndexers(indexers: Readonly<Record<string, IndexFunc<T>>>): void {
    for (const name of Object.keys(indexers)) {
      if (this.indexFuncs.has(name)) throw new Error(`index "${name}" already exists`);
      this.indexFuncs.set(name, indexers[name]);
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) fileUnder(index, indexers[name](obj), key);
    }
  }

  get(key: string): Readonly<T> | undefined {
    return this.items.get(key);
  }

  /** Every key, sorted. */
  keys(): string[] {
    return [...this.items.keys()].sort();
  }

  /** Every object, sorted by key. */
  list(): Readonly<T>[] {
    return this.keys().map((key) => this.items.get(key)!);
  }

  /** Adds or replaces the object under `key`, moving it between index values as needed. */
  set(key: string, obj: Readonly<T>): void {
    this.unindex(key);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexFuncs) fileUnder(this.indices.get(name)!, fn(obj), key);
  }

  delete(key: string): void {
    this.unindex(key);
    this.items.delete(key);
  }

  /** The objects filed under `value` in the index `name`, sorted by key. */
  byIndex(name: string, value: string): Readonly<T>[] {
    return this.indexKeys(name, value).map((key) => this.items.get(key)!);
  }

  /** The keys filed under `value` in the index `name`, sorted. */
  indexKeys(name: string, value: string): string[] {
    const index = this.indices.get(name);
    if (index === undefined) throw new Error(`index "${name}" does not exist`);
    return [...(index.get(value) ?? [])].sort();
  }

  private unindex(key: string): void {
    const old = this.items.get(key);
    if (old === undefined) return;
    for (const [name, fn] of this.indexFuncs) {
      const index = this.indices.get(name)!;
      for (const value of fn(old)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }
}

function fileUnder(index: Map<string, Set<string>>, values: string[], key: string): void {
  for (const value of values) {
    let keys = index.get(value);
    if (keys === undefined) {
      keys = new Set<string>();
      index.set(value, keys);
    }
    keys.add(key);
  }
}
