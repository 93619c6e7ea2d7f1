import { objectKey } from '../api/resources';
import type { Pod } from '../api/types';
import type { Rng } from '../sim/rng';
import { CycleRecord, type FilterVerdict } from './decision-record';
import type { Extender } from './extender';
import { MAX_EXTENDER_PRIORITY } from './extender';
import { fitErrorMessage, type Diagnosis } from './fit-error';
import {
  MAX_NODE_SCORE,
  snapshotOf,
  success,
  unschedulable,
  type BindPlugin,
  type CycleState,
  type FilterPlugin,
  type Handle,
  type NodeInfo,
  type NodeScore,
  type NodeToStatus,
  type PermitPlugin,
  type PostFilterPlugin,
  type PreBindPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type QueueSortPlugin,
  type ReservePlugin,
  type ScorePlugin,
  type Snapshot,
  type Status,
  unresolvable,
} from './framework-types';
import type { PluginScores, SelectHost, SelectHostOutput } from './select-host-contract';

/**
 * The scheduling framework's runner (kube-scheduler's frameworkImpl plus schedulePod in
 * schedule_one.go): it runs one profile's plugins at each extension point for one pod.
 *
 *   const fw = new Framework(profile, selectHost, rng);
 *   fw.schedulePod(pod, cache.updateSnapshot())
 *   // => { kind: 'scheduled', node: 'node-2', state, evaluatedNodes: 3, feasibleNodes: 2 }
 *   // or { kind: 'unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu. preemption: ...', plugins: {'NodeResourcesFit'} }
 *
 * schedulePod is the scheduling cycle up to the choice of node:
 *   PreFilter -> Filter (on as many nodes as percentageOfNodesToScore asks, from a rotating
 *   start) -> extenders' filter -> PostFilter (only if no node passed) -> PreScore -> Score ->
 *   NormalizeScore -> weights -> the pick (the `select-host` slot).
 * The scheduler runtime (scheduler.ts) then runs Reserve and Permit, and the binding cycle
 * (PreBind, Bind, PostBind) through runReserve, runPermit, runPreBind and runBind.
 */
export interface ScorePluginEntry {
  plugin: ScorePlugin;
  weight: number;
}

/** Which plugins a profile runs at each extension point, in order. */
export interface ProfilePlugins {
  queueSort: QueueSortPlugin;
  preFilter: PreFilterPlugin[];
  filter: FilterPlugin[];
  postFilter: PostFilterPlugin[];
  preScore: PreScorePlugin[];
  score: ScorePluginEntry[];
  reserve: ReservePlugin[];
  permit: PermitPlugin[];
  preBind: PreBindPlugin[];
  bind: BindPlugin[];
}

/** What plugins get from the framework: the cycle's snapshot, and Filter on one node (for preemption). */
export interface FrameworkHandle extends Handle {
  runFilterPlugins(state: CycleState, pod: Readonly<Pod>, node: NodeInfo): Status;
}

/** A scheduling profile (KubeSchedulerProfile): a schedulerName, its plugins, and how many nodes to score. */
export interface Profile {
  schedulerName: string;
  /** Builds the plugins; each gets the framework's handle. */
  plugins(handle: FrameworkHandle): ProfilePlugins;
  /** 1..100, or 0 / left out for the adaptive default. */
  percentageOfNodesToScore?: number;
  extenders?: Extender[];
}

export type ScheduleOutcome =
  | { kind: 'scheduled'; node: string; state: CycleState; evaluatedNodes: number; feasibleNodes: number; record?: CycleRecord }
  | {
      kind: 'unschedulable';
      state: CycleState;
      /** The FailedScheduling message. */
      message: string;
      /** The plugins that rejected the pod somewhere: only events they care about retry it. */
      plugins: Set<string>;
      /** Set when preemption made room: the node, and the pods to evict. */
      nominatedNodeName?: string;
      victims?: Readonly<Pod>[];
      record?: CycleRecord;
    }
  | { kind: 'error'; message: string };

/** kube-scheduler's minFeasibleNodesToFind and minFeasibleNodesPercentageToFind. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
/** schedulePod's error when the cluster has no nodes at all (ErrNoNodesAvailable). */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';
const NO_SKIP: ReadonlySet<string> = new Set();
/** One shared Success for the nodes that pass every filter (never changed by anyone). */

