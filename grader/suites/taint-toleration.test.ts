/**
 * Grader suite for exercise `taint-toleration` (exercises/scheduler/taint-toleration.ts).
 *
 * Table cases from kubernetes.io, "Taints and Tolerations", and kube-scheduler's
 * TaintToleration plugin (its exact reason); then the plugin's reversed normalisation and a
 * whole cluster scheduling with the learner's code.
 */
import { describe, expect, it } from 'vitest';
import type { Node, Pod, Taint, Toleration } from '../../lab-kernel/api/types';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import { snapshotOf, type NodeScore } from '../../lab-kernel/scheduler/framework-types';
import { nodeInfoFor } from '../../lab-kernel/scheduler/node-info';
import { taintTolerationPlugin } from '../../lab-kernel/scheduler/plugins/taint-toleration';
import { podsNamed, taintNode, workerNames } from '../scheduler-scenarios';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const taintToleration = slotUnderTest('taint-toleration');

const taint = (key: string, value: string | undefined, effect: Taint['effect']): Taint => ({ key, ...(value === undefined ? {} : { value }), effect });

describe('Part 1-3: Filter — which taints keep a pod out?', () => {
  const cases: { name: string; taints: Taint[]; tolerations: Toleration[]; reason?: string }[] = [
    { name: 'an untainted node takes any pod', taints: [], tolerations: [] },
    { name: 'key1=value1:NoSchedule keeps out a pod without tolerations', taints: [taint('key1', 'value1', 'NoSchedule')], tolerations: [], reason: 'node(s) had untolerated taint {key1: value1}' },
    { name: 'operator Equal with the same key, value and effect tolerates it', taints: [taint('key1', 'value1', 'NoSchedule')], tolerations: [{ key: 'key1', operator: 'Equal', value: 'value1', effect: 'NoSchedule' }] },
    { name: 'operator Exists with the key tolerates any value', taints: [taint('key1', 'value1', 'NoSchedule')], tolerations: [{ key: 'key1', operator: 'Exists', effect: 'NoSchedule' }] },
    { name: 'operator defaults to Equal: another value does not tolerate', taints: [taint('key1', 'value1', 'NoSchedule')], tolerations: [{ key: 'key1', value: 'value2', effect: 'NoSchedule' }], reason: 'node(s) had untolerated taint {key1: value1}' },
    { name: 'an empty key with operator Exists tolerates everything', taints: [taint('key1', 'value1', 'NoSchedule'), taint('key2', 'x', 'NoExecute')], tolerations: [{ operator: 'Exists' }] },
    { name: 'an empty effect matches every effect of key1', taints: [taint('key1', 'value1', 'NoSchedule'), taint('key1', 'value1', 'NoExecute')], tolerations: [{ key: 'key1', operator: 'Equal', value: 'value1' }] },
    { name: 'a toleration for another effect does not help (NoExecute toleration, NoSchedule taint)', taints: [taint('key1', 'value1', 'NoSchedule')], tolerations: [{ key: 'key1', operator: 'Exists', effect: 'NoExecute' }], reason: 'node(s) had untolerated taint {key1: value1}' },
    { name: 'NoExecute keeps pods out at scheduling too', taints: [taint('node.kubernetes.io/not-ready', undefined, 'NoExecute')], tolerations: [], reason: 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }' },
    {
      name: "the docs' example: key1 tolerated twice, key2=value1:NoSchedule is not: the pod stays out, named by key2",
      taints: [taint('key1', 'value1', 'NoSchedule'), taint('key1', 'value1', 'NoExecute'), taint('key2', 'value1', 'NoSchedule')],
      tolerations: [{ key: 'key1', operator: 'Equal', value: 'value1', effect: 'NoSchedule' }, { key: 'key1', operator: 'Equal', value: 'value1', effect: 'NoExecute' }],
      reason: 'node(s) had untolerated taint {key2: value1}',
    },
    { name: 'the reason names the first untolerated taint in the node\'s order', taints: [taint('a', '1', 'NoSchedule'), taint('b', '2', 'NoSchedule')], tolerations: [], reason: 'node(s) had untolerated taint {a: 1}' },
    { name: 'a taint without a value is tolerated by Exists, or by Equal with no value', taints: [taint('dedicated', undefined, 'NoSchedule')], tolerations: [{ key: 'dedicated', effect: 'NoSchedule' }] },
    { name: 'PreferNoSchedule never filters: the pod may still land there', taints: [taint('spot', 'true', 'PreferNoSchedule')], tolerations: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { status } = taintToleration({ taints: c.taints, tolerations: c.tolerations });
      if (c.reason === undefined) {
        expect(status.code, `expected Success, got ${status.code} ${JSON.stringify(status.reasons)}`).toBe('Success');
      } else {
        expect(status.code, 'an untolerated taint cannot be fixed by preemption: UnschedulableAndUnresolvable').toBe('UnschedulableAndUnresolvable');
        expect(status.reasons, "kube-scheduler's exact reason").toEqual([c.reason]);
      }
    });
  }
});

