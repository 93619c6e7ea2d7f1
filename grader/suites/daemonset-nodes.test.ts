/**
 * Grader suite for exercise `daemonset-nodes` (exercises/daemonset/daemonset-plan.ts).
 *
 * Part by part through planDaemonSet, on the cases of the Kubernetes docs (DaemonSet: "Running
 * Pods on select Nodes", "How Daemon Pods are scheduled", "Taints and tolerations", "Updating a
 * DaemonSet"; Perform a Rolling Update on a DaemonSet) and of kube-controller-manager's own
 * tests (daemon_controller_test.go, update_test.go), then a whole cluster whose DaemonSet
 * controller runs your decision on the docs' fluentd-elasticsearch DaemonSet.
 */
import { describe, expect, it } from 'vitest';
import type { DaemonSet } from '../../lab-kernel/api/types';
import { createCluster, type Cluster } from '../../lab-kernel/cluster/cluster';
import type { DaemonSetPlan, DaemonSetPlanInput } from '../../lab-kernel/controllers/daemonset/daemonset-plan-contract';
import { input, node, oldEverywhere, pod, taint } from '../../lab-kernel/controllers/daemonset/daemonset-plan.fixture';
import { daemonPodsByNode, daemonSetNamed, FLUENTD_DAEMONSET, runsExactlyOn } from '../../lab-kernel/controllers/daemonset/fluentd-daemonset.fixture';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const planDaemonSet = slotUnderTest('daemonset-nodes');
const plan = (parts: Partial<DaemonSetPlanInput>) => planDaemonSet(input(parts));
const deletions = (p: DaemonSetPlan) => p.delete.map((d) => `${d.pod} ${d.reason}`).sort();

describe('Part 1: which nodes should run a daemon pod (nodeShouldRunDaemonPod)', () => {
  const three = [node('control-plane'), node('node-1'), node('node-2')];

  it('runs on every node when the template has no nodeSelector and no node affinity', () => {
    expect(plan({ nodes: three }).create, 'the nodes you created pods on').toEqual(['control-plane', 'node-1', 'node-2']);
  });

  it('with nodeSelector disktype: ssd, runs only on the nodes labelled disktype=ssd', () => {
    const nodes = [node('node-1', { labels: { disktype: 'ssd' } }), node('node-2', { labels: { disktype: 'hdd' } }), node('node-3')];
    const p = plan({ nodes, template: { nodeSelector: { disktype: 'ssd' } } });
    expect(p.create, 'the nodes you created pods on').toEqual(['node-1']);
    expect(p.status.desiredNumberScheduled, 'desiredNumberScheduled').toBe(1);
  });

  it('runs only on the nodes its required node affinity matches', () => {
    expect(plan({ nodes: [node('node-1'), node('node-2', { matchesNodeAffinity: false })] }).create, 'the nodes you created pods on').toEqual(['node-1']);
  });

  it('deletes the pod of a node whose labels no longer match ("delete Pods from newly not-matching nodes")', () => {
    const p = plan({ template: { nodeSelector: { disktype: 'ssd' } }, nodes: [node('node-1', { labels: { disktype: 'hdd' } })], pods: [pod('a', 'node-1')] });
    expect(deletions(p), 'the deletions').toEqual(['a misscheduled']);
    expect(p.status.numberMisscheduled, 'numberMisscheduled').toBe(1);
  });

  it.each<[string, boolean, string[]]>([
    ['a NoSchedule taint the pod does not tolerate keeps it away', false, []],
    ['a NoSchedule taint it tolerates (the control plane, in the docs\' manifest) does not', true, ['node-1']],
  ])('%s', (_name, tolerated, created) => {
    expect(plan({ nodes: [node('node-1', { taints: [taint('node-role.kubernetes.io/control-plane', 'NoSchedule', tolerated)] })] }).create, 'the nodes you created pods on').toEqual(created);
  });

  it('a PreferNoSchedule taint never keeps a daemon pod away', () => {
    expect(plan({ nodes: [node('node-1', { taints: [taint('spot', 'PreferNoSchedule')] })] }).create, 'the nodes you created pods on').toEqual(['node-1']);
  });

  it('an untolerated NoExecute taint removes the pod already there; an untolerated NoSchedule one lets it stay, misscheduled', () => {
    const p = plan({
      nodes: [node('node-1', { taints: [taint('dedicated', 'NoExecute')] }), node('node-2', { taints: [taint('dedicated', 'NoSchedule')] })],
      pods: [pod('a', 'node-1'), pod('b', 'node-2')],
    });
    expect(deletions(p), 'the deletions').toEqual(['a misscheduled']);
    expect(p.create, 'the nodes you created pods on').toEqual([]);
    expect(p.status, 'the status').toMatchObject({ desiredNumberScheduled: 0, numberMisscheduled: 2 });
  });

  it('a template pinned to a node by nodeName runs there only', () => {
    expect(plan({ nodes: [node('node-1'), node('node-2')], template: { nodeName: 'node-2', nodeSelector: {} } }).create, 'the nodes you created pods on').toEqual(['node-2']);
  });
});

