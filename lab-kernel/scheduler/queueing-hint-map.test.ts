import { describe, expect, it } from 'vitest';
import { Client } from '../client/client';
import { ApiServer } from '../apiserver/api-server';
import { LocalEtcd } from '../etcd/storage';
import { Network } from '../sim/network';
import { Rng } from '../sim/rng';
import { Simulation } from '../sim/simulation';
import { MvccStore } from '../store/mvcc-store';
import { EVENT_UNSCHEDULABLE_TIMEOUT, eventLabel, type ClusterEvent } from './cluster-events';
import { Framework } from './framework';
import type { FilterPlugin, Plugin, QueuedPodInfo, QueueingHintFn } from './framework-types';
import { success } from './framework-types';
import { testNode, testPod } from './plugins/testing';
import { defaultProfile } from './profiles';
import { buildQueueingHintMap, enqueueExtensionPlugins, isPodWorthRequeuing } from './queueing-hint-map';
import { REFERENCE_CODE } from './reference-code.fixture';

const filter = (name: string, events?: ReturnType<NonNullable<Plugin['eventsToRegister']>>): FilterPlugin => ({
  name,
  filter: () => success(),
  ...(events === undefined ? {} : { eventsToRegister: () => events }),
});
const rejectedBy = (...plugins: string[]): QueuedPodInfo => ({ pod: testPod('p'), timestamp: 0, attempts: 1, unschedulablePlugins: new Set(plugins) });
const NODE_LABEL: ClusterEvent = { resource: 'Node', actions: ['UpdateNodeLabel'] };
const NODE_TAINT: ClusterEvent = { resource: 'Node', actions: ['UpdateNodeTaint'] };
const skipAll: QueueingHintFn = () => 'QueueSkip';

function defaultProfileMap() {
  const sim = new Simulation({ seed: 1 });
  const net = new Network(sim);
  const client = new Client('kube-scheduler', net, new ApiServer(sim, net, new LocalEtcd(sim, new MvccStore(), 'kube-apiserver')));
  const fw = new Framework(defaultProfile({ client, code: REFERENCE_CODE }), REFERENCE_CODE['select-host'], new Rng(1));
  return buildQueueingHintMap(enqueueExtensionPlugins(fw.plugins), fw.extenderNames);
}

describe('buildQueueingHintMap', () => {
  it('the quirk: a plugin registering Node Add but not UpdateNodeTaint also gets an always-Queue UpdateNodeTaint', () => {
    const map = buildQueueingHintMap([filter('AddOnly', [{ event: { resource: 'Node', actions: ['Add'] }, hint: skipAll }]), filter('Both', [{ event: { resource: 'Node', actions: ['Add', 'UpdateNodeTaint'] }, hint: skipAll }])]);
    expect(map.get('NodeUpdateNodeTaint')?.fns.map((f) => f.plugin)).toEqual(['AddOnly']);
    expect(isPodWorthRequeuing(map, rejectedBy('AddOnly'), NODE_TAINT, testNode('n'), testNode('n')), 'its own Add hint skips everything; the added one queues').toBe('queueAfterBackoff');
    expect(isPodWorthRequeuing(map, rejectedBy('Both'), NODE_TAINT, testNode('n'), testNode('n')), 'it registered UpdateNodeTaint itself: its own hint decides').toBe('queueSkip');
  });

  it('a Filter plugin that registers nothing is woken by every event of every kind, always Queue; an empty list by none', () => {
    const map = buildQueueingHintMap([filter('Legacy'), filter('Gate', [])]);
    for (const e of [NODE_LABEL, { resource: 'AssignedPod', actions: ['UpdatePodOther'] }, { resource: 'PersistentVolumeClaim', actions: ['Add'] }] as ClusterEvent[]) {
      expect(isPodWorthRequeuing(map, rejectedBy('Legacy'), e, undefined, undefined), eventLabel(e)).toBe('queueAfterBackoff');
      expect(isPodWorthRequeuing(map, rejectedBy('Gate'), e, undefined, undefined), eventLabel(e)).toBe('queueSkip');
    }
  });

  it("the default profile: only PreFilter/Filter plugins register; DefaultPreemption, ImageLocality, BalancedAllocation, PrioritySort and DefaultBinder don't", () => {
    const registered = new Set([...defaultProfileMap().values()].flatMap((e) => e.fns.map((f) => f.plugin)));
    expect([...registered].sort()).toEqual(['InterPodAffinity', 'NodeAffinity', 'NodeName', 'NodePorts', 'NodeResourcesFit', 'NodeUnschedulable', 'PodTopologySpread', 'TaintToleration', 'VolumeBinding', 'VolumeRestrictions']);
  });

  it('the default profile: who is asked about each node change (the quirk gives UpdateNodeTaint to every plugin registering Node Add)', () => {
    const map = defaultProfileMap();
    const askedAbout = (action: string) => [...new Set([...map.values()].filter((e) => e.event.resource === 'Node' && e.event.actions.includes(action as never)).flatMap((e) => e.fns.map((f) => f.plugin)))].sort();
    expect(askedAbout('UpdateNodeTaint')).toEqual(['InterPodAffinity', 'NodeAffinity', 'NodeName', 'NodePorts', 'NodeResourcesFit', 'NodeUnschedulable', 'PodTopologySpread', 'TaintToleration', 'VolumeBinding', 'VolumeRestrictions']);
    expect(askedAbout('UpdateNodeAllocatable')).toEqual(['NodeResourcesFit']);
    expect(askedAbout('UpdateNodeLabel')).toEqual(['InterPodAffinity', 'NodeAffinity', 'PodTopologySpread', 'VolumeBinding']);
    expect(askedAbout('UpdateNodeCondition')).toEqual([]);
    expect(askedAbout('UpdateNodeAnnotation')).toEqual([]);
  });
});

