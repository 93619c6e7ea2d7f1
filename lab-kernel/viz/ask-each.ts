import type { ApiRequest } from '../api/request';
import type { Kubectl } from '../kubectl/kubectl';
import type { Trace } from '../sim/trace';
import { tracedRequest, type TracedAnswer } from './request-trace';

/**
 * Several callers each send the same few requests, one after the other (every request of the
 * first caller, then of the second, ...), and the trace of each answer is kept: chapter 03's
 * tables of who may do what.
 *
 *   const answers = askEach(cluster.trace, [['jane', asJane], ['root', asRoot]],
 *     [['list pods -n dev', { verb: 'list', resource: 'pods', namespace: 'dev' }], ['list nodes', { verb: 'list', resource: 'nodes' }]]);
 *   // => [{ caller: 'jane', request: 'list pods -n dev', code: 200, body, events }, { caller: 'jane', request: 'list nodes', code: 403, ... }, ...]
 *   answerGrid(answers, (a) => (a.code < 400 ? 'Allowed' : 'Forbidden'))
 *   // => [{ caller: 'jane', 'list pods -n dev': 'Allowed', 'list nodes': 'Forbidden' }, { caller: 'root', ... }]
 */
export interface CallerAnswer extends TracedAnswer {
  caller: string;
  request: string;
}

export function askEach(
  trace: Trace,
  callers: ReadonlyArray<readonly [string, Pick<Kubectl, 'request'>]>,
  requests: ReadonlyArray<readonly [string, ApiRequest]>,
): CallerAnswer[] {
  return callers.flatMap(([caller, kubectl]) => requests.map(([request, req]) => ({ caller, request, ...tracedRequest(trace, kubectl, req) })));
}

/** One row per caller, one column per request (in the order asked), each cell what `cell` says of that answer. */
export function answerGrid(answers: readonly CallerAnswer[], cell: (answer: CallerAnswer) => string): Record<string, string>[] {
  const callers = [...new Set(answers.map((a) => a.caller))];
  return callers.map((caller) => ({
    caller,
    ...Object.fromEntries(answers.filter((a) => a.caller === caller).map((a) => [a.request, cell(a)])),
  }));
}
