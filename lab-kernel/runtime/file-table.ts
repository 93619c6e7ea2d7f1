/**
 * Files by path, each with its content and its size on disk. A file the lab's shell writes with
 * `echo` or `touch` is as large as its text; one `dd` writes has a size and no text worth
 * keeping (a gigabyte of zeros is a number here, not a string).
 *
 *   const t = new FileTable();
 *   t.set('/tmp/healthy', '');                  // 0 bytes
 *   t.set('/data/fill', '', 1024 ** 3);         // 1 GiB of zeros
 *   t.usedBytes()                               // => 1073741824
 *   t.usedBytes('/tmp')                         // => 0: only the files under /tmp/
 *   t.get('/data/fill')                         // => '': what `cat` would print of it
 */
export class FileTable {
  private readonly entries = new Map<string, { content: string; bytes: number }>();
  /** usedBytes answers since the last write: the kubelet asks for each volume every 10 s (its Summary), the files rarely change. */
  private readonly sums = new Map<string | undefined, number>();

  get(path: string): string | undefined {
    return this.entries.get(path)?.content;
  }

  /** Writes a file; its size is its text's UTF-8 length unless given. */
  set(path: string, content: string, bytes?: number): void {
    this.entries.set(path, { content, bytes: bytes ?? Buffer.byteLength(content) });
    this.sums.clear();
  }

  delete(path: string): void {
    if (this.entries.delete(path)) this.sums.clear();
  }

  paths(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** The bytes of every file, or of those under a directory (`dir/` as a prefix). */
  usedBytes(dir?: string): number {
    let sum = this.sums.get(dir);
    if (sum !== undefined) return sum;
    const prefix = dir === undefined ? undefined : `${dir.replace(/\/$/, '')}/`;
    sum = 0;
    for (const [path, e] of this.entries) if (prefix === undefined || path.startsWith(prefix)) sum += e.bytes;
    this.sums.set(dir, sum);
    return sum;
  }
}