describe('isPodWorthRequeuing', () => {
  const map = buildQueueingHintMap([
    filter('Skips', [{ event: NODE_LABEL, hint: skipAll }]),
    filter('Throws', [{ event: NODE_LABEL, hint: () => { throw new Error('not implemented yet: node-affinity'); } }]),
    filter('Queues', [{ event: NODE_LABEL }]),
  ]);
  const rows: [string, string[], string][] = [
    ['a rejector whose hint says QueueSkip => queueSkip', ['Skips'], 'queueSkip'],
    ['a rejector whose hint throws => queueAfterBackoff (counts as Queue)', ['Throws'], 'queueAfterBackoff'],
    ['two rejectors, one says Queue => queueAfterBackoff (the first Queue wins)', ['Skips', 'Queues'], 'queueAfterBackoff'],
    ['a rejector with no registration for the event => queueSkip', ['Elsewhere'], 'queueSkip'],
    ['no rejectors (an Error, no nodes) => queueAfterBackoff', [], 'queueAfterBackoff'],
  ];
  it.each(rows)('%s', (_name, rejectors, expected) => {
    expect(isPodWorthRequeuing(map, rejectedBy(...rejectors), NODE_LABEL, testNode('n'), testNode('n'))).toBe(expected);
  });

  it("runs only the rejectors' hints: a hint of a plugin that did not reject the pod is never called", () => {
    let calls = 0;
    const counted = buildQueueingHintMap([filter('Counted', [{ event: NODE_LABEL, hint: () => (calls++, 'Queue') }]), filter('Skips', [{ event: NODE_LABEL, hint: skipAll }])]);
    expect(isPodWorthRequeuing(counted, rejectedBy('Skips'), NODE_LABEL, undefined, testNode('n'))).toBe('queueSkip');
    expect(calls).toBe(0);
  });

  it('the 5-minute timeout (the wildcard) requeues every rejected pod; no hint map for its profile => queueAfterBackoff', () => {
    expect(isPodWorthRequeuing(map, rejectedBy('Skips'), EVENT_UNSCHEDULABLE_TIMEOUT, undefined, undefined)).toBe('queueAfterBackoff');
    expect(isPodWorthRequeuing(undefined, rejectedBy('Skips'), NODE_LABEL, undefined, testNode('n'))).toBe('queueAfterBackoff');
  });
});