/**
 * How many feasible nodes to find before Filter stops (numFeasibleNodesToFind): every node in a
 * small cluster; otherwise `percentage` of them (adaptive when 0: 50% minus 1% per 125 nodes, at
 * least 5%), and never fewer than 100. Integer arithmetic, as in Go.
 *
 *   numFeasibleNodesToFind(0, 50)    // => 50   (under 100 nodes: all)
 *   numFeasibleNodesToFind(0, 5000)  // => 500  (50 - 5000/125 = 10%)
 *   numFeasibleNodesToFind(0, 1000)  // => 420  (42%)
 *   numFeasibleNodesToFind(0, 10000) // => 500  (5%, the floor)
 *   numFeasibleNodesToFind(30, 500)  // => 150
 */
export function numFeasibleNodesToFind(percentage: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let p = percentage;
  if (p <= 0) p = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND, 50 - Math.trunc(numAllNodes / 125));
  const n = Math.trunc((numAllNodes * Math.min(p, 100)) / 100);
  return Math.max(n, MIN_FEASIBLE_NODES_TO_FIND);
}

export class Framework {
  readonly schedulerName: string;
  readonly plugins: ProfilePlugins;
  private readonly extenders: Extender[];
  private readonly percentage: number;
  private snapshot: Snapshot = snapshotOf([]);
  /** Where the next Filter pass starts (nextStartNodeIndex), so that every node gets its turn. */
  private nextStartNodeIndex = 0;
  /** Plugin name => its shared pass verdict (passed()). */
  private readonly passes = new Map<string, FilterVerdict>();

  constructor(
    profile: Profile,
    private readonly selectHost: SelectHost,
    private readonly rng: Rng,
  ) {
    this.schedulerName = profile.schedulerName;
    this.extenders = profile.extenders ?? [];
    this.percentage = profile.percentageOfNodesToScore ?? 0;
    const handle: FrameworkHandle = {
      snapshot: () => this.snapshot,
      runFilterPlugins: (state, pod, node) => this.runFilterPlugins(state, pod, node, NO_SKIP),
    };
    this.plugins = profile.plugins(handle);
  }

  /** The extenders' names: a pod an extender filtered out names it among its rejectors. */
  get extenderNames(): string[] {
    return this.extenders.map((e) => e.name);
  }

  /** The index the next Filter pass starts at. */
  get startIndex(): number {
    return this.nextStartNodeIndex;
  }

  /** The scheduling cycle up to the choice of a node (see the module comment). */
  schedulePod(pod: Readonly<Pod>, snapshot: Snapshot, record = false): ScheduleOutcome {
    this.snapshot = snapshot;
    const state: CycleState = new Map();
    const all = snapshot.nodeInfos();
    if (all.length === 0) return { kind: 'unschedulable', state, message: NO_NODES_AVAILABLE, plugins: new Set(), record: record ? this.newRecord(pod, []) : undefined };

    const diagnosis: Diagnosis = { numAllNodes: all.length, nodeToStatus: new Map() };
    const failedPlugins = new Set<string>();
    const pre = this.runPreFilter(state, pod, all);
    if (pre.kind === 'error') return pre;
    const rec = record ? this.newRecord(pod, pre.kind === 'ok' ? this.plugins.filter.filter((p) => !pre.skip.has(p.name)).map((p) => p.name) : []) : undefined;
    let feasible: NodeInfo[] = [];
    /** Nodes a PreFilter ruled out: in the message, but never evaluated. */
    let excluded = 0;
    if (pre.kind === 'rejected') {
      diagnosis.preFilterMsg = pre.status.reasons.join(', ');
      failedPlugins.add(pre.status.plugin!);
      for (const n of all) diagnosis.nodeToStatus.set(n.node.metadata.name!, pre.status);
    } else {
      const candidates = pre.nodeNames === undefined ? all : all.filter((n) => pre.nodeNames!.has(n.node.metadata.name!));
      // Nodes a PreFilter ruled out are not tried, but they count in the message, as
      // kube-scheduler's "node(s) didn't satisfy plugin(s) [NodeAffinity]" (and wake the pod on a fitting node).
      if (pre.nodeNames !== undefined) {
        const status = unresolvable(`node(s) didn't satisfy plugin(s) [${[...pre.narrowedBy].sort().join(' ')}]`);
        for (const n of all) {
          if (pre.nodeNames.has(n.node.metadata.name!)) continue;
          diagnosis.nodeToStatus.set(n.node.metadata.name!, status);
          excluded++;
        }
        pre.narrowedBy.forEach((name) => failedPlugins.add(name));
      }
      const found = this.findNodesThatPassFilters(state, pod, candidates, pre.skip, diagnosis.nodeToStatus, failedPlugins, rec);
      if (found.kind === 'error') return found;
      feasible = this.findNodesThatPassExtenders(pod, found.nodes, diagnosis.nodeToStatus, failedPlugins);
    }

    if (feasible.length === 0) {
      const post = this.runPostFilter(state, pod, diagnosis.nodeToStatus);
      if (post.kind === 'error') return post;
      if (post.kind === 'message') diagnosis.postFilterMsg = post.message;
      const message = fitErrorMessage(diagnosis);
      if (rec) rec.message = message;
      const nominated = post.kind === 'nominated' ? { nominatedNodeName: post.node, victims: post.victims } : {};
      return { kind: 'unschedulable', state, message, plugins: failedPlugins, ...nominated, record: rec };
    }
    const evaluatedNodes = feasible.length + diagnosis.nodeToStatus.size - excluded;
    if (feasible.length === 1) {
      if (rec) rec.selected = feasible[0].node.metadata.name!;
      return { kind: 'scheduled', node: feasible[0].node.metadata.name!, state, evaluatedNodes, feasibleNodes: 1, record: rec };
    }
    const scored = this.prioritizeNodes(state, pod, feasible, rec);
    if (scored.kind === 'error') return scored;
    if (rec) rec.selected = scored.host;
    return { kind: 'scheduled', node: scored.host, state, evaluatedNodes, feasibleNodes: feasible.length, record: rec };
  }

