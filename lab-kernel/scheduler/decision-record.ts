import type { Code } from './framework-types';

/**
 * Why the scheduler put a pod where it did: for each node, each Filter plugin's verdict and each
 * Score plugin's raw, normalised and weighted score, and the pick — what kube-scheduler-simulator
 * writes on a pod as annotations, kept here as data a notebook can draw as a table.
 *
 *   const record = cluster.scheduler.decisions.get('default/web-x7k2p')!;
 *   decisionTable(record)
 *   // => [{ node: 'node-1', NodeName: 'passed', TaintToleration: 'passed', ..., 'score:TaintToleration': 300, total: 440, selected: '*' },
 *   //     { node: 'control-plane', TaintToleration: 'node(s) had untolerated taint {...}', total: '' , selected: '' }]
 *   simulatorAnnotations(record)['kube-scheduler-simulator.sigs.k8s.io/selected-node']  // => 'node-1'
 *
 * Recording costs time and memory on every node of every pod, so the scheduler keeps records
 * only for the most recent pods (SchedulerOptions.recordDecisions, 100 unless told otherwise),
 * and no more than 2,000 node rows of them (DecisionLog).
 */
export interface FilterVerdict {
  plugin: string;
  code: Code;
  reasons: string[];
}

export interface ScoreDetail {
  plugin: string;
  /** What the plugin's Score returned. */
  raw: number;
  /** After its NormalizeScore (0..100); the raw score when it has none. */
  normalized: number;
  /** normalized * weight: what the total adds up. */
  weighted: number;
}

export interface NodeDecision {
  node: string;
  /** The Filter plugins run on this node, in order, up to the first that rejected it. */
  filters: FilterVerdict[];
  /** Empty when the node failed Filter, or when scoring was skipped (a single feasible node). */
  scores: ScoreDetail[];
  total?: number;
}

export interface DecisionRecord {
  /** namespace/name */
  pod: string;
  schedulerName: string;
  /** Virtual ms when the cycle ran. */
  at: number;
  /** Nodes in the order they were tried. */
  nodes: NodeDecision[];
  selected?: string;
  /** The FailedScheduling message, when no node was selected. */
  message?: string;
}

/** One row per tried node: a column per Filter plugin ('passed' or the reason), one per Score plugin (weighted), the total, and '*' on the pick. */
export function decisionTable(record: DecisionRecord): Record<string, string | number>[] {
  return record.nodes.map((n) => {
    const row: Record<string, string | number> = { node: n.node };
    for (const f of n.filters) row[f.plugin] = verdictText(f);
    for (const s of n.scores) row[`score:${s.plugin}`] = s.weighted;
    row.total = n.total ?? '';
    row.selected = n.node === record.selected ? '*' : '';
    return row;
  });
}

export const ANNOTATION_PREFIX = 'kube-scheduler-simulator.sigs.k8s.io/';

/**
 * kube-scheduler-simulator's annotations for the record: filter-result, score-result (raw),
 * finalscore-result (normalised times weight), selected-node; numbers as strings, as it writes them.
 *   { 'kube-scheduler-simulator.sigs.k8s.io/filter-result': '{"node-1":{"NodeName":"passed",...}}', ... }
 */
export function simulatorAnnotations(record: DecisionRecord): Record<string, string> {
  const filter: Record<string, Record<string, string>> = {};
  const score: Record<string, Record<string, string>> = {};
  const finalScore: Record<string, Record<string, string>> = {};
  for (const n of record.nodes) {
    filter[n.node] = Object.fromEntries(n.filters.map((f) => [f.plugin, verdictText(f)]));
    if (n.scores.length === 0) continue;
    score[n.node] = Object.fromEntries(n.scores.map((s) => [s.plugin, String(s.raw)]));
    finalScore[n.node] = Object.fromEntries(n.scores.map((s) => [s.plugin, String(s.weighted)]));
  }
  return {
    [`${ANNOTATION_PREFIX}filter-result`]: JSON.stringify(filter),
    [`${ANNOTATION_PREFIX}score-result`]: JSON.stringify(score),
    [`${ANNOTATION_PREFIX}finalscore-result`]: JSON.stringify(finalScore),
    [`${ANNOTATION_PREFIX}selected-node`]: record.selected ?? '',
  };
}

function verdictText(f: FilterVerdict): string {
  return f.code === 'Success' ? 'passed' : f.reasons.join(', ');
}

/**
 * The most recent records, by pod (the oldest go first): at most `capacity` of them, and at
 * most `rows` node rows in all, since a record holds a row per node tried. On a 3-node cluster
 * that is the last 100 pods; on 100 nodes the last 20, so a large cluster does not carry
 * megabytes of old verdicts (the latest record is always kept).
 *
 *   new DecisionLog(100, 2_000)   // 100 nodes, 30 pods scheduled => the last 20 records
 */
export class DecisionLog {
  private readonly records = new Map<string, DecisionRecord>();
  private heldRows = 0;

  constructor(
    private readonly capacity = 100,
    private readonly rows = 2_000,
  ) {}

  add(record: DecisionRecord): void {
    this.remove(record.pod);
    this.records.set(record.pod, record);
    this.heldRows += record.nodes.length;
    while (this.records.size > this.capacity || (this.heldRows > this.rows && this.records.size > 1)) this.remove(this.records.keys().next().value!);
  }

  get(pod: string): DecisionRecord | undefined {
    return this.records.get(pod);
  }

  all(): DecisionRecord[] {
    return [...this.records.values()];
  }

  private remove(pod: string): void {
    const old = this.records.get(pod);
    if (old === undefined) return;
    this.records.delete(pod);
    this.heldRows -= old.nodes.length;
  }
}
