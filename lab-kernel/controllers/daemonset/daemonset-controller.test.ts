import { describe, expect, it } from 'vitest';
import type { ControllerRevision, KubeEvent, Pod } from '../../api/types';
import { createCluster, type Cluster } from '../../cluster/cluster';
import { traceQuery } from '../../viz/trace-query';
import { CONTROLLER_REVISION_HASH_LABEL } from '../history/controller-revisions';
import { POD_TEMPLATE_GENERATION_LABEL } from './daemon-pod';
import { daemonPodsByNode, daemonSetNamed, FLUENTD_DAEMONSET, runsExactlyOn } from './fluentd-daemonset.fixture';

const FLUENTD = 'fluentd-elasticsearch';
const ALL_NODES = ['control-plane', 'node-1', 'node-2'];

function fluentdCluster(): Cluster {
  const cluster = createCluster({ seed: 1 });
  cluster.apply(FLUENTD_DAEMONSET);
  return cluster;
}
const events = (cluster: Cluster, reason?: string) =>
  (cluster.kubectl.getObjects('events', undefined, { namespace: 'kube-system' }) as KubeEvent[])
    .filter((e) => e.involvedObject.kind === 'DaemonSet' && e.involvedObject.name === FLUENTD && (reason === undefined || e.reason === reason))
    .map((e) => `${e.type} ${e.reason} ${e.message}`);
const taint = (cluster: Cluster, node: string, taints: unknown[]) => cluster.kubectl.patch('nodes', node, { spec: { taints } }, { type: 'merge' });
/** fluentd's revisions (kube-system also holds kube-proxy's DaemonSet and its revision). */
const revisions = (cluster: Cluster) =>
  (cluster.apiServer.cache.list('controllerrevisions', 'kube-system') as ControllerRevision[]).filter((r) => r.metadata.name!.startsWith(`${FLUENTD}-`)).sort((a, b) => a.revision - b.revision);

