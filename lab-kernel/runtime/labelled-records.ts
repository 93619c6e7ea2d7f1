/**
 * The runtime's sandboxes or containers by id, and also by label, so that a list filtered by a
 * label (the kubelet asks for one pod's: `io.kubernetes.pod.uid=a1b2`, at every look at that
 * pod) reads that pod's records instead of every record on the node. Iteration and the lists
 * keep the order the records were added in, as a Map's do (an id is added once).
 *
 *   const records = new LabelledRecords<C>((c) => c.config.labels);
 *   records.set('c1', web); records.set('c2', db); records.set('c3', webSidecar);
 *   records.withLabels([['app', 'web']])     // => [web, webSidecar]
 *   records.withLabels([])                   // => [web, db, webSidecar] (every record)
 */
export class LabelledRecords<R> extends Map<string, R> {
  /** 'key=value' => ids of the records with that label, in creation order. */
  private readonly byLabel = new Map<string, Set<string>>();

  constructor(private readonly labelsOf: (record: R) => Readonly<Record<string, string>> | undefined) {
    super();
  }

  /** Adds a record under a new id (ids are never reused: a record is never replaced). */
  override set(id: string, record: R): this {
    if (super.has(id)) throw new Error(`record ${id} exists already`);
    super.set(id, record);
    for (const [k, v] of Object.entries(this.labelsOf(record) ?? {})) {
      const label = `${k}=${v}`;
      let ids = this.byLabel.get(label);
      if (ids === undefined) this.byLabel.set(label, (ids = new Set()));
      ids.add(id);
    }
    return this;
  }

  override delete(id: string): boolean {
    const old = super.get(id);
    if (old === undefined) return false;
    this.unindex(id, old);
    return super.delete(id);
  }

  override clear(): void {
    this.byLabel.clear();
    super.clear();
  }

  /** The records that carry every one of these labels, in the order they were added (no labels: every record). */
  withLabels(selector: readonly (readonly [string, string])[]): Iterable<R> {
    if (selector.length === 0) return this.values();
    let smallest: Set<string> | undefined;
    for (const [k, v] of selector) {
      const ids = this.byLabel.get(`${k}=${v}`);
      if (ids === undefined) return [];
      if (smallest === undefined || ids.size < smallest.size) smallest = ids;
    }
    const out: R[] = [];
    for (const id of smallest!) {
      const record = super.get(id)!;
      const labels = this.labelsOf(record) ?? {};
      if (selector.every(([k, v]) => labels[k] === v)) out.push(record);
    }
    return out;
  }

  private unindex(id: string, record: R): void {
    for (const [k, v] of Object.entries(this.labelsOf(record) ?? {})) {
      const label = `${k}=${v}`;
      const ids = this.byLabel.get(label);
      if (ids === undefined) continue;
      ids.delete(id);
      if (ids.size === 0) this.byLabel.delete(label);
    }
  }
}