describe('Part 2: the pods to create and delete (manage)', () => {
  it('creates nothing on a node that has its pod, and deletes nothing', () => {
    const p = plan({ nodes: [node('node-1'), node('node-2')], pods: [pod('a', 'node-1')] });
    expect(p.create, 'the nodes you created pods on').toEqual(['node-2']);
    expect(p.delete, 'the deletions').toEqual([]);
  });

  it('gives a node whose only pod is being deleted no new pod until that one is gone', () => {
    const p = plan({ nodes: [node('node-1')], pods: [pod('a', 'node-1', { deleting: true })] });
    expect(p.create, 'the nodes you created pods on').toEqual([]);
    expect(p.delete, 'the deletions').toEqual([]);
  });

  it('keeps the oldest of two pods on a node and deletes the other', () => {
    const p = plan({ nodes: [node('node-1')], pods: [pod('newer', 'node-1', { createdMs: 9_000 }), pod('older', 'node-1', { createdMs: 2_000 })] });
    expect(deletions(p), 'the deletions').toEqual(['newer duplicate']);
  });

  it('counts a scheduled pod as older than an unscheduled one, and keeps it', () => {
    const p = plan({ nodes: [node('node-1')], pods: [pod('pending', 'node-1', { createdMs: 1_000, scheduled: false, phase: 'Pending' }), pod('bound', 'node-1', { createdMs: 5_000 })] });
    expect(deletions(p), 'the deletions').toEqual(['pending duplicate']);
  });

  it('deletes a failed pod, and gives its node a new one once it is gone', () => {
    expect(deletions(plan({ nodes: [node('node-1')], pods: [pod('a', 'node-1', { phase: 'Failed', ready: false, available: false })] })), 'the deletions').toEqual(['a failed']);
    expect(plan({ nodes: [node('node-1')], pods: [] }).create, 'the failed pod gone (deleting and finished pods are left out)').toEqual(['node-1']);
  });

  it("waits out the node's back-off before deleting a failed pod, and asks to be looked at again then", () => {
    const failed = { nodes: [node('node-1')], pods: [pod('a', 'node-1', { phase: 'Failed', ready: false, available: false })], failedPodBackoff: { 'node-1': { lastMs: 59_000, delayMs: 2_000 } } };
    const waiting = plan({ ...failed, nowMs: 60_000 });
    expect(waiting.delete, 'the deletions, 1 s into a 2 s back-off').toEqual([]);
    expect(waiting.requeueAfterMs, 'requeueAfterMs: the back-off').toBe(2_000);
    expect(deletions(plan({ ...failed, nowMs: 61_000 })), 'the deletions once it has run out').toEqual(['a failed']);
  });

  it('deletes one failed pod per node at a time: deleting one starts the back-off', () => {
    const failed = (name: string) => pod(name, 'node-1', { phase: 'Failed', ready: false, available: false });
    const p = plan({ nodes: [node('node-1'), node('node-2')], pods: [failed('a'), failed('b'), pod('c', 'node-2', { phase: 'Failed' })] });
    expect(deletions(p), 'the deletions').toEqual(['a failed', 'c failed']);
  });

  it('deletes a pod that exited', () => {
    expect(deletions(plan({ nodes: [node('node-1')], pods: [pod('a', 'node-1', { phase: 'Succeeded', ready: false, available: false })] })), 'the deletions').toEqual(['a succeeded']);
  });

  it('deletes a pod never scheduled whose node is gone, and leaves a scheduled one there to the pod garbage collector', () => {
    const p = plan({ nodes: [node('node-1')], pods: [pod('a', 'node-1'), pod('pending', 'gone-1', { scheduled: false, phase: 'Pending' }), pod('bound', 'gone-2')] });
    expect(deletions(p), 'the deletions').toEqual(['pending node-gone']);
  });
});

