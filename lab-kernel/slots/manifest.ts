import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { slotOf, SLOT_IDS, SLOTS } from './registry';

/**
 * The exercise manifest (exercises/manifest.yaml): the one list of every exercise — its id,
 * chapter, points, files, the function the cluster calls, the grader suite and the hints.
 *
 *   loadManifest()[0].id   // => 'replicaset'
 *   repoRoot()             // => '/home/me/kubelab' (found from this file, even through a symlink)
 *
 * Which function the cluster calls for an exercise is not here but in registry.ts (typed);
 * loading checks that the two agree: every exercise is graded through exactly one slot.
 */
export interface ExerciseInfo {
  id: string;
  title: string;
  chapter: string;
  points: number;
  files: string[];
  suite: string;
  hints: string[];
}

let cachedRoot: string | undefined;

/** The repository's top folder: the nearest folder above this file holding exercises/manifest.yaml. */
export function repoRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  // Notebooks reach the kernel through a symlink (chapters/lab-kernel): resolve it first.
  for (const start of [fs.realpathSync(__dirname), process.cwd()]) {
    let dir = start;
    for (;;) {
      if (fs.existsSync(path.join(dir, 'exercises', 'manifest.yaml'))) return (cachedRoot = dir);
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error(`cannot find exercises/manifest.yaml above ${__dirname} or ${process.cwd()}`);
}

export function loadManifest(root: string = repoRoot()): ExerciseInfo[] {
  const file = path.join(root, 'exercises', 'manifest.yaml');
  const doc = parse(fs.readFileSync(file, 'utf8')) as { exercises?: unknown };
  if (!Array.isArray(doc?.exercises)) throw new Error(`${file}: expected a top-level "exercises:" list`);
  const exercises = doc.exercises.map((e, i) => checkEntry(e, `${file}: exercises[${i}]`));
  const ids = new Set(exercises.map((e) => e.id));
  for (const id of SLOT_IDS) {
    const missing = SLOTS[id].exercises.filter((e) => !ids.has(e));
    if (missing.length > 0) throw new Error(`${file}: slot "${id}" (lab-kernel/slots/registry.ts) is graded by ${missing.join(', ')}, which the manifest does not list`);
  }
  return exercises;
}

function checkEntry(raw: unknown, where: string): ExerciseInfo {
  const e = raw as Partial<ExerciseInfo>;
  const problems: string[] = [];
  for (const field of ['id', 'title', 'chapter', 'suite'] as const) if (typeof e?.[field] !== 'string') problems.push(`${field} must be a string`);
  if (typeof e?.points !== 'number' || e.points <= 0) problems.push('points must be a positive number');
  if (!Array.isArray(e?.files) || e.files.length === 0) problems.push('files must be a non-empty list');
  if (typeof e?.id === 'string' && slotOf(e.id) === undefined) problems.push(`no slot in lab-kernel/slots/registry.ts lists "${e.id}" among its exercises`);
  if (!Array.isArray(e?.hints) || e.hints.length === 0) problems.push('hints must be a non-empty list');
  if (problems.length > 0) throw new Error(`${where}: ${problems.join('; ')}`);
  return e as ExerciseInfo;
}
