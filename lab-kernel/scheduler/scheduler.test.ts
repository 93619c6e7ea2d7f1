import { describe, expect, it } from 'vitest';
import type { KubeEvent, Lease, Pod } from '../api/types';
import { createCluster, type Cluster } from '../cluster/cluster';
import { simulatorAnnotations } from './decision-record';
import { Scheduler } from './scheduler';

function pod(name: string, opts: { cpu?: string; priorityClassName?: string; schedulerName?: string } = {}): string {
  return `
apiVersion: v1
kind: Pod
metadata: { name: ${name} }
spec:
  ${opts.schedulerName ? `schedulerName: ${opts.schedulerName}` : ''}
  ${opts.priorityClassName !== undefined ? `priorityClassName: ${opts.priorityClassName}` : ''}
  containers: [{ name: c, image: nginx, resources: { requests: { cpu: "${opts.cpu ?? '100m'}" } } }]
`;
}

const podIn = (cluster: Cluster, name: string): Readonly<Pod> | undefined => cluster.scheduler.pods.lister.get(`default/${name}`);
const nodeOf = (cluster: Cluster, name: string) => podIn(cluster, name)?.spec.nodeName;

function eventsFor(cluster: Cluster, name: string): KubeEvent[] {
  return (cluster.apiServer.cache.list('events') as KubeEvent[]).filter((e) => e.involvedObject?.name === name);
}

/** A second scheduler process in the cluster, with its own client as system:kube-scheduler. */
function extraScheduler(cluster: Cluster, schedulerName: string): Scheduler {
  const client = cluster.client(`kube-scheduler/${schedulerName}`, { username: 'system:kube-scheduler', groups: [] });
  const scheduler = new Scheduler(cluster.sim, client, { code: cluster.code, profiles: [{ schedulerName }] });
  scheduler.start();
  cluster.runUntil(() => scheduler.hasSynced(), 5_000);
  return scheduler;
}

describe('kube-scheduler in a cluster', () => {
  it('binds a pod through pods/binding and records "Scheduled" from default-scheduler', () => {
    const cluster = createCluster({ seed: 3 });
    cluster.apply(pod('web'));
    expect(cluster.runUntil(() => nodeOf(cluster, 'web') !== undefined, 5_000)).toBe(true);
    expect(['node-1', 'node-2'], 'the control-plane node is tainted NoSchedule').toContain(nodeOf(cluster, 'web'));
    cluster.runFor(1000);
    const scheduled = eventsFor(cluster, 'web').find((e) => e.reason === 'Scheduled');
    expect(scheduled).toMatchObject({ type: 'Normal', message: `Successfully assigned default/web to ${nodeOf(cluster, 'web')}`, source: { component: 'default-scheduler' } });
  });

  it('a pod that fits nowhere gets FailedScheduling with Kubernetes\' message and PodScheduled=False, reason Unschedulable', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(pod('huge', { cpu: '100' }));
    cluster.runFor(3000);
    const message =
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..';
    expect(eventsFor(cluster, 'huge').find((e) => e.reason === 'FailedScheduling')).toMatchObject({ type: 'Warning', message });
    const condition = podIn(cluster, 'huge')?.status?.conditions?.find((c) => c.type === 'PodScheduled');
    expect(condition).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    expect(cluster.scheduler.queue.whereIs('default/huge')).toBe('unschedulable');
  });

  it('an unschedulable pod is retried when a pod is deleted and frees the room it needs', () => {
    const cluster = createCluster({ seed: 1, workers: 1 });
    cluster.apply(pod('hog', { cpu: '3' }));
    cluster.runUntil(() => nodeOf(cluster, 'hog') !== undefined, 5_000);
    cluster.apply(pod('next', { cpu: '2' }));
    cluster.runFor(2000);
    expect(nodeOf(cluster, 'next'), 'no room while hog runs').toBeUndefined();
    cluster.kubectl.delete('pod', 'hog');
    expect(cluster.runUntil(() => nodeOf(cluster, 'next') === 'node-1', 60_000), 'scheduled once hog is gone').toBe(true);
  });

  it('preemption: a higher-priority pod evicts a lower-priority one to fit (Preempted event on the victim)', () => {
    const cluster = createCluster({ seed: 1, workers: 1 });
    cluster.apply('apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: { name: high }\nvalue: 1000\n');
    cluster.apply(pod('low', { cpu: '3' }));
    cluster.runUntil(() => nodeOf(cluster, 'low') !== undefined, 5_000);
    cluster.apply(pod('high', { cpu: '3', priorityClassName: 'high' }));
    expect(cluster.runUntil(() => nodeOf(cluster, 'high') === 'node-1', 90_000), 'high is scheduled after low is evicted').toBe(true);
    expect(eventsFor(cluster, 'low').some((e) => e.reason === 'Preempted' && /^Preempted by pod .+ on node node-1$/.test(e.message ?? ''))).toBe(true);
  });

  it('keeps a decision record per pod: every node\'s filter verdicts and scores, as kube-scheduler-simulator annotations', () => {
    const cluster = createCluster({ seed: 2 });
    cluster.apply(pod('web'));
    cluster.runUntil(() => nodeOf(cluster, 'web') !== undefined, 5_000);
    const record = cluster.scheduler.decisions.get('default/web')!;
    expect(record.selected).toBe(nodeOf(cluster, 'web'));
    const cp = record.nodes.find((n) => n.node === 'control-plane')!;
    expect(cp.filters.at(-1)).toMatchObject({ plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable' });
    const worker = record.nodes.find((n) => n.node === 'node-1')!;
    expect(worker.scores.find((s) => s.plugin === 'TaintToleration'), 'no taints: 100, times weight 3').toMatchObject({ normalized: 100, weighted: 300 });
    const annotations = simulatorAnnotations(record);
    expect(JSON.parse(annotations['kube-scheduler-simulator.sigs.k8s.io/filter-result'])['node-1'].NodeResourcesFit).toBe('passed');
    expect(annotations['kube-scheduler-simulator.sigs.k8s.io/selected-node']).toBe(record.selected);
  });
});

describe('several schedulers, chosen by spec.schedulerName', () => {
  it('a second scheduler serves only its own pods, and reports as its own name', () => {
    const cluster = createCluster({ seed: 1 });
    const batch = extraScheduler(cluster, 'batch-scheduler');
    cluster.apply(pod('mine', { schedulerName: 'batch-scheduler' }));
    cluster.apply(pod('theirs'));
    cluster.runUntil(() => nodeOf(cluster, 'mine') !== undefined && nodeOf(cluster, 'theirs') !== undefined, 5_000);
    cluster.runFor(1000);
    expect(eventsFor(cluster, 'mine').find((e) => e.reason === 'Scheduled')?.source?.component).toBe('batch-scheduler');
    expect(eventsFor(cluster, 'theirs').find((e) => e.reason === 'Scheduled')?.source?.component).toBe('default-scheduler');
    expect(batch.decisions.get('default/theirs'), 'the batch scheduler never looked at the default scheduler\'s pod').toBeUndefined();
  });

  it('a pod whose schedulerName no scheduler serves stays Pending, without events', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(pod('orphan', { schedulerName: 'no-such-scheduler' }));
    cluster.runFor(10_000);
    expect(nodeOf(cluster, 'orphan')).toBeUndefined();
    expect(podIn(cluster, 'orphan')?.status?.phase).toBe('Pending');
    expect(eventsFor(cluster, 'orphan')).toEqual([]);
  });
});