describe('the DaemonSet controller', () => {
  it("runs the docs' fluentd-elasticsearch on every node, the control plane too, each pod bound through a node affinity naming its node", () => {
    const cluster = fluentdCluster();
    expect(cluster.runUntil(() => runsExactlyOn(cluster, FLUENTD, ALL_NODES), 30_000)).toBe(true);
    cluster.runFor(2_000);
    const [revision] = revisions(cluster);
    const hash = revision.metadata.labels![CONTROLLER_REVISION_HASH_LABEL];
    expect(revision).toMatchObject({ metadata: { name: `${FLUENTD}-${hash}` }, revision: 1 });
    for (const [node, [pod]] of Object.entries(daemonPodsByNode(cluster, FLUENTD))) {
      expect(pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, node).toEqual({ nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] });
      expect(pod.metadata.labels).toEqual({ name: FLUENTD, [CONTROLLER_REVISION_HASH_LABEL]: hash, [POD_TEMPLATE_GENERATION_LABEL]: '1' });
      expect(pod.metadata.generateName).toBe(`${FLUENTD}-`);
    }
    const table = cluster.kubectl.get('daemonsets', FLUENTD, { namespace: 'kube-system' });
    expect(table.toString().split('\n')[0]).toBe('NAME                    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE');
    expect(table.rows[0].slice(0, 7)).toEqual([FLUENTD, '3', '3', '3', '3', '3', '<none>']);
    expect(daemonSetNamed(cluster, FLUENTD)!.status).toMatchObject({ observedGeneration: 1, numberMisscheduled: 0, numberUnavailable: 0 });
    const created = events(cluster, 'SuccessfulCreate');
    expect(created).toHaveLength(3);
    expect(created[0]).toMatch(/^Normal SuccessfulCreate Created pod: fluentd-elasticsearch-[a-z0-9]{5}$/);
  });

  it('creates in slow-start batches: one pod first, the next two once the first was answered', () => {
    const cluster = createCluster({ seed: 1 });
    const applied = cluster.now();
    cluster.apply(FLUENTD_DAEMONSET);
    cluster.runUntil(() => runsExactlyOn(cluster, FLUENTD, ALL_NODES), 30_000);
    const creates = traceQuery(cluster.trace, { since: applied, actor: 'kube-controller-manager', summary: /^create pods kube-system/ }).map((e) => e.time);
    expect(creates).toHaveLength(3);
    expect(creates[1]).toBeGreaterThan(creates[0]);
    expect(creates[2]).toBe(creates[1]);
  });

  it('gives a node that joins later a pod of its own', () => {
    const cluster = fluentdCluster();
    cluster.runUntil(() => runsExactlyOn(cluster, FLUENTD, ALL_NODES), 30_000);
    cluster.joinNode('node-3');
    expect(cluster.runUntil(() => runsExactlyOn(cluster, FLUENTD, [...ALL_NODES, 'node-3']), 30_000)).toBe(true);
    cluster.runFor(1_000);
    expect(daemonSetNamed(cluster, FLUENTD)!.status).toMatchObject({ desiredNumberScheduled: 4, numberReady: 4 });
  });

  it('takes its pod off a node tainted NoExecute; one tainted NoSchedule keeps its pod, counted misscheduled', () => {
    const cluster = fluentdCluster();
    cluster.runUntil(() => runsExactlyOn(cluster, FLUENTD, ALL_NODES), 30_000);
    taint(cluster, 'node-1', [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]);
    expect(cluster.runUntil(() => runsExactlyOn(cluster, FLUENTD, ['control-plane', 'node-2']), 30_000), 'node-1 lost its pod').toBe(true);
    taint(cluster, 'node-2', [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
    cluster.runFor(5_000);
    expect(runsExactlyOn(cluster, FLUENTD, ['control-plane', 'node-2']), 'node-2 keeps its pod').toBe(true);
    expect(daemonSetNamed(cluster, FLUENTD)!.status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 1 });
  });

  it('keeps running on a cordoned node, and places a new DaemonSet there too: its pods tolerate unschedulable', () => {
    const cluster = fluentdCluster();
    cluster.runUntil(() => runsExactlyOn(cluster, FLUENTD, ALL_NODES), 30_000);
    cluster.kubectl.patch('nodes', 'node-1', { spec: { unschedulable: true } }, { type: 'merge' });
    cluster.runFor(2_000);
    cluster.apply(`apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: kube-system }
spec:
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec:
      containers: [{ name: agent, image: busybox:1.36, command: [sleep, "3600"] }]
`);
    expect(cluster.runUntil(() => runsExactlyOn(cluster, 'agent', ['node-1', 'node-2']), 30_000), 'on the cordoned node-1, not on the control plane').toBe(true);
    expect(runsExactlyOn(cluster, FLUENTD, ALL_NODES)).toBe(true);
    const [pod] = daemonPodsByNode(cluster, 'agent')['node-1'];
    expect(pod.spec.tolerations!.map((t) => `${t.key}:${t.effect}${t.tolerationSeconds !== undefined ? ` ${t.tolerationSeconds}s` : ''}`)).toEqual([
      'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
  });

  it('replaces a failed pod, saying FailedDaemonPod, and deletes the next failed one on that node only after 1 s, then 2 s, 4 s', () => {
    const cluster = fluentdCluster();
    cluster.runUntil(() => runsExactlyOn(cluster, FLUENTD, ALL_NODES), 30_000);
    const kubelet = cluster.client('kubelet/node-1', { username: 'system:node:node-1', groups: ['system:nodes'] });
    const failed = new Set<string>();
    const deletedAt: number[] = [];
    const failNext = () => {
      const [pod] = daemonPodsByNode(cluster, FLUENTD)['node-1'] ?? [];
      if (pod === undefined || pod.status?.phase !== 'Running' || failed.has(pod.metadata.name!)) return false;
      failed.add(pod.metadata.name!);
      // What a kubelet reports of a pod it rejected.
      kubelet.request({ verb: 'update', resource: 'pods', subresource: 'status', namespace: 'kube-system', name: pod.metadata.name, body: { ...pod, status: { ...pod.status, phase: 'Failed', reason: 'NodeAffinity' } } }, () => undefined);
      return false;
    };
    expect(cluster.runUntil(() => {
      failNext();
      const gone = traceQuery(cluster.trace, { actor: 'kube-controller-manager', summary: /^delete pods kube-system/ }).map((e) => e.time);
      deletedAt.splice(0, deletedAt.length, ...gone);
      return gone.length === 4;
    }, 60_000), `4 deletions within 60 s, got ${deletedAt.length}:\n${traceQuery(cluster.trace, { summary: /daemonset-controller|pods kube-system\/fluentd/ }).map((e) => `${e.time} ${e.actor} ${e.summary}`).join('\n')}`).toBe(true);
    const gaps = deletedAt.slice(1).map((t, i) => t - deletedAt[i]);
    gaps.forEach((gap, i) => expect(gap, `deletion ${i + 2} waits ${1000 * 2 ** i} ms`).toBeGreaterThanOrEqual(1000 * 2 ** i));
    gaps.forEach((gap, i) => expect(gap, `deletion ${i + 2} not long after`).toBeLessThan(1000 * 2 ** i + 3_000));
    cluster.runFor(2_000);
    expect(events(cluster, 'FailedDaemonPod')[0]).toMatch(/^Warning FailedDaemonPod Found failed daemon pod kube-system\/fluentd-elasticsearch-[a-z0-9]{5} on node node-1, will try to kill it$/);
  });

  it('rolls out a new image one node at a time (maxUnavailable 1), never two pods on a node, and keeps both revisions', () => {
    const cluster = fluentdCluster();
    cluster.runUntil(() => runsExactlyOn(cluster, FLUENTD, ALL_NODES), 30_000);
    cluster.kubectl.patch('daemonsets', FLUENTD, { spec: { template: { spec: { containers: [{ name: FLUENTD, image: 'quay.io/fluentd_elasticsearch/fluentd:v2.6.0' }] } } } }, { namespace: 'kube-system' });
    const all = () => (cluster.apiServer.cache.list('pods', 'kube-system') as Pod[]).filter((p) => p.metadata.generateName === `${FLUENTD}-`);
    let mostPerNode = 0;
    let mostUnavailable = 0;
    const done = () => {
      for (const node of ALL_NODES) {
        const here = all().filter((p) => p.spec.nodeName === node);
        mostPerNode = Math.max(mostPerNode, here.length);
      }
      const available = ALL_NODES.filter((n) => all().some((p) => p.spec.nodeName === n && !p.metadata.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))).length;
      mostUnavailable = Math.max(mostUnavailable, 3 - available);
      const st = daemonSetNamed(cluster, FLUENTD)!.status;
      return st?.observedGeneration === 2 && st.updatedNumberScheduled === 3 && st.numberAvailable === 3 && all().length === 3;
    };
    expect(cluster.runUntil(done, 60_000), 'rolled out within 60 s').toBe(true);
    expect(mostPerNode, 'pods on one node at once').toBe(1);
    expect(mostUnavailable, 'nodes without an available pod at once').toBe(1);
    expect(all().every((p) => p.spec.containers[0].image.endsWith(':v2.6.0') && p.metadata.labels![POD_TEMPLATE_GENERATION_LABEL] === '2')).toBe(true);
    expect(revisions(cluster).map((r) => r.revision)).toEqual([1, 2]);
    expect(new Set(all().map((p) => p.metadata.labels![CONTROLLER_REVISION_HASH_LABEL]))).toEqual(new Set([revisions(cluster)[1].metadata.labels![CONTROLLER_REVISION_HASH_LABEL]]));
  });

  it('reuses the revision of a template that is current again (a rollback), renumbered as the newest', () => {
    const cluster = fluentdCluster();
    cluster.runUntil(() => runsExactlyOn(cluster, FLUENTD, ALL_NODES), 30_000);
    const image = (tag: string) => cluster.kubectl.patch('daemonsets', FLUENTD, { spec: { template: { spec: { containers: [{ name: FLUENTD, image: `quay.io/fluentd_elasticsearch/fluentd:${tag}` }] } } } }, { namespace: 'kube-system' });
    const [first] = revisions(cluster);
    image('v2.6.0');
    cluster.runUntil(() => revisions(cluster).length === 2, 10_000);
    image('v2.5.2');
    expect(cluster.runUntil(() => revisions(cluster).at(-1)?.metadata.name === first.metadata.name, 10_000)).toBe(true);
    expect(revisions(cluster).map((r) => [r.metadata.name, r.revision])).toEqual([[revisions(cluster)[0].metadata.name, 2], [first.metadata.name, 3]]);
  });

  it('takes its pods and revisions along when it is deleted (the garbage collector follows their owner references)', () => {
    const cluster = fluentdCluster();
    cluster.runUntil(() => runsExactlyOn(cluster, FLUENTD, ALL_NODES), 30_000);
    expect(revisions(cluster)).toHaveLength(1);
    cluster.kubectl.delete('daemonsets', FLUENTD, { namespace: 'kube-system' });
    const pods = () => (cluster.apiServer.cache.list('pods', 'kube-system') as Pod[]).filter((p) => p.metadata.generateName === `${FLUENTD}-`);
    expect(pods()).toHaveLength(3);
    const gone = () => pods().length === 0 && revisions(cluster).length === 0;
    expect(cluster.runUntil(gone, 30_000)).toBe(true);
  });

  it('OnDelete: a new template reaches a node only when its pod is deleted', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(FLUENTD_DAEMONSET.replace('spec:\n  selector:', 'spec:\n  updateStrategy: { type: OnDelete }\n  selector:'));
    cluster.runUntil(() => runsExactlyOn(cluster, FLUENTD, ALL_NODES), 30_000);
    cluster.kubectl.patch('daemonsets', FLUENTD, { spec: { template: { spec: { containers: [{ name: FLUENTD, image: 'quay.io/fluentd_elasticsearch/fluentd:v2.6.0' }] } } } }, { namespace: 'kube-system' });
    cluster.runFor(10_000);
    const image = (node: string) => daemonPodsByNode(cluster, FLUENTD)[node]?.[0]?.spec.containers[0].image;
    expect(ALL_NODES.map(image).every((i) => i?.endsWith(':v2.5.2'))).toBe(true);
    cluster.kubectl.delete('pods', daemonPodsByNode(cluster, FLUENTD)['node-1'][0].metadata.name!, { namespace: 'kube-system' });
    expect(cluster.runUntil(() => image('node-1')?.endsWith(':v2.6.0') === true && runsExactlyOn(cluster, FLUENTD, ALL_NODES), 30_000)).toBe(true);
    expect(image('node-2')).toMatch(/:v2\.5\.2$/);
    expect(daemonSetNamed(cluster, FLUENTD)!.status).toMatchObject({ updatedNumberScheduled: 1, desiredNumberScheduled: 3 });
  });
});

