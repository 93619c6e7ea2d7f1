import type { KubeObject } from '../api/types';
import { SortedKeys } from '../sim/sorted-keys';

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
  /** index name => indexed value => the keys of the objects filed under it */
  private readonly indices = new Map<string, Map<string, IndexEntry>>();
  /** Every key, in order (merged at the next read after keys came or went). */
  private readonly sortedKeys = new SortedKeys();

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
      const index = new Map<string, IndexEntry>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) for (const value of indexers[name](obj)) fileUnder(index, value, key);
    }
  }

  /** Whether an index of that name exists. */
  hasIndex(name: string): boolean {
    return this.indexFuncs.has(name);
  }

  get(key: string): Readonly<T> | undefined {
    return this.items.get(key);
  }

  /** Every key, sorted. */
  keys(): string[] {
    return [...this.sortedKeys.all()];
  }

  /** Every object, sorted by key. */
  list(): Readonly<T>[] {
    return this.sortedKeys.all().map((key) => this.items.get(key)!);
  }

  /**
   * Adds or replaces the object under `key`, moving it between index values as needed. An
   * object that changes but stays filed where it was (a pod's status update) leaves the
   * indexes' sorted lists as they are.
   */
  set(key: string, obj: Readonly<T>): void {
    const old = this.items.get(key);
    if (old === undefined) this.sortedKeys.add(key);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexFuncs) {
      const index = this.indices.get(name)!;
      const before = old === undefined ? NO_VALUES : fn(old);
      const after = fn(obj);
      for (const value of before) if (!after.includes(value)) removeFrom(index, value, key);
      for (const value of after) if (!before.includes(value)) fileUnder(index, value, key);
    }
  }

  delete(key: string): void {
    const old = this.items.get(key);
    if (old === undefined) return;
    for (const [name, fn] of this.indexFuncs) for (const value of fn(old)) removeFrom(this.indices.get(name)!, value, key);
    this.items.delete(key);
    this.sortedKeys.remove(key);
  }

  /** The objects filed under `value` in the index `name`, sorted by key. */
  byIndex(name: string, value: string): Readonly<T>[] {
    return this.sortedIndexKeys(name, value).map((key) => this.items.get(key)!);
  }

  /** The keys filed under `value` in the index `name`, sorted. */
  indexKeys(name: string, value: string): string[] {
    return [...this.sortedIndexKeys(name, value)];
  }

  /** The sorted keys under one index value. */
  private sortedIndexKeys(name: string, value: string): readonly string[] {
    const index = this.indices.get(name);
    if (index === undefined) throw new Error(`index "${name}" does not exist`);
    const entry = index.get(value);
    if (entry === undefined) return NO_VALUES;
    return entry.sorted.all();
  }
}

/** The keys filed under one index value, and the same in order. */
interface IndexEntry {
  readonly keys: Set<string>;
  readonly sorted: SortedKeys;
}

const NO_VALUES: readonly string[] = [];

function fileUnder(index: Map<string, IndexEntry>, value: string, key: string): void {
  let entry = index.get(value);
  if (entry === undefined) index.set(value, (entry = { keys: new Set(), sorted: new SortedKeys() }));
  if (entry.keys.has(key)) return;
  entry.keys.add(key);
  entry.sorted.add(key);
}

function removeFrom(index: Map<string, IndexEntry>, value: string, key: string): void {
  const entry = index.get(value);
  if (entry === undefined || !entry.keys.delete(key)) return;
  entry.sorted.remove(key);
  if (entry.keys.size === 0) index.delete(value);
}
