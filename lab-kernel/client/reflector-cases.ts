import type { KubeObject } from '../api/types';
import { answerTable } from '../check/answer-table';
import { INITIAL_REFLECTOR_STATE, type ReflectorInput, type ReflectorState, type ReflectorStep, type ReflectorStepResult } from './reflector-contract';

/**
 * A few inputs to try a reflectorStep on, next to what the reference answers: the table at the
 * end of chapter 04. A step that throws, or is not loaded, says so in its row.
 *
 *   compareReflectorSteps(reference, yours)
 *   // [{ 'state, input': 'stopped, start', expected: 'listing, rv -; [list from "0"]', 'your reflectorStep': 'threw: not implemented yet', ok: '' }, ...]
 */
export interface ReflectorCase {
  what: string;
  state: ReflectorState;
  input: ReflectorInput;
}

const pod = (name: string, rv: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', resourceVersion: rv } }) as KubeObject;
const watching: ReflectorState = { phase: 'watching', lastSyncResourceVersion: '41', lastSyncResourceVersionUnavailable: false };

export const REFLECTOR_CASES: readonly ReflectorCase[] = [
  { what: 'stopped, start', state: INITIAL_REFLECTOR_STATE, input: { kind: 'start' } },
  { what: 'listing, listed [a, b] at 40', state: { phase: 'listing', lastSyncResourceVersion: '', lastSyncResourceVersionUnavailable: false }, input: { kind: 'listed', items: [pod('a', '38'), pod('b', '40')], resourceVersion: '40' } },
  { what: 'watching, MODIFIED a (rv 42)', state: watching, input: { kind: 'watch-event', event: { type: 'MODIFIED', object: pod('a', '42') } } },
  { what: 'watching, BOOKMARK (rv 60)', state: watching, input: { kind: 'watch-event', event: { type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '60' } } as KubeObject } } },
  { what: 'watching, 410 Expired', state: watching, input: { kind: 'watch-failed', status: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version: 41 (52)' } } },
  { what: 'waiting-to-relist, backoff-over', state: { phase: 'waiting-to-relist', lastSyncResourceVersion: '41', lastSyncResourceVersionUnavailable: false }, input: { kind: 'backoff-over' } },
  { what: 'watching, a late listed', state: watching, input: { kind: 'listed', items: [], resourceVersion: '12' } },
] as readonly ReflectorCase[];

/** 'watching, rv 40; [replace (2), watch from 40 +bookmarks]' */
export function describeStepResult(r: ReflectorStepResult): string {
  const actions = r.actions.map((a: any) =>
    a.kind === 'watch' ? `watch from ${a.resourceVersion}${a.allowWatchBookmarks ? ' +bookmarks' : ''}`
      : a.kind === 'backoff' ? `backoff then ${a.then}`
      : a.kind === 'replace' ? `replace (${a.items.length})`
      : a.kind === 'apply' ? `apply ${a.event.type}`
      : a.kind === 'list' ? `list from "${a.resourceVersion}"`
      : a.kind,
  );
  return `${r.state.phase}, rv ${r.state.lastSyncResourceVersion || '-'}; [${actions.join(', ')}]`;
}

export function compareReflectorSteps(reference: ReflectorStep, yours: ReflectorStep | undefined, cases: readonly ReflectorCase[] = REFLECTOR_CASES) {
  return answerTable(cases, {
    reference: (c) => reference(c.state, c.input),
    yours: yours && ((c) => yours(c.state, c.input)),
    describe: describeStepResult,
    column: 'your reflectorStep',
    caseColumn: 'state, input',
  });
}
