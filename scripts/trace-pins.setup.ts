/**
 * Vitest setup for a pinning run (KUBELAB_TRACE_PINS=<folder>, see trace-pins.mjs): every
 * Simulation a test makes is remembered, and after the test the SHA-256 of its trace is
 * written down, keyed by file and test name. Simulations made outside a test (in beforeAll,
 * or when the file loads) are hashed once the file is done.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeEach, expect } from 'vitest';

interface Pinned {
  seed: number;
  trace: { hash(): string };
}

const PINNED = Symbol.for('kubelab.pinned-simulations');
const all: Pinned[] = [];
(globalThis as Record<symbol, unknown>)[PINNED] = all;

const dir = process.env.KUBELAB_TRACE_PINS!;
const group = process.env.KUBELAB_TRACE_GROUP ?? 'tests';
mkdirSync(dir, { recursive: true });
const out = join(dir, `${group}.${process.pid}.jsonl`);

let shared: Pinned[] = [];
let mine: Pinned[] = [];

function write(key: string, sims: Pinned[]): void {
  if (sims.length === 0) return;
  const hashes = sims.map((s) => `${s.seed}:${s.trace.hash()}`);
  appendFileSync(out, JSON.stringify({ group, key, hashes }) + '\n');
}

let testFile: string | undefined;
function file(): string {
  testFile ??= expect.getState().testPath;
  return relative(process.cwd(), testFile ?? 'unknown');
}

beforeEach(() => {
  file();
  shared.push(...all.splice(0));
  mine = [];
});

afterEach(() => {
  mine = all.splice(0);
  write(`${file()} > ${expect.getState().currentTestName ?? 'unnamed'}`, mine);
});

afterAll(() => {
  shared.push(...all.splice(0));
  write(`${file()} > (made outside a test)`, shared);
  shared = [];
});
