/**
 * Grader suite for exercise `node-affinity` (exercises/scheduler/node-affinity.ts).
 *
 * Table cases from kubernetes.io, "Assigning Pods to Nodes" (nodeSelector, node affinity,
 * operators, weights) and kube-scheduler's NodeAffinity plugin (its exact reason); then the
 * plugin's normalisation and a whole cluster scheduling with the learner's code.
 */
import { describe, expect, it } from 'vitest';
import type { Affinity, Labels, Node, NodeSelectorRequirement, Pod } from '../../lab-kernel/api/types';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import { snapshotOf, type NodeScore } from '../../lab-kernel/scheduler/framework-types';
import { nodeInfoFor } from '../../lab-kernel/scheduler/node-info';
import { nodeAffinityPlugin } from '../../lab-kernel/scheduler/plugins/node-affinity';
import { failedSchedulingMessages, labelNode, podsNamed, workerNames } from '../scheduler-scenarios';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const nodeAffinity = slotUnderTest('node-affinity');
const REASON = "node(s) didn't match Pod's node affinity/selector";

const node = (name: string, labels: Labels): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: {} });

function pod(spec: { nodeSelector?: Labels; affinity?: Affinity } = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } };
}

const required = (...terms: { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] }[]): Affinity => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
});
const expr = (key: string, operator: NodeSelectorRequirement['operator'], values?: string[]): NodeSelectorRequirement => ({ key, operator, ...(values ? { values } : {}) });

const NODE_1 = node('node-1', { 'topology.kubernetes.io/zone': 'antarctica-east1', disktype: 'ssd', cores: '8' });

describe('Part 1-3: Filter — nodeSelector and required node affinity', () => {
  const cases: { name: string; pod: Pod; node?: Node; fits: boolean }[] = [
    { name: 'a pod with no selector fits any node', pod: pod(), fits: true },
    { name: 'nodeSelector disktype: ssd fits a node labelled disktype=ssd', pod: pod({ nodeSelector: { disktype: 'ssd' } }), fits: true },
    { name: 'nodeSelector disktype: hdd does not', pod: pod({ nodeSelector: { disktype: 'hdd' } }), fits: false },
    { name: 'nodeSelector needs every label', pod: pod({ nodeSelector: { disktype: 'ssd', gpu: 'true' } }), fits: false },
    { name: 'zone In [antarctica-east1, antarctica-west1] matches east1', pod: pod({ affinity: required({ matchExpressions: [expr('topology.kubernetes.io/zone', 'In', ['antarctica-east1', 'antarctica-west1'])] }) }), fits: true },
    { name: 'In fails when the label is missing', pod: pod({ affinity: required({ matchExpressions: [expr('gpu', 'In', ['true'])] }) }), fits: false },
    { name: 'NotIn passes when the label is missing', pod: pod({ affinity: required({ matchExpressions: [expr('gpu', 'NotIn', ['true'])] }) }), fits: true },
    { name: 'NotIn fails when the value is listed', pod: pod({ affinity: required({ matchExpressions: [expr('disktype', 'NotIn', ['ssd'])] }) }), fits: false },
    { name: 'Exists needs the label, any value', pod: pod({ affinity: required({ matchExpressions: [expr('disktype', 'Exists')] }) }), fits: true },
    { name: 'DoesNotExist needs it absent', pod: pod({ affinity: required({ matchExpressions: [expr('disktype', 'DoesNotExist')] }) }), fits: false },
    { name: 'Gt compares integers: cores 8 > 4', pod: pod({ affinity: required({ matchExpressions: [expr('cores', 'Gt', ['4'])] }) }), fits: true },
    { name: 'Gt compares integers, not strings: cores 8 > 16 is false', pod: pod({ affinity: required({ matchExpressions: [expr('cores', 'Gt', ['16'])] }) }), fits: false },
    { name: 'Lt: cores 8 < 16', pod: pod({ affinity: required({ matchExpressions: [expr('cores', 'Lt', ['16'])] }) }), fits: true },
    { name: 'Gt and Lt do not work with non-integer values', pod: pod({ affinity: required({ matchExpressions: [expr('disktype', 'Gt', ['1'])] }) }), fits: false },
    { name: 'Gt on a missing label is false', pod: pod({ affinity: required({ matchExpressions: [expr('memory-gb', 'Gt', ['1'])] }) }), fits: false },
    { name: "Gt needs a whole number on the node too: cores '8.5' Gt 4 is false", pod: pod({ affinity: required({ matchExpressions: [expr('cores', 'Gt', ['4'])] }) }), node: node('half', { cores: '8.5' }), fits: false },
    { name: "a label with an empty value exists: DoesNotExist fails on gpu=''", pod: pod({ affinity: required({ matchExpressions: [expr('gpu', 'DoesNotExist')] }) }), node: node('empty', { gpu: '' }), fits: false },
    {
      name: 'expressions in one term are ANDed: zone matches but cores Gt 16 does not',
      pod: pod({ affinity: required({ matchExpressions: [expr('topology.kubernetes.io/zone', 'In', ['antarctica-east1']), expr('cores', 'Gt', ['16'])] }) }),
      fits: false,
    },
    {
      name: 'nodeSelectorTerms are ORed: the second term matches',
      pod: pod({ affinity: required({ matchExpressions: [expr('topology.kubernetes.io/zone', 'In', ['europe-west1'])] }, { matchExpressions: [expr('disktype', 'Exists')] }) }),
      fits: true,
    },
    { name: 'matchFields metadata.name In [node-1] picks the node by name', pod: pod({ affinity: required({ matchFields: [expr('metadata.name', 'In', ['node-1'])] }) }), fits: true },
    { name: 'matchFields metadata.name NotIn [node-1] keeps it away', pod: pod({ affinity: required({ matchFields: [expr('metadata.name', 'NotIn', ['node-1'])] }) }), fits: false },
    { name: 'matchFields only supports metadata.name: a term on any other field matches no node, even with NotIn', pod: pod({ affinity: required({ matchFields: [expr('metadata.uid', 'NotIn', ['x'])] }) }), fits: false },
    { name: 'a term with no requirements matches no node', pod: pod({ affinity: required({}) }), fits: false },
    {
      name: 'nodeSelector and nodeAffinity must both be satisfied',
      pod: pod({ nodeSelector: { disktype: 'hdd' }, affinity: required({ matchExpressions: [expr('disktype', 'Exists')] }) }),
      fits: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const target = c.node ?? NODE_1;
      const { status } = nodeAffinity({ pod: c.pod, node: target });
      const described = `${target.metadata.name} (labels ${JSON.stringify(target.metadata.labels)})`;
      if (c.fits) {
        expect(status.code, `the pod fits ${described}; got ${JSON.stringify(status)}`).toBe('Success');
      } else {
        expect(status.code, `the pod does not fit ${described}: UnschedulableAndUnresolvable`).toBe('UnschedulableAndUnresolvable');
        expect(status.reasons, "kube-scheduler's exact reason").toEqual([REASON]);
      }
    });
  }
});