describe('nodes a PreFilter rules out', () => {
  it("count in the message as kube-scheduler's \"didn't satisfy plugin(s) [NodeAffinity]\"", () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(`apiVersion: v1
kind: Pod
metadata: { name: pinned }
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms: [{ matchFields: [{ key: metadata.name, operator: In, values: [node-1] }] }]
  containers: [{ name: c, image: nginx, resources: { requests: { cpu: "64" } } }]
`);
    cluster.runFor(3_000);
    const message = cluster.kubectl.getObjects<import('../api/types').KubeEvent>('events').find((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'pinned')?.message;
    expect(message).toMatch(/^0\/3 nodes are available: 1 Insufficient cpu, 2 node\(s\) didn't satisfy plugin\(s\) \[NodeAffinity\]\./);
  });
});

describe('kube-scheduler with leader election', () => {
  it('does a second kube-scheduler keep its caches and queue warm without binding, and take over once the first is stopped?', () => {
    const cluster = createCluster({ seed: 3 });
    const lease = () => cluster.apiServer.cache.get('leases', 'kube-system', 'kube-scheduler') as Lease;
    expect(cluster.scheduler.isLeader()).toBe(true);
    expect(lease().spec?.holderIdentity).toBe(cluster.scheduler.elector!.identity);
    const client = cluster.client('kube-scheduler-2', { username: 'system:kube-scheduler', groups: [] });
    const standby = new Scheduler(cluster.sim, client, { code: cluster.code, leaderElection: { hostname: 'control-plane' } });
    standby.start();
    cluster.runFor(5_000);
    expect(standby.hasSynced()).toBe(true);
    expect(standby.isLeader()).toBe(false);

    cluster.scheduler.stop();
    cluster.apply(pod('web'));
    const boundNode = () => cluster.kubectl.getObjects<Pod>('pods').find((p) => p.metadata.name === 'web')?.spec.nodeName;
    cluster.runFor(5_000);
    expect(boundNode(), 'no scheduler schedules meanwhile').toBeUndefined();
    expect(standby.queue.whereIs('default/web'), 'the standby has it queued').toBe('active');
    expect(cluster.runUntil(() => boundNode() !== undefined, 20_000)).toBe(true);
    expect(standby.isLeader()).toBe(true);
    expect(lease().spec).toMatchObject({ holderIdentity: standby.elector!.identity, leaseTransitions: 1 });
    // The Scheduled event is written just after the binding.
    expect(cluster.runUntil(() => eventsFor(cluster, 'web').some((e) => e.reason === 'Scheduled'), 1_000)).toBe(true);
    expect(eventsFor(cluster, 'web').find((e) => e.reason === 'Scheduled')?.source).toEqual({ component: 'default-scheduler' });
  });
});
