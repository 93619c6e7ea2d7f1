import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

/**
 * The exercise manifest (exercises/manifest.yaml): the one list of every exercise — its id,
 * chapter, points, files, the function the cluster calls, the grader suite and the hints.
 *
 *   slotExercise('replicaset').slot  // => { module: 'replicaset/reconcile.ts', export: 'reconcileReplicaSet' }
 *   slotExercise('raft')             // => the first exercise whose slot is `raft` (several parts may share one slot)
 *   repoRoot()                   // => '/home/me/kubelab' (found from this file, even through a symlink)
 */
export interface ExerciseInfo {
  id: string;
  title: string;
  chapter: string;
  points: number;
  files: string[];
  /** The function the cluster calls. `id` names the slot when several exercises share it (default: the exercise id). */
  slot: { id?: string; module: string; export: string };
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
  return doc.exercises.map((e, i) => checkEntry(e, `${file}: exercises[${i}]`));
}

/** The exercise that defines a slot: its own id, or the first entry naming it as `slot.id`. */
export function slotExercise(slotId: string, root: string = repoRoot()): ExerciseInfo {
  const all = loadManifest(root);
  const found = all.find((e) => (e.slot.id ?? e.id) === slotId);
  if (found === undefined) throw new Error(`no exercise in exercises/manifest.yaml defines the slot "${slotId}"`);
  return found;
}

function checkEntry(raw: unknown, where: string): ExerciseInfo {
  const e = raw as Partial<ExerciseInfo>;
  const problems: string[] = [];
  for (const field of ['id', 'title', 'chapter', 'suite'] as const) if (typeof e?.[field] !== 'string') problems.push(`${field} must be a string`);
  if (typeof e?.points !== 'number' || e.points <= 0) problems.push('points must be a positive number');
  if (!Array.isArray(e?.files) || e.files.length === 0) problems.push('files must be a non-empty list');
  if (typeof e?.slot?.module !== 'string' || typeof e?.slot?.export !== 'string') problems.push('slot needs module and export');
  if (!Array.isArray(e?.hints) || e.hints.length === 0) problems.push('hints must be a non-empty list');
  if (problems.length > 0) throw new Error(`${where}: ${problems.join('; ')}`);
  return e as ExerciseInfo;
}
