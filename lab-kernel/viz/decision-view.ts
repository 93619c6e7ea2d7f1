import { decisionTable, type DecisionLog } from '../scheduler/decision-record';
import { showTable } from './display';

/**
 * Why a scheduler put a pod where it did, as the chapter shows it: the pod's decision record
 * (scheduler.decisions) as one row per node tried, its columns in reading order (the Filter
 * plugins as they ran, then the weighted scores, the total and the pick), and the
 * FailedScheduling message when no node was picked.
 *
 *   decisionView(cluster.scheduler, 'hello')
 *   // => { columns: ['node', 'NodeUnschedulable', 'NodeName', 'TaintToleration', ..., 'score:TaintToleration', ...,
 *   //                'total', 'selected'],
 *   //      rows: [{ node: 'control-plane', ..., TaintToleration: 'node(s) had untolerated taint {...}', total: '', selected: '' },
 *   //             { node: 'node-3', NodeUnschedulable: 'passed', ..., total: 486, selected: '' },
 *   //             { node: 'node-1', NodeUnschedulable: 'passed', ..., total: 486, selected: '*' }, ...] }
 *   showDecision(cluster.scheduler, 'hello')        // draws that table
 *
 * A pod name without a namespace is in `default`; a pod with no record gives undefined (and
 * showDecision says so).
 */
export interface DecisionView {
  columns: string[];
  rows: Record<string, string | number>[];
  /** The FailedScheduling message, when no node was selected. */
  message?: string;
}

export function decisionView(scheduler: { readonly decisions: DecisionLog }, pod: string): DecisionView | undefined {
  const record = scheduler.decisions.get(pod.includes('/') ? pod : `default/${pod}`);
  if (record === undefined) return undefined;
  const filters = new Set(record.nodes.flatMap((n) => n.filters.map((f) => f.plugin)));
  const scores = new Set(record.nodes.flatMap((n) => n.scores.map((s) => `score:${s.plugin}`)));
  return { columns: ['node', ...filters, ...scores, 'total', 'selected'], rows: decisionTable(record), message: record.message };
}

/** Draws decisionView's table, then prints the message if there is one. */
export function showDecision(scheduler: { readonly decisions: DecisionLog }, pod: string): void {
  const view = decisionView(scheduler, pod);
  if (view === undefined) return console.log(`no decision recorded for ${pod}`);
  showTable(view.rows, view.columns);
  if (view.message) console.log(view.message);
}
