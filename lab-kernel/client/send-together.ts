import type { ApiRequest } from '../api/request';
import type { Simulation } from '../sim/simulation';
import type { Client } from './client';

/** An answer, as a notebook cell reads it. */
export interface Answer {
  code: number;
  /** The object, list or Status (any, so that a notebook cell can read its fields). */
  body: any;
}

/**
 * Several clients send one request each at the same virtual instant (in the order given), and
 * the simulation runs until every answer has arrived: a race, set up in one call. The answers
 * are keyed by client, in the order they arrived.
 *
 *   const read = sendTogether(cluster.sim, [writerA, writerB], () => ({ verb: 'get', resource: 'configmaps', namespace: 'default', name: 'hits' }));
 *   // => { 'writer-b': { code: 200, body: hits (rv 111) }, 'writer-a': { code: 200, body: hits (rv 111) } }
 *   sendTogether(cluster.sim, [writerA, writerB], (w) => ({ verb: 'update', ..., body: changed(read[w.component].body) }))
 *   // => { 'writer-a': { code: 200, ... }, 'writer-b': { code: 409, body: Status Conflict } }
 *
 * Throws if some answer has not arrived within `limitMs` of virtual time.
 */
export function sendTogether(sim: Simulation, clients: readonly Client[], requestFor: (client: Client) => ApiRequest, limitMs = 60_000): Record<string, Answer> {
  const answers: Record<string, Answer> = {};
  for (const c of clients) c.request(requestFor(c), (res) => (answers[c.component] = res));
  if (!sim.runUntil(() => Object.keys(answers).length === clients.length, limitMs)) {
    throw new Error(`sendTogether: ${clients.length - Object.keys(answers).length} answer(s) missing after ${limitMs} ms of virtual time`);
  }
  return answers;
}
