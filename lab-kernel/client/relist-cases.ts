import type { KubeObject } from '../api/types';
import { answerTable } from '../check/answer-table';
import type { RelistDiff, RelistInput, RelistNotification } from './relist-contract';

/**
 * A few relists to try a relistDiff on, next to what the reference answers: the table at the
 * end of chapter 04.
 *
 *   compareRelistDiffs(reference, yours)
 *   // [{ case: 'cache [a 3, b 4, c 5], list [a 3, b 9, d 8]', expected: 'update default/b, add default/d, delete default/c',
 *   //    'your relistDiff': 'threw: not implemented yet: relist', ok: '' }, ...]
 */
export interface RelistCase extends RelistInput {
  what: string;
}

const cm = (name: string, rv: string, namespace = 'default') => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, resourceVersion: rv } }) as KubeObject;

export const RELIST_CASES: readonly RelistCase[] = [
  { what: 'cache [a 3, b 4, c 5], list [a 3, b 9, d 8]', cached: [cm('a', '3'), cm('b', '4'), cm('c', '5')], listed: [cm('a', '3'), cm('b', '9'), cm('d', '8')] },
  { what: 'first list: cache [], list [b 2, a 1]', cached: [], listed: [cm('b', '2'), cm('a', '1')] },
  { what: 'nothing changed: cache [a 3], list [a 3]', cached: [cm('a', '3')], listed: [cm('a', '3')] },
  { what: 'all gone: cache [a 3, b 4], list []', cached: [cm('a', '3'), cm('b', '4')], listed: [] },
  { what: 'cache [dev/web 3], list [prod/web 4]', cached: [cm('web', '3', 'dev')], listed: [cm('web', '4', 'prod')] },
];

/** 'update default/b, add default/d', or '(nothing)' */
export function describeNotifications(notifications: readonly RelistNotification[]): string {
  return notifications.map((n) => `${n.kind} ${n.key}`).join(', ') || '(nothing)';
}

export function compareRelistDiffs(reference: RelistDiff, yours: RelistDiff | undefined, cases: readonly RelistCase[] = RELIST_CASES) {
  const input = (c: RelistCase): RelistInput => ({ cached: c.cached, listed: c.listed });
  return answerTable(cases, {
    reference: (c) => reference(input(c)),
    yours: yours && ((c) => yours(input(c))),
    describe: describeNotifications,
    column: 'your relistDiff',
  });
}
