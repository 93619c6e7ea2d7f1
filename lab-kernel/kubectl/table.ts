/**
 * A table the way kubectl prints one: upper-case headers, columns padded to the widest cell
 * and separated by three spaces.
 *
 *   new Table(['NAME', 'STATUS'], [['node-1', 'Ready']]).toString()
 *   // => 'NAME     STATUS\nnode-1   Ready'
 */
export class Table {
  constructor(
    readonly columns: string[],
    readonly rows: string[][],
    /** What kubectl says instead of an empty table. */
    readonly whenEmpty = 'No resources found',
  ) {}

  toString(): string {
    if (this.rows.length === 0) return this.whenEmpty;
    const widths = this.columns.map((c, i) => Math.max(c.length, ...this.rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('   ');
    return [line(this.columns), ...this.rows.map(line)].join('\n');
  }

  /** Rows as objects keyed by column, for notebook tables. */
  records(): Record<string, string>[] {
    return this.rows.map((r) => Object.fromEntries(this.columns.map((c, i) => [c, r[i] ?? ''])));
  }
}
