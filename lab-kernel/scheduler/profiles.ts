import type { Client } from '../client/client';
import type { SchedulerCode } from './scheduler-code';
import { DEFAULT_BINDER, defaultBinderPlugin } from './default-binder';
import { DEFAULT_PREEMPTION, defaultPreemptionPlugin } from './default-preemption';
import type { Extender } from './extender';
import type { FrameworkHandle, Profile, ProfilePlugins } from './framework';
import type { BindPlugin, FilterPlugin, PermitPlugin, Plugin, PostFilterPlugin, PreBindPlugin, PreFilterPlugin, PreScorePlugin, QueueSortPlugin, ReservePlugin, ScorePlugin } from './framework-types';
import { BALANCED_ALLOCATION, balancedAllocationPlugin } from './plugins/balanced-allocation';
import { IMAGE_LOCALITY, imageLocalityPlugin } from './plugins/image-locality';
import { INTER_POD_AFFINITY, interPodAffinityPlugin } from './plugins/inter-pod-affinity';
import { NODE_AFFINITY, nodeAffinityPlugin } from './plugins/node-affinity';
import { NODE_NAME, nodeNamePlugin } from './plugins/node-name';
import { NODE_PORTS, nodePortsPlugin } from './plugins/node-ports';
import { NODE_RESOURCES_FIT, nodeResourcesFitPlugin } from './plugins/node-resources-fit';
import { NODE_UNSCHEDULABLE, nodeUnschedulablePlugin } from './plugins/node-unschedulable';
import { POD_TOPOLOGY_SPREAD, podTopologySpreadPlugin } from './plugins/pod-topology-spread';
import { PRIORITY_SORT, prioritySortPlugin } from './plugins/priority-sort';
import { TAINT_TOLERATION, taintTolerationPlugin } from './plugins/taint-toleration';
import { VOLUME_BINDING, volumeBindingPlugin, type ClaimLister, type ClassLister } from './plugins/volume-binding';
import { VOLUME_RESTRICTIONS, volumeRestrictionsPlugin } from './plugins/volume-restrictions';

/**
 * Scheduling profiles: which plugins run, at which extension points, with which weights.
 *
 * kube-scheduler's default profile (pkg/scheduler/apis/config/v1/default_plugins.go) enables its
 * plugins at "multiPoint": each plugin runs at every extension point it implements, in this
 * order, and the Score plugins carry these weights:
 *
 *   SchedulingGates, PrioritySort, NodeUnschedulable, NodeName, TaintToleration (3),
 *   NodeAffinity (2), NodePorts, NodeResourcesFit (1), VolumeRestrictions, NodeVolumeLimits,
 *   VolumeBinding, VolumeZone, PodTopologySpread (2), InterPodAffinity (2), DefaultPreemption,
 *   NodeResourcesBalancedAllocation (1), ImageLocality (1), DefaultBinder
 *
 *   defaultProfile({ client })                                   // schedulerName 'default-scheduler'
 *   defaultProfile({ client, schedulerName: 'batch-scheduler', disabled: ['ImageLocality'] })
 *
 * Several profiles make several schedulers in one process, chosen by a pod's spec.schedulerName.
 * The lab has no plugin for SchedulingGates, NodeVolumeLimits or VolumeZone:
 * the default profile leaves them out (NOT_MODELLED).
 */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export interface PluginConfig {
  name: string;
  /** A Score plugin's weight (default 1, as kube-scheduler's). */
  weight?: number;
}

export const DEFAULT_PLUGINS: readonly PluginConfig[] = [
  { name: 'SchedulingGates' },
  { name: PRIORITY_SORT },
  { name: NODE_UNSCHEDULABLE },
  { name: NODE_NAME },
  { name: TAINT_TOLERATION, weight: 3 },
  { name: NODE_AFFINITY, weight: 2 },
  { name: NODE_PORTS },
  { name: NODE_RESOURCES_FIT, weight: 1 },
  { name: VOLUME_RESTRICTIONS },
  { name: 'NodeVolumeLimits' },
  { name: VOLUME_BINDING },
  { name: 'VolumeZone' },
  { name: POD_TOPOLOGY_SPREAD, weight: 2 },
  { name: INTER_POD_AFFINITY, weight: 2 },
  { name: DEFAULT_PREEMPTION },
  { name: BALANCED_ALLOCATION, weight: 1 },
  { name: IMAGE_LOCALITY, weight: 1 },
  { name: DEFAULT_BINDER },
];

/** Default plugins the lab does not implement. */
export const NOT_MODELLED: readonly string[] = ['SchedulingGates', 'NodeVolumeLimits', 'VolumeZone'];

/** What a plugin factory may use besides the framework's handle. */
export interface PluginContext {
  handle: FrameworkHandle;
  client: Client;
  /** The exercises' pure functions the plugins call (scheduler-code.ts). */
  code: SchedulerCode;
  /** Their references, for plugins that borrow another exercise's logic. */
  reference: SchedulerCode;
  claims: ClaimLister;
  classes: ClassLister;
  /** A timer, for plugins that wait (VolumeBinding's PreBind). */
  after: (ms: number, fn: () => void) => void;
}

export type PluginFactory = (ctx: PluginContext) => Plugin;