  /** Each Filter plugin in turn on one node, stopping at the first that does not pass (RunFilterPlugins). */
  runFilterPlugins(state: CycleState, pod: Readonly<Pod>, node: NodeInfo, skip: ReadonlySet<string>): Status {
    for (const p of this.plugins.filter) {
      if (skip.has(p.name)) continue;
      const status = p.filter(state, pod, node);
      if (status.code !== 'Success') return Object.assign({}, status, { plugin: p.name });
    }
    return success();
  }

  /** A plugin's pass, one frozen verdict shared by every node it passes (most verdicts are passes). */
  private readonly passed = (plugin: string): FilterVerdict => {
    let verdict = this.passes.get(plugin);
    if (verdict === undefined) this.passes.set(plugin, (verdict = Object.freeze({ plugin, code: 'Success', reasons: Object.freeze([]) as unknown as string[] })));
    return verdict;
  };

  /** An empty record of this cycle, which runs these Filter plugins. */
  private newRecord(pod: Readonly<Pod>, filterPlugins: readonly string[]): CycleRecord {
    return new CycleRecord(objectKey(pod), this.schedulerName, filterPlugins, this.passed);
  }

  /** Reserve on every plugin; on a failure, Unreserve on all of them (RunReservePluginsReserve). */
  runReserve(state: CycleState, pod: Readonly<Pod>, nodeName: string): Status {
    for (const p of this.plugins.reserve) {
      const status = p.reserve(state, pod, nodeName);
      if (status.code !== 'Success') {
        this.runUnreserve(state, pod, nodeName);
        return Object.assign({}, status, { plugin: p.name });
      }
    }
    return success();
  }

  /** Unreserve, in reverse order (RunReservePluginsUnreserve). */
  runUnreserve(state: CycleState, pod: Readonly<Pod>, nodeName: string): void {
    for (const p of [...this.plugins.reserve].reverse()) p.unreserve(state, pod, nodeName);
  }

  /**
   * Permit on every plugin: the first rejection wins; otherwise Wait if any plugin waits, with
   * the shortest timeout and the plugin that asked for it (whose timer rejects the pod first).
   */
  runPermit(state: CycleState, pod: Readonly<Pod>, nodeName: string): { status: Status; timeoutMs?: number } {
    let timeoutMs: number | undefined;
    let waiter: string | undefined;
    for (const p of this.plugins.permit) {
      const r = p.permit(state, pod, nodeName);
      if (r.status.code === 'Wait') {
        if ((r.timeoutMs ?? 0) < (timeoutMs ?? Infinity)) waiter = p.name;
        timeoutMs = Math.min(timeoutMs ?? Infinity, r.timeoutMs ?? 0);
      } else if (r.status.code !== 'Success') return { status: Object.assign({}, r.status, { plugin: p.name }) };
    }
    return timeoutMs === undefined ? { status: success() } : { status: { code: 'Wait', reasons: [], plugin: waiter }, timeoutMs };
  }

