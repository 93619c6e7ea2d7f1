import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { loadManifest, repoRoot } from './manifest';
import { SLOT_IDS, SLOTS, slotOf } from './registry';
import { loadSlot } from './slots';

const ROOT = repoRoot();

/** The modules a file imports, relative to the repository and without '.ts' ('lab-kernel/api/types'). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s+'([^']+)'/g)].map((m) =>
    m[1].startsWith('.') ? path.relative(ROOT, path.resolve(path.dirname(file), m[1])).replace(/\.ts$/, '') : m[1],
  );
}

describe('the exercise registry', () => {
  const manifest = loadManifest(ROOT);

  it('grades every exercise of the manifest through exactly one slot', () => {
    for (const e of manifest) expect(SLOT_IDS.filter((id) => SLOTS[id].exercises.includes(e.id)), e.id).toHaveLength(1);
  });

  it('names, for every slot, a reference that exports the function', () => {
    for (const id of SLOT_IDS) expect(typeof loadSlot(id, 'solution', { trustSolution: true }), id).toBe('function');
  });

  describe('what exercise code may import', () => {
    for (const id of SLOT_IDS) {
      const files = [...new Set(manifest.filter((e) => slotOf(e.id) === id).flatMap((e) => e.files))];
      for (const dir of ['exercises', 'solutions']) {
        it(`${id}: ${dir}/ imports only its contract and the helpers the registry lists`, () => {
          const own = new Set(files.map((f) => path.posix.join(dir, f).replace(/\.ts$/, '')));
          const allowed = new Set([...SLOTS[id].imports, 'lab-kernel/sim/not-implemented']);
          const outside = files.flatMap((f) => importsOf(path.join(ROOT, dir, f)).filter((m) => !own.has(m) && !allowed.has(m)).map((m) => `${f} imports ${m}`));
          expect(outside).toEqual([]);
        });
      }
    }
  });

  it('lets no module an exercise may import reach solutions/, the grader or the slot loader, even indirectly', () => {
    const seen = new Set<string>();
    const reached: string[] = [];
    const visit = (module: string, via: string) => {
      if (seen.has(module)) return;
      seen.add(module);
      if (/^(solutions|grader)\/|^lab-kernel\/(slots|cluster)\//.test(module)) reached.push(`${via} -> ${module}`);
      const file = path.join(ROOT, `${module}.ts`);
      if (!fs.existsSync(file)) return;
      for (const next of importsOf(file)) if (!next.startsWith('node:') && next.includes('/')) visit(next, module);
    };
    for (const id of SLOT_IDS) for (const m of SLOTS[id].imports) visit(m, id);
    expect(reached).toEqual([]);
  });
});
