/**
 * Graduated hints: each request shows one more, and the count is remembered per exercise in
 * .kubelab/hints.json (a local, git-ignored file), e.g. { "replicaset": 2 }.
 *
 *   nextHint(root, info)   // => { number: 1, of: 4, text: 'Start with isActive: ...' }
 *   nextHint(root, info)   // => { number: 2, of: 4, text: '...' }   and so on; the last one repeats
 *   shownHint(root, info)  // => the last one shown (number 2 here), without moving on; undefined before the first
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ExerciseInfo } from '../lab-kernel/slots/manifest';

export interface Hint {
  number: number;
  of: number;
  text: string;
}

export function nextHint(root: string, info: ExerciseInfo): Hint {
  const file = path.join(root, '.kubelab', 'hints.json');
  const shown = readCounts(file);
  const number = Math.min((shown[info.id] ?? 0) + 1, info.hints.length);
  shown[info.id] = number;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(shown, null, 2)}\n`);
  return { number, of: info.hints.length, text: info.hints[number - 1]! };
}

export function shownHint(root: string, info: ExerciseInfo): Hint | undefined {
  const number = Math.min(readCounts(path.join(root, '.kubelab', 'hints.json'))[info.id] ?? 0, info.hints.length);
  return number === 0 ? undefined : { number, of: info.hints.length, text: info.hints[number - 1]! };
}

function readCounts(file: string): Record<string, number> {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, number>) : {};
  } catch {
    return {}; // no file yet, or a damaged one: start counting again
  }
}