  /** PreBind plugins one after another; `done` gets the first failure or Success. */
  runPreBind(state: CycleState, pod: Readonly<Pod>, nodeName: string, done: (status: Status) => void): void {
    const step = (i: number): void => {
      if (i >= this.plugins.preBind.length) return done(success());
      const p = this.plugins.preBind[i];
      p.preBind(state, pod, nodeName, (status) => (status.code === 'Success' ? step(i + 1) : done(Object.assign({}, status, { plugin: p.name }))));
    };
    step(0);
  }

  /** Bind plugins in order until one does not Skip (RunBindPlugins). */
  runBind(state: CycleState, pod: Readonly<Pod>, nodeName: string, done: (status: Status) => void): void {
    const step = (i: number): void => {
      if (i >= this.plugins.bind.length) return done({ code: 'Error', reasons: ['no bind plugin bound the pod'] });
      const p = this.plugins.bind[i];
      p.bind(state, pod, nodeName, (status) => (status.code === 'Skip' ? step(i + 1) : done(status.code === 'Success' ? status : Object.assign({}, status, { plugin: p.name }))));
    };
    step(0);
  }

  private runPreFilter(
    state: CycleState,
    pod: Readonly<Pod>,
    nodes: readonly NodeInfo[],
  ): { kind: 'ok'; skip: Set<string>; nodeNames?: Set<string>; narrowedBy: string[] } | { kind: 'rejected'; status: Status } | { kind: 'error'; message: string } {
    const skip = new Set<string>();
    let nodeNames: Set<string> | undefined;
    const narrowedBy: string[] = [];
    for (const p of this.plugins.preFilter) {
      const { result, status } = p.preFilter(state, pod, nodes);
      if (status.code === 'Skip') skip.add(p.name);
      else if (status.code === 'Error') return { kind: 'error', message: `running PreFilter plugin "${p.name}": ${status.reasons.join(', ')}` };
      else if (status.code !== 'Success') return { kind: 'rejected', status: Object.assign({}, status, { plugin: p.name }) };
      if (result?.nodeNames !== undefined) {
        narrowedBy.push(p.name);
        nodeNames = nodeNames === undefined ? new Set(result.nodeNames) : new Set([...nodeNames].filter((n) => result.nodeNames!.has(n)));
      }
    }
    return { kind: 'ok', skip, nodeNames, narrowedBy };
  }

  /**
   * Filter from nextStartNodeIndex round the list, until enough feasible nodes are found
   * (numFeasibleNodesToFind); the next pod starts where this one stopped.
   */
  private findNodesThatPassFilters(
    state: CycleState,
    pod: Readonly<Pod>,
    nodes: readonly NodeInfo[],
    skip: Set<string>,
    statuses: NodeToStatus,
    failedPlugins: Set<string>,
    rec: CycleRecord | undefined,
  ): { kind: 'ok'; nodes: NodeInfo[] } | { kind: 'error'; message: string } {
    const wanted = numFeasibleNodesToFind(this.percentage, nodes.length);
    const feasible: NodeInfo[] = [];
    if (nodes.length === 0) return { kind: 'ok', nodes: feasible };
    const start = this.nextStartNodeIndex % nodes.length;
    let processed = 0;
    for (let i = 0; i < nodes.length && feasible.length < wanted; i++) {
      const node = nodes[(start + i) % nodes.length];
      processed++;
      const status = this.runFilterPlugins(state, pod, node, skip);
      rec?.tried(node.node.metadata.name!, status);
      if (status.code === 'Success') feasible.push(node);
      else if (status.code === 'Error') return { kind: 'error', message: `running "${status.plugin}" filter plugin: ${status.reasons.join(', ')}` };
      else {
        statuses.set(node.node.metadata.name!, status);
        failedPlugins.add(status.plugin!);
      }
    }
    this.nextStartNodeIndex = (start + processed) % nodes.length;
    return { kind: 'ok', nodes: feasible };
  }