describe('Part 4: Score — preferred terms add their weights', () => {
  const preferred = (...entries: [number, NodeSelectorRequirement[]][]): Affinity => ({
    nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: entries.map(([weight, matchExpressions]) => ({ weight, preference: { matchExpressions } })) },
  });
  const docsExample = preferred([1, [expr('label-1', 'In', ['key-1'])]], [50, [expr('label-2', 'In', ['key-2'])]]);

  it("the docs' example: a node with label-2=key-2 scores 50, one with label-1=key-1 scores 1", () => {
    expect(nodeAffinity({ pod: pod({ affinity: docsExample }), node: node('a', { 'label-2': 'key-2' }) }).score).toBe(50);
    expect(nodeAffinity({ pod: pod({ affinity: docsExample }), node: node('b', { 'label-1': 'key-1' }) }).score).toBe(1);
  });

  it('a node matching several preferred terms scores the sum of their weights', () => {
    expect(nodeAffinity({ pod: pod({ affinity: docsExample }), node: node('c', { 'label-1': 'key-1', 'label-2': 'key-2' }) }).score).toBe(51);
  });

  it('a node matching no preferred term scores 0, and still fits', () => {
    const result = nodeAffinity({ pod: pod({ affinity: docsExample }), node: node('d', {}) });
    expect(result.status.code, 'preferred terms never filter').toBe('Success');
    expect(result.score).toBe(0);
  });

  it('the plugin normalises: the best node gets 100, the others in proportion', () => {
    nodeAffinity({ pod: pod(), node: NODE_1 }); // your code first: a stub fails here
    const plugin = nodeAffinityPlugin({ snapshot: () => snapshotOf([]) }, { evaluate: nodeAffinity });
    const p = pod({ affinity: docsExample });
    const nodes = [node('both', { 'label-1': 'key-1', 'label-2': 'key-2' }), node('two', { 'label-2': 'key-2' }), node('none', {})];
    const scores: NodeScore[] = nodes.map((n) => ({ name: n.metadata.name!, score: plugin.score(new Map(), p, nodeInfoFor(n)).score }));
    plugin.normalizeScore!(new Map(), p, scores);
    expect(scores.map((s) => s.score), '51 => 100, 50 => 100 * 50 / 51 = 98, 0 => 0').toEqual([100, 98, 0]);
  });
});

describe(`A whole cluster scheduling with your code (seed ${SEED})`, () => {
  it('a pod with nodeSelector disktype: ssd lands on the one ssd node; one asking for nvme stays Pending', () => {
    nodeAffinity({ pod: pod(), node: NODE_1 }); // your code first: a stub fails here
    const cluster = createCluster({ seed: SEED, workers: 3, use: { 'node-affinity': SOURCE } });
    const workers = workerNames(cluster);
    labelNode(cluster, workers[1], { disktype: 'ssd' });
    cluster.runFor(1_000);
    const podYaml = (name: string, disk: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  nodeSelector:\n    disktype: ${disk}\n  containers:\n  - name: app\n    image: nginx:1.27\n`;
    cluster.apply(podYaml('fast', 'ssd'));
    cluster.apply(podYaml('faster', 'nvme'));
    cluster.runFor(10_000);
    expect(podsNamed(cluster, 'fast')[0].spec.nodeName, `the only node labelled disktype=ssd is ${workers[1]}`).toBe(workers[1]);
    expect(podsNamed(cluster, 'faster')[0].spec.nodeName, 'no node is labelled disktype=nvme').toBeUndefined();
    const [message] = failedSchedulingMessages(cluster, 'faster');
    expect(message, 'a FailedScheduling event in kube-scheduler\'s format').toMatch(new RegExp(`^0/${workers.length + 1} nodes are available: .*${workers.length} node\\(s\\) didn't match Pod's node affinity/selector`));
  });
});