describe('Part 3: the rolling update (rollingUpdate, maxSurge 0)', () => {
  it('with maxUnavailable 1 (the default), replaces one old pod at a time', () => {
    const p = plan(oldEverywhere());
    expect(deletions(p), 'the pods the rolling update deleted').toEqual(['old-1 update']);
    expect(p.create, 'nothing to create: the new pod waits for the old one to go').toEqual([]);
  });

  it('deletes nothing more while a node has no available pod: its old pod still going', () => {
    const start = oldEverywhere();
    start.pods[0] = { ...start.pods[0], deleting: true };
    expect(deletions(plan(start)), 'the pods the rolling update deleted').toEqual([]);
  });

  it('counts a new pod that is not available yet against maxUnavailable', () => {
    const start = oldEverywhere();
    start.pods[0] = pod('new-1', 'node-1', { ready: false, available: false });
    expect(deletions(plan(start)), 'the pods the rolling update deleted').toEqual([]);
  });

  it('moves on once the new pod is available: the next old pod goes', () => {
    const start = oldEverywhere();
    start.pods[0] = pod('new-1', 'node-1');
    expect(deletions(plan(start)), 'the pods the rolling update deleted').toEqual(['old-2 update']);
  });

  it('replaces an old pod that is not available at once, even beyond maxUnavailable', () => {
    const start = oldEverywhere();
    start.pods[1] = { ...start.pods[1], ready: false, available: false };
    start.pods[2] = { ...start.pods[2], ready: false, available: false };
    expect(deletions(plan(start)), 'the pods the rolling update deleted').toEqual(['old-2 update', 'old-3 update']);
  });

  it.each<[string | number, string[]]>([
    [2, ['old-1 update', 'old-2 update']],
    ['50%', ['old-1 update', 'old-2 update']],
    ['34%', ['old-1 update', 'old-2 update']],
    ['33%', ['old-1 update']],
  ])('maxUnavailable %s of 3 nodes (a percentage rounds up) replaces %j', (maxUnavailable, expected) => {
    expect(deletions(plan({ ...oldEverywhere(), updateStrategy: { type: 'RollingUpdate', maxUnavailable } })), 'the pods the rolling update deleted').toEqual(expected);
  });

  it('OnDelete: an old pod stays until someone deletes it', () => {
    expect(plan({ ...oldEverywhere(), updateStrategy: { type: 'OnDelete' } }).delete, 'the deletions').toEqual([]);
  });

  it('waits while there are pods to create or delete', () => {
    const busy = oldEverywhere();
    busy.pods.push(pod('extra', 'node-3', { createdMs: 9_000, updated: false }));
    expect(deletions(plan(busy)), 'the deletions: the duplicate only').toEqual(['extra duplicate']);
  });
});

describe('Part 4: the status', () => {
  it('counts desired, current, ready, available, updated, misscheduled and unavailable', () => {
    const p = plan({
      nodes: [node('node-1'), node('node-2'), node('node-3'), node('node-4'), node('node-5', { taints: [taint('dedicated', 'NoSchedule')] })],
      pods: [pod('a', 'node-1'), pod('b', 'node-2', { updated: false }), pod('c', 'node-3', { ready: false, available: false }), pod('e', 'node-5')],
      updateStrategy: { type: 'OnDelete' },
    });
    expect(p.status).toEqual({ desiredNumberScheduled: 4, currentNumberScheduled: 3, numberMisscheduled: 1, numberReady: 2, updatedNumberScheduled: 2, numberAvailable: 2, numberUnavailable: 2 });
  });
});

