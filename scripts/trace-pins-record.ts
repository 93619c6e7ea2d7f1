import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * For a script (a benchmark) in a pinning run (KUBELAB_TRACE_PINS=<folder>, see trace-pins.mjs):
 * remembers every Simulation made from now on; the returned function writes their trace hashes.
 *
 *   const recordPins = pinTraces('bench', 'scripts/bench.ts');
 *   ... run the scenarios ...
 *   recordPins();
 */
export function pinTraces(group: string, key: string): () => void {
  const dir = process.env.KUBELAB_TRACE_PINS;
  if (dir === undefined) return () => undefined;
  const sims: { seed: number; trace: { hash(): string } }[] = [];
  (globalThis as Record<symbol, unknown>)[Symbol.for('kubelab.pinned-simulations')] = sims;
  return () => {
    mkdirSync(dir, { recursive: true });
    const hashes = sims.map((s) => `${s.seed}:${s.trace.hash()}`);
    appendFileSync(join(dir, `${group}.${process.pid}.jsonl`), JSON.stringify({ group, key, hashes }) + '\n');
  };
}