describe('Part 4: Score — PreferNoSchedule taints the pod does not tolerate', () => {
  const cases: { name: string; taints: Taint[]; tolerations: Toleration[]; score: number }[] = [
    { name: 'counts each intolerable PreferNoSchedule taint', taints: [taint('spot', 'yes', 'PreferNoSchedule'), taint('old', '1', 'PreferNoSchedule')], tolerations: [], score: 2 },
    { name: 'a tolerated PreferNoSchedule taint does not count', taints: [taint('spot', 'yes', 'PreferNoSchedule'), taint('old', '1', 'PreferNoSchedule')], tolerations: [{ key: 'spot', operator: 'Exists', effect: 'PreferNoSchedule' }], score: 1 },
    { name: 'a toleration without an effect softens PreferNoSchedule too', taints: [taint('spot', 'yes', 'PreferNoSchedule')], tolerations: [{ key: 'spot', operator: 'Exists' }], score: 0 },
    { name: 'a NoSchedule toleration does not soften a PreferNoSchedule taint', taints: [taint('spot', 'yes', 'PreferNoSchedule')], tolerations: [{ key: 'spot', operator: 'Exists', effect: 'NoSchedule' }], score: 1 },
    { name: 'NoSchedule and NoExecute taints are not counted in the score', taints: [taint('a', '1', 'NoSchedule'), taint('b', '1', 'NoExecute')], tolerations: [{ operator: 'Exists' }], score: 0 },
    {
      name: 'a NoSchedule taint tolerated by a NoSchedule toleration is not counted (the score only looks at PreferNoSchedule taints)',
      taints: [taint('gpu', 'true', 'NoSchedule'), taint('spot', 'yes', 'PreferNoSchedule')],
      tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
      score: 1,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(taintToleration({ taints: c.taints, tolerations: c.tolerations }).score, `expected a raw score of ${c.score}`).toBe(c.score);
    });
  }

  it('the plugin reverses the counts: no intolerable taints => 100, the most => 0', () => {
    taintToleration({ taints: [], tolerations: [] }); // your code first: a stub fails here
    const plugin = taintTolerationPlugin({ snapshot: () => snapshotOf([]) }, { evaluate: taintToleration });
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const node = (name: string, taints: Taint[]): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { taints } });
    const nodes = [node('clean', []), node('one', [taint('a', '1', 'PreferNoSchedule')]), node('two', [taint('a', '1', 'PreferNoSchedule'), taint('b', '1', 'PreferNoSchedule')])];
    const scores: NodeScore[] = nodes.map((n) => ({ name: n.metadata.name!, score: plugin.score(new Map(), pod, nodeInfoFor(n)).score }));
    plugin.normalizeScore!(new Map(), pod, scores);
    expect(scores, 'clean 100, one taint 100 - 100 * 1 / 2 = 50, two taints 0').toEqual([
      { name: 'clean', score: 100 },
      { name: 'one', score: 50 },
      { name: 'two', score: 0 },
    ]);
  });
});

describe(`A whole cluster scheduling with your code (seed ${SEED})`, () => {
  const podYaml = (name: string, tolerations = '') =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n${tolerations}`;

  it('a node tainted dedicated=gpu:NoSchedule is left alone; a pod that tolerates it may go there', () => {
    taintToleration({ taints: [], tolerations: [] }); // your code first: a stub fails here
    const cluster = createCluster({ seed: SEED, workers: 2, use: { 'taint-toleration': SOURCE } });
    const [tainted, free] = workerNames(cluster);
    taintNode(cluster, tainted, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
    cluster.runFor(1_000);
    for (let i = 0; i < 4; i++) cluster.apply(podYaml(`plain-${i}`));
    cluster.runFor(10_000);
    const placed = podsNamed(cluster, 'plain-').map((p) => p.spec.nodeName);
    expect(placed, `no pod without a toleration may land on ${tainted}`).toEqual([free, free, free, free]);
    cluster.apply(podYaml('gpu-job', '  nodeSelector:\n    kubernetes.io/hostname: ' + tainted + '\n  tolerations:\n  - key: dedicated\n    operator: Equal\n    value: gpu\n    effect: NoSchedule\n'));
    cluster.runFor(10_000);
    expect(podsNamed(cluster, 'gpu-job')[0].spec.nodeName, 'the tolerating pod may use the tainted node').toBe(tainted);
  });
});