describe('the DaemonSet controller claims pods (ControllerRefManager)', () => {
  it('adopts a matching orphan pod on a node instead of creating one there', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(`apiVersion: v1
kind: Pod
metadata: { name: stray-fluentd, namespace: kube-system, labels: { name: ${FLUENTD} } }
spec:
  nodeName: node-1
  containers: [{ name: fluentd-elasticsearch, image: quay.io/fluentd_elasticsearch/fluentd:v2.5.2 }]
`);
    cluster.runFor(3_000);
    cluster.apply(FLUENTD_DAEMONSET);
    const stray = () => cluster.apiServer.cache.get('pods', 'kube-system', 'stray-fluentd') as Pod;
    expect(cluster.runUntil(() => stray().metadata.ownerReferences !== undefined, 30_000)).toBe(true);
    const uid = daemonSetNamed(cluster, FLUENTD)!.metadata.uid;
    expect(stray().metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: FLUENTD, uid, controller: true, blockOwnerDeletion: true }]);
    // (Without the template's controller-revision-hash label, it is then replaced as out of date, as upstream does.)
    cluster.runFor(2_000);
    const firstCreate = cluster.sim.trace.all().find((e) => /daemonset-controller: sync kube-system\/fluentd-elasticsearch: .* -> create [1-9]/.test(e.summary));
    expect(firstCreate?.summary).toMatch(/-> create 2 \(control-plane, node-2\)/);
  });
});
