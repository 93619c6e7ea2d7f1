import type { Code, NodeScore, Status } from './framework-types';
import type { PluginScores } from './select-host-contract';

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
 * and no more than 2,000 node rows of them (DecisionLog). A cycle writes its record in columns
 * (CycleRecord) and the rows are made only when read: on 100 nodes most records are dropped
 * unread, 20 pods later.
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

/**
 * A record as a scheduling cycle writes it: the nodes tried, which filter rejected each (if
 * any), and every score in one Float64Array; the NodeDecision rows are made the first time
 * `nodes` is read. (Rows for 100 nodes are about 800 objects, made for every pod; the columns
 * are three arrays, which the garbage collector does not copy.)
 *
 *   const rec = new CycleRecord('default/web', 'default-scheduler', ['NodeName', 'TaintToleration'], pass)
 *   rec.tried('node-1', success())  ;  rec.tried('cp', taintRejection)
 *   rec.nodes   // => [{ node: 'node-1', filters: [pass NodeName, pass TaintToleration], scores: [] },
 *               //     { node: 'cp', filters: [pass NodeName, { plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', ... }], scores: [] }]
 */
export class CycleRecord implements DecisionRecord {
  at = 0;
  selected?: string;
  message?: string;
  private readonly names: string[] = [];
  /** Tried-node index => the verdict of the filter that rejected it (passed nodes are not here). */
  private rejections: Map<number, FilterVerdict> | undefined;
  private scorePlugins: readonly string[] = [];
  /** Per score plugin p and tried node r: raw at [3p][r], normalized at [3p+1][r], weighted at [3p+2][r]; totals at [3P][r]. */
  private scores: Float64Array | undefined;
  /** Whether a cell of `scores` holds a value (a node the plugin scored; a total set). */
  private present: Uint8Array | undefined;
  private rows: NodeDecision[] | undefined;

  constructor(
    readonly pod: string,
    readonly schedulerName: string,
    /** The Filter plugins this cycle runs, in order (the ones PreFilter did not skip). */
    private readonly filterPlugins: readonly string[],
    /** A plugin's shared pass verdict. */
    private readonly pass: (plugin: string) => FilterVerdict,
  ) {}

  /** How many nodes were tried: the record's rows, without making them. */
  get rowCount(): number {
    return this.names.length;
  }

  /** A node tried, and what Filter said: Success, or the first plugin's status that did not pass. */
  tried(node: string, status: Status): void {
    if (status.code !== 'Success') (this.rejections ??= new Map()).set(this.names.length, { plugin: status.plugin!, code: status.code, reasons: status.reasons });
    this.names.push(node);
  }

  /** The Score plugins' raw, normalised and weighted scores, and the totals (nodes by name). */
  scored(plugins: readonly PluginScores[], raw: ReadonlyMap<string, number[]>, weighted: readonly { plugin: string; scores: NodeScore[] }[], totals: readonly NodeScore[]): void {
    const n = this.names.length;
    const row = new Map(this.names.map((name, r) => [name, r]));
    const scores = new Float64Array((3 * plugins.length + 1) * n);
    const present = new Uint8Array((plugins.length + 1) * n);
    plugins.forEach((p, i) => {
      p.scores.forEach((normalized, j) => {
        const r = row.get(normalized.name);
        if (r === undefined) return;
        scores[3 * i * n + r] = raw.get(p.plugin)?.[j] ?? normalized.score;
        scores[(3 * i + 1) * n + r] = normalized.score;
        scores[(3 * i + 2) * n + r] = weighted[i]?.scores[j]?.score ?? 0;
        present[i * n + r] = 1;
      });
    });
    for (const t of totals) {
      const r = row.get(t.name);
      if (r === undefined) continue;
      scores[3 * plugins.length * n + r] = t.score;
      present[plugins.length * n + r] = 1;
    }
    this.scorePlugins = plugins.map((p) => p.plugin);
    this.scores = scores;
    this.present = present;
  }

  get nodes(): NodeDecision[] {
    if (this.rows === undefined) this.rows = this.names.map((node, r) => this.row(node, r));
    return this.rows;
  }

  /** The record as plain data: what JSON.stringify writes, and what a notebook shows for it. */
  toJSON(): DecisionRecord {
    const plain: DecisionRecord = { pod: this.pod, schedulerName: this.schedulerName, at: this.at, nodes: this.nodes };
    if (this.selected !== undefined) plain.selected = this.selected;
    if (this.message !== undefined) plain.message = this.message;
    return plain;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): DecisionRecord {
    return this.toJSON();
  }

  private row(node: string, r: number): NodeDecision {
    const rejection = this.rejections?.get(r);
    const passed = rejection === undefined ? this.filterPlugins : this.filterPlugins.slice(0, this.filterPlugins.indexOf(rejection.plugin));
    const filters = passed.map(this.pass);
    if (rejection !== undefined) filters.push(rejection);
    const decision: NodeDecision = { node, filters, scores: [] };
    const { scores, present } = this;
    if (scores === undefined || present === undefined) return decision;
    const n = this.names.length;
    const p = this.scorePlugins.length;
    this.scorePlugins.forEach((plugin, i) => {
      if (present[i * n + r]) decision.scores.push({ plugin, raw: scores[3 * i * n + r], normalized: scores[(3 * i + 1) * n + r], weighted: scores[(3 * i + 2) * n + r] });
    });
    if (present[p * n + r]) decision.total = scores[3 * p * n + r];
    return decision;
  }
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
  private readonly records = new Map<string, { record: DecisionRecord; rows: number }>();
  private heldRows = 0;

  constructor(
    private readonly capacity = 100,
    private readonly rows = 2_000,
  ) {}

  /** Keeps a record; `rows` is how many nodes it has (a CycleRecord tells without making them). */
  add(record: DecisionRecord, rows = record.nodes.length): void {
    this.remove(record.pod);
    this.records.set(record.pod, { record, rows });
    this.heldRows += rows;
    while (this.records.size > this.capacity || (this.heldRows > this.rows && this.records.size > 1)) this.remove(this.records.keys().next().value!);
  }

  get(pod: string): DecisionRecord | undefined {
    return this.records.get(pod)?.record;
  }

  all(): DecisionRecord[] {
    return [...this.records.values()].map((r) => r.record);
  }

  private remove(pod: string): void {
    const old = this.records.get(pod);
    if (old === undefined) return;
    this.records.delete(pod);
    this.heldRows -= old.rows;
  }
}