/** The in-tree registry: every plugin the lab implements, by name. */
export const IN_TREE_PLUGINS: Readonly<Record<string, PluginFactory>> = {
  [PRIORITY_SORT]: ({ handle }) => prioritySortPlugin(handle),
  [NODE_UNSCHEDULABLE]: ({ handle, reference }) => nodeUnschedulablePlugin(handle, { taintToleration: reference['taint-toleration'] }),
  [NODE_NAME]: ({ handle }) => nodeNamePlugin(handle),
  [TAINT_TOLERATION]: ({ handle, code }) => taintTolerationPlugin(handle, { evaluate: code['taint-toleration'] }),
  [NODE_AFFINITY]: ({ handle, code }) => nodeAffinityPlugin(handle, { evaluate: code['node-affinity'] }),
  [NODE_PORTS]: ({ handle }) => nodePortsPlugin(handle),
  [NODE_RESOURCES_FIT]: ({ handle, code }) => nodeResourcesFitPlugin(handle, { fit: code['node-resources-fit'] }),
  [VOLUME_RESTRICTIONS]: ({ handle, claims }) => volumeRestrictionsPlugin(handle, { claims }),
  [VOLUME_BINDING]: ({ handle, claims, classes, client, after }) => volumeBindingPlugin(handle, { claims, classes, client, after }),
  [POD_TOPOLOGY_SPREAD]: ({ handle, code, reference }) => podTopologySpreadPlugin(handle, { spread: code['pod-topology-spread'], nodeAffinity: reference['node-affinity'] }),
  [INTER_POD_AFFINITY]: ({ handle }) => interPodAffinityPlugin(handle),
  [DEFAULT_PREEMPTION]: ({ handle }) => defaultPreemptionPlugin(handle),
  [BALANCED_ALLOCATION]: ({ handle }) => balancedAllocationPlugin(handle),
  [IMAGE_LOCALITY]: ({ handle }) => imageLocalityPlugin(handle),
  [DEFAULT_BINDER]: ({ client }) => defaultBinderPlugin(client),
};

export interface ProfileOptions {
  client: Client;
  schedulerName?: string;
  /** The plugins, in order (default DEFAULT_PLUGINS, minus NOT_MODELLED). */
  plugins?: readonly PluginConfig[];
  /** Names to leave out of the list. */
  disabled?: readonly string[];
  /** Plugins of your own, by name, besides the in-tree ones. */
  registry?: Readonly<Record<string, PluginFactory>>;
  /** The exercises' pure functions (scheduler-code.ts), and their references (default: the same). */
  code: SchedulerCode;
  reference?: SchedulerCode;
  claims?: ClaimLister;
  classes?: ClassLister;
  after?: (ms: number, fn: () => void) => void;
  percentageOfNodesToScore?: number;
  extenders?: Extender[];
}

/** A profile whose plugins are enabled at every extension point they implement (multiPoint). */
export function defaultProfile(options: ProfileOptions): Profile {
  const registry = Object.assign({}, IN_TREE_PLUGINS, options.registry);
  const list = (options.plugins ?? DEFAULT_PLUGINS).filter((p) => !NOT_MODELLED.includes(p.name) && !(options.disabled ?? []).includes(p.name));
  for (const p of list) if (registry[p.name] === undefined) throw new Error(`plugin "${p.name}" is not registered`);
  return {
    schedulerName: options.schedulerName ?? DEFAULT_SCHEDULER_NAME,
    percentageOfNodesToScore: options.percentageOfNodesToScore,
    extenders: options.extenders,
    plugins: (handle) => {
      const ctx: PluginContext = { handle, client: options.client, code: options.code, reference: options.reference ?? options.code, claims: options.claims ?? (() => undefined), classes: options.classes ?? (() => undefined), after: options.after ?? ((_ms, fn) => fn()) };
      return multiPoint(list.map((p) => ({ plugin: registry[p.name](ctx), weight: p.weight ?? 1 })));
    },
  };
}

/** Places each plugin at every extension point it implements, keeping the list's order. */
export function multiPoint(enabled: readonly { plugin: Plugin; weight: number }[]): ProfilePlugins {
  const has = (p: Plugin, method: string) => typeof (p as unknown as Record<string, unknown>)[method] === 'function';
  const at = <T extends Plugin>(method: string): T[] => enabled.filter((e) => has(e.plugin, method)).map((e) => e.plugin as T);
  const queueSort = at<QueueSortPlugin>('less');
  if (queueSort.length !== 1) throw new Error(`a profile needs exactly one QueueSort plugin, got ${queueSort.length}`);
  return {
    queueSort: queueSort[0],
    preFilter: at<PreFilterPlugin>('preFilter'),
    filter: at<FilterPlugin>('filter'),
    postFilter: at<PostFilterPlugin>('postFilter'),
    preScore: at<PreScorePlugin>('preScore'),
    score: enabled.filter((e) => has(e.plugin, 'score')).map((e) => ({ plugin: e.plugin as ScorePlugin, weight: e.weight })),
    reserve: at<ReservePlugin>('reserve'),
    permit: at<PermitPlugin>('permit'),
    preBind: at<PreBindPlugin>('preBind'),
    bind: at<BindPlugin>('bind'),
  };
}
