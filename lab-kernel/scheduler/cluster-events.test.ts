import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../api/types';
import { eventLabel, eventMatches, nodeSchedulingPropertiesChange, objectsAs, podSchedulingPropertiesChange, type ClusterEvent } from './cluster-events';
import { testNode, testPod } from './plugins/testing';

const labels = (events: ClusterEvent[]) => events.map(eventLabel);

describe('nodeSchedulingPropertiesChange (events.go)', () => {
  const base = testNode('node-1', { labels: { zone: 'a' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } });
  const change = (f: (n: Node) => void): Node => {
    const n = structuredClone(base);
    f(n);
    return n;
  };
  const rows: [string, Node, Node, string[]][] = [
    ['uncordon => UpdateNodeTaint', change((n) => (n.spec.unschedulable = true)), base, ['NodeUpdateNodeTaint']],
    ['cordon => nothing', base, change((n) => (n.spec.unschedulable = true)), []],
    ['allocatable cpu 4 -> 8 => UpdateNodeAllocatable', base, change((n) => (n.status!.allocatable!.cpu = '8')), ['NodeUpdateNodeAllocatable']],
    ['allocatable "4" -> "4000m" (the same quantity) => nothing', base, change((n) => (n.status!.allocatable!.cpu = '4000m')), []],
    ['a label added => UpdateNodeLabel', base, change((n) => (n.metadata.labels!.disk = 'ssd')), ['NodeUpdateNodeLabel']],
    ['a taint added => UpdateNodeTaint', base, change((n) => (n.spec.taints = [{ key: 'gpu', effect: 'NoSchedule' }])), ['NodeUpdateNodeTaint']],
    ['no taints -> an empty list => nothing', base, change((n) => (n.spec.taints = [])), []],
    ['a condition turns False => UpdateNodeCondition', change((n) => (n.status!.conditions = [{ type: 'Ready', status: 'True' }])), change((n) => (n.status!.conditions = [{ type: 'Ready', status: 'False' }])), ['NodeUpdateNodeCondition']],
    [
      'a heartbeat only (same statuses) => nothing',
      change((n) => (n.status!.conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: '1' }])),
      change((n) => (n.status!.conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: '2' }])),
      [],
    ],
    ['an annotation added => UpdateNodeAnnotation', base, change((n) => (n.metadata.annotations = { note: 'x' })), ['NodeUpdateNodeAnnotation']],
    ['the podCIDR set => nothing', base, change((n) => (n.spec.podCIDR = '10.0.1.0/24')), []],
    [
      'uncordon, taint, label and allocatable at once => in upstream order, UpdateNodeTaint twice',
      change((n) => {
        n.spec.unschedulable = true;
        n.spec.taints = [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }];
      }),
      change((n) => {
        n.metadata.labels!.disk = 'ssd';
        n.status!.allocatable!.memory = '16Gi';
      }),
      ['NodeUpdateNodeTaint', 'NodeUpdateNodeAllocatable', 'NodeUpdateNodeLabel', 'NodeUpdateNodeTaint'],
    ],
  ];
  it.each(rows)('%s', (_name, old, node, expected) => {
    expect(labels(nodeSchedulingPropertiesChange(old, node))).toEqual(expected);
  });
});

describe('podSchedulingPropertiesChange (events.go)', () => {
  const withCpu = (cpu: string | undefined, meta: Partial<Pod['metadata']> = {}, spec: Partial<Pod['spec']> = {}): Pod => {
    const p = testPod('web', {}, { nodeName: 'node-1', ...spec }, [{ name: 'app', image: 'nginx', resources: cpu === undefined ? {} : { requests: { cpu } } }]);
    return { ...p, metadata: { ...p.metadata, ...meta } };
  };
  const rows: [string, Pod, Pod, string[]][] = [
    ['labels changed => AssignedPod UpdatePodLabel', withCpu('1'), withCpu('1', { labels: { tier: 'gold' } }), ['AssignedPodUpdatePodLabel']],
    ['a request lowered => UpdatePodScaleDown', withCpu('1'), withCpu('500m'), ['AssignedPodUpdatePodScaleDown']],
    ['a request removed => UpdatePodScaleDown', withCpu('1'), withCpu(undefined), ['AssignedPodUpdatePodScaleDown']],
    ['a request raised => UpdatePodOther', withCpu('1'), withCpu('2'), ['AssignedPodUpdatePodOther']],
    ['a toleration added => UpdatePodTolerations', withCpu('1'), withCpu('1', {}, { tolerations: [{ key: 'gpu', operator: 'Exists' }] }), ['AssignedPodUpdatePodTolerations']],
    ['only the status changed => UpdatePodOther', withCpu('1'), { ...withCpu('1'), status: { phase: 'Running' } }, ['AssignedPodUpdatePodOther']],
    [
      'a pending pod: labels and a toleration => UnschedulablePod, in upstream order',
      withCpu('1', {}, { nodeName: undefined }),
      withCpu('1', { labels: { a: 'b' } }, { nodeName: undefined, tolerations: [{ key: 'gpu', operator: 'Exists' }] }),
      ['UnschedulablePodUpdatePodLabel', 'UnschedulablePodUpdatePodTolerations'],
    ],
  ];
  it.each(rows)('%s', (_name, old, pod, expected) => {
    expect(labels(podSchedulingPropertiesChange(old, pod))).toEqual(expected);
  });
});

describe('which registrations an event matches (ClusterEvent.Match)', () => {
  const rows: [string, ClusterEvent, ClusterEvent, boolean][] = [
    ['Pod Delete matches an assigned pod deleted', { resource: 'Pod', actions: ['Delete'] }, { resource: 'AssignedPod', actions: ['Delete'] }, true],
    ['Pod Delete matches a pending pod deleted', { resource: 'Pod', actions: ['Delete'] }, { resource: 'UnschedulablePod', actions: ['Delete'] }, true],
    ['AssignedPod Add does not match a pending pod added', { resource: 'AssignedPod', actions: ['Add'] }, { resource: 'UnschedulablePod', actions: ['Add'] }, false],
    ['Node Add|UpdateNodeTaint does not match a label change', { resource: 'Node', actions: ['Add', 'UpdateNodeTaint'] }, { resource: 'Node', actions: ['UpdateNodeLabel'] }, false],
    ['Node Add|UpdateNodeTaint matches an uncordon', { resource: 'Node', actions: ['Add', 'UpdateNodeTaint'] }, { resource: 'Node', actions: ['UpdateNodeTaint'] }, true],
    ['Node UpdateNodeTaint does not match a pod event', { resource: 'Node', actions: ['UpdateNodeTaint'] }, { resource: 'AssignedPod', actions: ['UpdatePodTolerations'] }, false],
  ];
  it.each(rows)('%s', (_name, registered, happened, expected) => {
    expect(eventMatches(registered, happened)).toBe(expected);
  });

  it('a hint given an object of another kind throws (and so counts as Queue)', () => {
    expect(() => objectsAs<Node>('Node', undefined, testPod('p'))).toThrow(/expected a Node, got Pod/);
    expect(objectsAs<Node>('Node', undefined, testNode('n'))[1]?.metadata.name).toBe('n');
  });
});
