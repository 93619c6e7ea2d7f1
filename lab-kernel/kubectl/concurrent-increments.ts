import type { KubeObject, ObjectMeta } from '../api/types';
import type { Kubectl } from './kubectl';
import { readModifyWrite } from './read-modify-write';

/**
 * The lost-update experiment: several writers each add 1 to a counter kept in an annotation of
 * one object, interleaved the worst way possible. The counter is first set to 0. Then, round
 * after round, every writer still at work reads the object, and only then does each write back
 * what it read with the counter one higher; a writer is done once its update is answered 200.
 * With `sendResourceVersion: false` the writers strip the resourceVersion they read, so the API
 * server writes unconditionally; with `true` it refuses stale writes with 409, and the loser
 * starts over from a fresh read in the next round.
 *
 *   concurrentIncrements(kubectl, 'namespaces', 'demo', { sendResourceVersion: false })
 *   // => { final: 1, attempts: [{ round: 1, writer: 'A', 'read counter': 0, 'sent resourceVersion': '(none)',
 *   //        'wrote counter': 1, answer: '200, resourceVersion 68' }, ... B and C the same] }
 *   concurrentIncrements(kubectl, 'namespaces', 'demo', { sendResourceVersion: true })
 *   // => { final: 3, attempts: round 1 A 200, B 409, C 409; round 2 B 200, C 409; round 3 C 200 }
 */
export interface IncrementOptions {
  /** Send the resourceVersion each writer read (a conditional write), or strip it. */
  sendResourceVersion: boolean;
  /** The annotation that holds the counter (default example.com/counter). */
  annotation?: string;
  /** The writers' names (default A, B, C). */
  writers?: string[];
  namespace?: string;
}

export interface IncrementAttempt {
  round: number;
  writer: string;
  'read counter': number;
  'sent resourceVersion': string;
  'wrote counter': number;
  answer: string;
}

/** A writer whose updates keep failing (the object is gone, say) gives up after this many rounds. */
const MAX_ROUNDS = 100;

export function concurrentIncrements(kubectl: Pick<Kubectl, 'request'>, resource: string, name: string, options: IncrementOptions): { attempts: IncrementAttempt[]; final: number } {
  const annotation = options.annotation ?? 'example.com/counter';
  const where = options.namespace === undefined ? { resource, name } : { resource, namespace: options.namespace, name };
  const counterOf = (obj: KubeObject) => Number(obj.metadata.annotations?.[annotation] ?? 0);
  readModifyWrite(kubectl, resource, name, (obj) => (Object.assign({}, obj, { metadata: Object.assign({}, obj.metadata, { annotations: { [annotation]: '0' } }) })), options.namespace);
  const writers = (options.writers ?? ['A', 'B', 'C']).map((writer) => ({ writer, done: false, read: undefined as unknown as KubeObject }));
  const attempts: IncrementAttempt[] = [];
  for (let round = 1; round <= MAX_ROUNDS && writers.some((w) => !w.done); round++) {
    const busy = writers.filter((w) => !w.done);
    for (const w of busy) w.read = kubectl.request({ verb: 'get', ...where }).body as KubeObject;
    for (const w of busy) {
      const metadata: ObjectMeta = Object.assign({}, w.read.metadata, { annotations: { [annotation]: String(counterOf(w.read) + 1) } });
      if (!options.sendResourceVersion) delete metadata.resourceVersion;
      const res = kubectl.request({ verb: 'update', ...where, body: Object.assign({}, w.read, { metadata }) });
      w.done = res.code === 200;
      const answer = res.body as KubeObject & { reason?: string };
      attempts.push({
        round,
        writer: w.writer,
        'read counter': counterOf(w.read),
        'sent resourceVersion': options.sendResourceVersion ? String(w.read.metadata.resourceVersion) : '(none)',
        'wrote counter': counterOf(w.read) + 1,
        answer: res.code === 200 ? `200, resourceVersion ${answer.metadata.resourceVersion}` : `${res.code} ${answer.reason}`,
      });
    }
  }
  return { attempts, final: counterOf(kubectl.request({ verb: 'get', ...where }).body as KubeObject) };
}