  private findNodesThatPassExtenders(pod: Readonly<Pod>, feasible: NodeInfo[], statuses: NodeToStatus, failedPlugins: Set<string>): NodeInfo[] {
    let nodes = feasible;
    for (const ext of this.extenders) {
      if (ext.filter === undefined || nodes.length === 0) continue;
      const result = ext.filter(pod, nodes);
      const passed = new Set(result.nodeNames);
      for (const [name, reason] of Object.entries(result.failed)) {
        statuses.set(name, Object.assign({}, unschedulable(reason), { plugin: ext.name }));
        failedPlugins.add(ext.name);
      }
      nodes = nodes.filter((n) => passed.has(n.node.metadata.name!));
    }
    return nodes;
  }

  private runPostFilter(
    state: CycleState,
    pod: Readonly<Pod>,
    statuses: NodeToStatus,
  ): { kind: 'none' } | { kind: 'message'; message: string } | { kind: 'nominated'; node: string; victims: Readonly<Pod>[] } | { kind: 'error'; message: string } {
    const messages: string[] = [];
    for (const p of this.plugins.postFilter) {
      const r = p.postFilter(state, pod, statuses);
      if (r.status.code === 'Success' && r.nominatedNodeName !== undefined) return { kind: 'nominated', node: r.nominatedNodeName, victims: r.victims ?? [] };
      if (r.status.code === 'Error') return { kind: 'error', message: `running PostFilter plugin "${p.name}": ${r.status.reasons.join(', ')}` };
      messages.push(...r.status.reasons);
    }
    return messages.length === 0 ? { kind: 'none' } : { kind: 'message', message: messages.join(', ') };
  }

  /** PreScore, Score, NormalizeScore, then weights, extenders and the pick through the select-host slot. */
  private prioritizeNodes(state: CycleState, pod: Readonly<Pod>, nodes: NodeInfo[], rec: CycleRecord | undefined): { kind: 'ok'; host: string } | { kind: 'error'; message: string } {
    const skip = new Set<string>();
    for (const p of this.plugins.preScore) {
      const status = p.preScore(state, pod, nodes);
      if (status.code === 'Skip') skip.add(p.name);
      else if (status.code !== 'Success') return { kind: 'error', message: `running PreScore plugin "${p.name}": ${status.reasons.join(', ')}` };
    }
    const plugins: PluginScores[] = [];
    /** Each plugin's scores before NormalizeScore, for the record. */
    const raw = new Map<string, number[]>();
    for (const { plugin, weight } of this.plugins.score) {
      if (skip.has(plugin.name)) continue;
      const scores: NodeScore[] = new Array(nodes.length);
      for (let i = 0; i < nodes.length; i++) {
        const r = plugin.score(state, pod, nodes[i]);
        if (r.status.code !== 'Success') return { kind: 'error', message: `running Score plugin "${plugin.name}": ${r.status.reasons.join(', ')}` };
        scores[i] = { name: nodes[i].node.metadata.name!, score: r.score };
      }
      if (rec) raw.set(plugin.name, scores.map((s) => s.score));
      if (plugin.normalizeScore !== undefined) {
        const status = plugin.normalizeScore(state, pod, scores);
        if (status.code !== 'Success') return { kind: 'error', message: `running Normalize on Score plugins: ${status.reasons.join(', ')}` };
      }
      plugins.push({ plugin: plugin.name, weight, normalize: 'none', scores });
    }
    for (const ext of this.extenders) {
      if (ext.prioritize === undefined) continue;
      const scores = ext.prioritize(pod, nodes);
      if (rec) raw.set(ext.name, scores.map((s) => s.score));
      plugins.push({ plugin: ext.name, weight: ext.weight * (MAX_NODE_SCORE / MAX_EXTENDER_PRIORITY), normalize: 'none', scores });
    }
    const names = nodes.map((n) => n.node.metadata.name!);
    const draws = new Array<number>(Math.max(0, names.length - 1));
    for (let i = 0; i < draws.length; i++) draws[i] = this.rng.next();
    let picked: SelectHostOutput;
    try {
      picked = this.selectHost({ nodes: names, plugins, draws });
    } catch (err) {
      // Learner code that fails is a scheduler error for this pod (retried with backoff), not a crash.
      return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
    }
    rec?.scored(plugins, raw, picked.weighted, picked.totals);
    return { kind: 'ok', host: picked.host };
  }
}

