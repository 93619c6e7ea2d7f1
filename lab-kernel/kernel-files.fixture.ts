import * as fs from 'fs';
import * as path from 'path';

/**
 * The kernel's own source files, for the tests that read all of them (layers, tslab, object
 * literals): every .ts under lab-kernel/ but tests and fixtures, sorted.
 *
 *   kernelSourceFiles()   // => ['/…/lab-kernel/api/defaults.ts', ..., '/…/lab-kernel/store/watch-hub.ts', ...]
 */
export function kernelSourceFiles(dir: string = __dirname): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !/\.(test|fixture)\.ts$/.test(entry.name)) out.push(full);
    }
  };
  walk(dir);
  return out.sort();
}
