import type { ApiRequest, ApiResponse } from '../api/request';
import { API_SERVER, ETCD } from '../apiserver/identity';
import type { Kubectl } from '../kubectl/kubectl';
import { formatTime, type Trace, type TraceEvent } from '../sim/trace';

/**
 * One request through the API server's pipeline, as the trace recorded it: the client's request,
 * then the API server's work on it, from its authentication line to its answer. (That work is one
 * uninterrupted run of events: the other components' traffic, which goes on meanwhile, falls
 * before or after it.)
 *
 *   const created = tracedRequest(cluster.trace, kubectl, { verb: 'create', resource: 'pods', namespace: 'default', body: pod });
 *   stagesOf(created.events)      // => ['authentication', 'authorization', 'mutating admission', 'validation', 'validating admission']
 *   stageLine(created.events, 'authentication')
 *                                 // => 'user "kubernetes-admin" (groups kubeadm:cluster-admins, system:authenticated) by x509'
 *   pipelineRows(created.events)  // => [{ time: '0.958s', stage: 'request', 'who -> whom': 'kubectl -> kube-apiserver', what: 'create pods default' },
 *                                 //     { time: '0.961s', stage: 'authentication', 'who -> whom': 'kube-apiserver', what: 'user "kubernetes-admin" ...' },
 *                                 //     ..., { ..., stage: 'persistence', 'who -> whom': 'kube-apiserver -> etcd', what: 'txn create /registry/pods/default/hello' },
 *                                 //     { ..., stage: 'answer', 'who -> whom': 'kube-apiserver -> kubectl', what: '201 Created' }]
 */
export interface TracedAnswer {
  code: number;
  /** The answer's body: the object, list or Status (any, so that a notebook cell can read its fields). */
  body: any;
  events: TraceEvent[];
}

/** Sends `req` through `kubectl` (whose requests the trace shows as coming from `client`) and keeps its events. */
export function tracedRequest(trace: Trace, kubectl: Pick<Kubectl, 'request'>, req: ApiRequest, client = 'kubectl'): TracedAnswer {
  const from = trace.length;
  const res: ApiResponse = kubectl.request(req);
  const after = trace.all().slice(from);
  const sent = after.filter((e) => e.actor === client && e.flow === 'request').slice(0, 1);
  const answer = after.findIndex((e) => e.flow === 'response' && e.actor === API_SERVER && e.to === client);
  let start = answer;
  while (start > 0 && after[start].data?.stage !== 'authentication') start--;
  return { code: res.code, body: res.body, events: [...sent, ...after.slice(start, answer + 1)] };
}

/** The pipeline stages the API server ran, in order. */
export function stagesOf(events: readonly TraceEvent[]): string[] {
  return events.filter((e) => e.actor === API_SERVER && e.data?.stage !== undefined).map((e) => String(e.data!.stage));
}

/** What an event says, without the stage's name in front ('authentication: ', 'admission (mutating): '). */
function whatOf(e: TraceEvent): string {
  const stage = e.data?.stage;
  return stage === undefined ? e.summary : e.summary.replace(`${stage}: `, '').replace(/^admission \(\w+\): /, '');
}

/** The API server's line for one stage, without the stage's name; '' if that stage did not run. */
export function stageLine(events: readonly TraceEvent[], stage: string): string {
  const e = events.find((x) => x.data?.stage === stage);
  return e === undefined ? '' : whatOf(e);
}

/** Which part of the pipeline an event belongs to: its stage, or persistence (etcd), the request or the answer. */
function stageOfEvent(e: TraceEvent): string {
  if (e.data?.stage !== undefined) return String(e.data.stage);
  if (e.to === ETCD || e.actor === ETCD) return 'persistence';
  return e.flow === 'request' ? 'request' : 'answer';
}

/** One row per event: when, which stage, who to whom, and what. */
export function pipelineRows(events: readonly TraceEvent[]): { time: string; stage: string; 'who -> whom': string; what: string }[] {
  return events.map((e) => ({ time: formatTime(e.time), stage: stageOfEvent(e), 'who -> whom': e.to ? `${e.actor} -> ${e.to}` : e.actor, what: whatOf(e) }));
}
