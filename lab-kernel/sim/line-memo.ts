/**
 * Trace lines made once per distinct set of parts: a long run says "update leases
 * kube-node-lease/node-7" every 10 s for every node, and the trace keeps every line, so the
 * same parts get the same string back instead of a new one each time. Parts are looked up one
 * by one (no key string is built), and the memo starts over once it holds `max` lines.
 *
 *   const lines = new LineMemo(10_000);
 *   lines.get(['update', 'leases', 'node-7'], () => 'update leases node-7')   // made
 *   lines.get(['update', 'leases', 'node-7'], () => 'update leases node-7')   // the same string, not made again
 */
export class LineMemo {
  private root = new Map<string, unknown>();
  private size = 0;

  constructor(private readonly max: number) {}

  get(parts: readonly string[], make: () => string): string {
    let level = this.root;
    for (let i = 0; i < parts.length - 1; i++) {
      let next = level.get(parts[i]) as Map<string, unknown> | undefined;
      if (next === undefined) level.set(parts[i], (next = new Map()));
      level = next;
    }
    const last = parts[parts.length - 1];
    const known = level.get(last) as string | undefined;
    if (known !== undefined) return known;
    if (this.size >= this.max) {
      this.root = new Map();
      this.size = 0;
      return this.get(parts, make);
    }
    const line = make();
    level.set(last, line);
    this.size++;
    return line;
  }
}