describe(`Part 5: a whole cluster running your DaemonSet controller (seed ${SEED})`, () => {
  const FLUENTD = 'fluentd-elasticsearch';
  const run = () => {
    const cluster = createCluster({ seed: SEED, use: { 'daemonset-nodes': SOURCE } });
    cluster.apply(FLUENTD_DAEMONSET);
    const said = () => {
      const last = [...cluster.trace.all()].reverse().find((e) => e.kind === 'error' && e.actor === 'kube-controller-manager');
      return last ? `; the controller last said: ${last.summary}` : '';
    };
    return { cluster, said };
  };
  const status = (cluster: Cluster) => (daemonSetNamed(cluster, FLUENTD) as DaemonSet).status;

  it("runs the docs' fluentd-elasticsearch DaemonSet unchanged: one pod on every node, the control plane too", () => {
    const { cluster, said } = run();
    expect(cluster.runUntil(() => runsExactlyOn(cluster, FLUENTD, ['control-plane', 'node-1', 'node-2']), 30_000), `one Running pod per node within 30 s${said()}`).toBe(true);
    cluster.runFor(1_000);
    expect(status(cluster), `the status${said()}`).toMatchObject({ desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3, numberAvailable: 3, updatedNumberScheduled: 3 });
  });

  it('gives a node that joins later a pod, and takes the pod off a node tainted NoExecute', () => {
    const { cluster, said } = run();
    cluster.runUntil(() => runsExactlyOn(cluster, FLUENTD, ['control-plane', 'node-1', 'node-2']), 30_000);
    cluster.joinNode('node-3');
    expect(cluster.runUntil(() => runsExactlyOn(cluster, FLUENTD, ['control-plane', 'node-1', 'node-2', 'node-3']), 30_000), `node-3 runs one within 30 s${said()}`).toBe(true);
    cluster.kubectl.patch('nodes', 'node-1', { spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] } }, { type: 'merge' });
    expect(cluster.runUntil(() => runsExactlyOn(cluster, FLUENTD, ['control-plane', 'node-2', 'node-3']), 30_000), `node-1's pod gone within 30 s${said()}`).toBe(true);
    cluster.runFor(5_000);
    expect(daemonPodsByNode(cluster, FLUENTD)['node-1'], 'and none comes back').toBeUndefined();
    expect(status(cluster), `the status${said()}`).toMatchObject({ desiredNumberScheduled: 3, numberReady: 3 });
  });

  it("rolls the docs' DaemonSet to fluentd:v2.6.0 one node at a time", () => {
    const { cluster, said } = run();
    cluster.runUntil(() => runsExactlyOn(cluster, FLUENTD, ['control-plane', 'node-1', 'node-2']), 30_000);
    cluster.kubectl.patch('daemonsets', FLUENTD, { spec: { template: { spec: { containers: [{ name: FLUENTD, image: 'quay.io/fluentd_elasticsearch/fluentd:v2.6.0' }] } } } }, { namespace: 'kube-system' });
    let mostGoing = 0;
    const rolled = () => {
      const byNode = daemonPodsByNode(cluster, FLUENTD);
      const withoutAvailable = ['control-plane', 'node-1', 'node-2'].filter((n) => !byNode[n]?.some((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))).length;
      mostGoing = Math.max(mostGoing, withoutAvailable);
      const st = status(cluster);
      return st?.observedGeneration === 2 && st.updatedNumberScheduled === 3 && st.numberAvailable === 3 && Object.values(byNode).flat().every((p) => p.spec.containers[0].image.endsWith(':v2.6.0'));
    };
    expect(cluster.runUntil(rolled, 60_000), `every node on v2.6.0 within 60 s${said()}`).toBe(true);
    expect(mostGoing, 'nodes without an available pod at once (maxUnavailable 1)').toBe(1);
  });
});
