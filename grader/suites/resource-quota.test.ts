/**
 * Grader suite for exercise `resource-quota` (exercises/quota/evaluate.ts).
 *
 * Part by part, the pure decision on table cases taken from kube-apiserver's ResourceQuota
 * admission (its exact messages); then whole clusters whose API server runs the learner's code.
 */
import { describe, expect, it } from 'vitest';
import type { ConfigMap, KubeObject, Pod, ResourceList, ResourceQuota } from '../../lab-kernel/api/types';
import { podUsage, unspecifiedResources, usageOf, type QuotaDecision } from '../../lab-kernel/apiserver/admission/resource-quota-contract';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import { KubectlError } from '../../lab-kernel/kubectl/kubectl';
import { deepFreeze } from '../../lab-kernel/sim/deep-freeze';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const evaluateQuota = slotUnderTest('resource-quota');

function quota(name: string, hard: ResourceList, used?: ResourceList): ResourceQuota {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name, namespace: 'dev', resourceVersion: '12' },
    spec: { hard },
    ...(used === undefined ? {} : { status: { hard, used } }),
  };
}

function pod(containers: { name: string; requests?: ResourceList; limits?: ResourceList }[]): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'dev' },
    spec: { containers: containers.map((c) => ({ name: c.name, image: 'nginx:1.27', resources: { requests: c.requests, limits: c.limits } })) },
  };
}

const cpuPod = (cpu: string, memory = '128Mi') => pod([{ name: 'web', requests: { cpu, memory }, limits: { cpu, memory } }]);

/** The decision for a pod, measured the way the admission plugin measures it. */
function decideForPod(quotas: ResourceQuota[], p: Pod): QuotaDecision {
  return evaluateQuota({ quotas, usage: podUsage(p), unspecified: unspecifiedResources(p) });
}

function expectDenied(d: QuotaDecision, message: string): void {
  expect(d.decision, `expected a denial with the message\n  ${message}`).toBe('deny');
  expect(d.decision === 'deny' ? d.message : '', 'the message must be exactly Kubernetes\' own').toBe(message);
}

function expectAllowed(d: QuotaDecision): ResourceQuota[] {
  expect(d.decision, `expected the object to be allowed${d.decision === 'deny' ? `, but it was denied: ${d.message}` : ''}`).toBe('allow');
  return d.decision === 'allow' ? d.updated : [];
}

describe('Part 1-2: which quotas apply, and can they be checked?', () => {
  it('allows everything when the namespace has no quota', () => {
    expect(expectAllowed(decideForPod([], cpuPod('1')))).toEqual([]);
  });

  it('ignores a quota that limits nothing this object uses (a ConfigMap and a compute quota)', () => {
    const cm: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'dev' } };
    const d = evaluateQuota({ quotas: [quota('compute', { 'requests.cpu': '1' }, { 'requests.cpu': '1' })], usage: usageOf(cm, { resource: 'configmaps', group: '' }) });
    expect(expectAllowed(d), 'no quota changes: nothing to write').toEqual([]);
  });

  it('ignores a quota the controller has not processed yet (no status.hard)', () => {
    expect(expectAllowed(decideForPod([quota('fresh', { pods: '0' })], cpuPod('1')))).toEqual([]);
  });

  it('refuses a pod that leaves out a resource the quota limits: "failed quota: ... must specify ..."', () => {
    const p = pod([{ name: 'web', requests: { memory: '64Mi' } }]);
    const q = quota('compute-quota', { 'requests.cpu': '2', 'limits.cpu': '4', 'requests.memory': '1Gi' }, { 'requests.cpu': '0', 'limits.cpu': '0', 'requests.memory': '0' });
    expectDenied(decideForPod([q], p), 'failed quota: compute-quota: must specify limits.cpu for: web; requests.cpu for: web');
  });

  it('names every container that leaves a resource out, joined by commas', () => {
    const p = pod([{ name: 'web' }, { name: 'log' }, { name: 'app', limits: { memory: '1Gi' } }]);
    expectDenied(decideForPod([quota('mem', { 'limits.memory': '4Gi' }, { 'limits.memory': '0' })], p), 'failed quota: mem: must specify limits.memory for: log,web');
  });

  it('refuses while the controller has not counted a limited resource: "status unknown for quota"', () => {
    const q: ResourceQuota = { ...quota('compute', { pods: '5', 'requests.cpu': '2' }), status: { hard: { pods: '5', 'requests.cpu': '2' }, used: { pods: '1' } } };
    expectDenied(decideForPod([q], cpuPod('1')), 'status unknown for quota: compute, resources: requests.cpu');
  });

  it('checks every quota before charging any: a "failed quota" in the second quota wins over "exceeded" in the first', () => {
    const full = quota('a-pods', { pods: '1' }, { pods: '1' });
    const strict = quota('b-limits', { 'limits.ephemeral-storage': '1Gi', 'limits.cpu': '1' }, { 'limits.cpu': '0', 'limits.ephemeral-storage': '0' });
    expectDenied(decideForPod([full, strict], pod([{ name: 'web', requests: { cpu: '1' } }])), 'failed quota: b-limits: must specify limits.cpu for: web');
  });
});

describe('Part 3-4: charging the usage, and Kubernetes\' "exceeded quota" message', () => {
  it('allows a pod under the limit and raises status.used (1 + 500m = 1500m)', () => {
    const q = quota('compute', { pods: '5', 'requests.cpu': '2' }, { pods: '1', 'requests.cpu': '1' });
    const updated = expectAllowed(decideForPod([q], cpuPod('500m')));
    expect(updated, 'the one quota that applies, with its new usage').toHaveLength(1);
    expect(updated[0].metadata.name).toBe('compute');
    expect(updated[0].status?.used).toEqual({ pods: '2', 'requests.cpu': '1500m' });
    expect(updated[0].status?.hard, 'status.hard is kept').toEqual({ pods: '5', 'requests.cpu': '2' });
    expect(updated[0].metadata.resourceVersion, 'keep the resourceVersion: the write is a compare-and-swap on it').toBe('12');
  });

  it('allows a pod that fills the quota exactly (used + requested = hard)', () => {
    const updated = expectAllowed(decideForPod([quota('compute', { 'requests.cpu': '2' }, { 'requests.cpu': '1' })], cpuPod('1')));
    expect(updated[0].status?.used).toEqual({ 'requests.cpu': '2' });
  });

  it('keeps used values of resources this object does not use, and writes quantities canonically (512Mi + 512Mi = 1Gi)', () => {
    const q = quota('mem', { 'requests.memory': '2Gi', 'count/configmaps': '5' }, { 'requests.memory': '512Mi', 'count/configmaps': '3' });
    const updated = expectAllowed(decideForPod([q], cpuPod('100m', '512Mi')));
    expect(updated[0].status?.used).toEqual({ 'requests.memory': '1Gi', 'count/configmaps': '3' });
  });

  it('denies a pod that would go over, with the exact message', () => {
    expectDenied(
      decideForPod([quota('compute-quota', { 'requests.cpu': '2' }, { 'requests.cpu': '1' })], cpuPod('2')),
      'exceeded quota: compute-quota, requested: requests.cpu=2, used: requests.cpu=1, limited: requests.cpu=2',
    );
  });

  it('lists only the exceeded resources, sorted, joined by commas without spaces, values canonical', () => {
    const q = quota(
      'compute',
      { pods: '10', 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi' },
      { pods: '1', 'requests.cpu': '0.5', 'requests.memory': '768Mi', 'limits.cpu': '0', 'limits.memory': '0' },
    );
    expectDenied(
      decideForPod([q], cpuPod('600m', '512Mi')),
      'exceeded quota: compute, requested: requests.cpu=600m,requests.memory=512Mi, used: requests.cpu=500m,requests.memory=768Mi, limited: requests.cpu=1,requests.memory=1Gi',
    );
  });

  it('with several quotas, the pod must fit in all, and each one that applies gets its used raised', () => {
    const pods = quota('pods', { pods: '3' }, { pods: '2' });
    const cpu = quota('cpu', { 'requests.cpu': '4' }, { 'requests.cpu': '1' });
    const objects = quota('objects', { 'count/configmaps': '2' }, { 'count/configmaps': '0' });
    const updated = expectAllowed(decideForPod([pods, cpu, objects], cpuPod('1')));
    expect(updated.map((q) => q.metadata.name), 'the ConfigMap quota does not apply to a pod').toEqual(['pods', 'cpu']);
    expect(updated.map((q) => q.status?.used)).toEqual([{ pods: '3' }, { 'requests.cpu': '2' }]);
  });

  it('with several quotas, one that is full is enough to deny', () => {
    const roomy = quota('roomy', { pods: '100' }, { pods: '2' });
    const full = quota('small', { pods: '2' }, { pods: '2' });
    expectDenied(decideForPod([roomy, full], cpuPod('1')), 'exceeded quota: small, requested: pods=1, used: pods=2, limited: pods=2');
  });

  it('counts objects: count/configmaps and the older bare name configmaps', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'dev' } };
    const usage = usageOf(cm, { resource: 'configmaps', group: '' });
    expectDenied(
      evaluateQuota({ quotas: [quota('objects', { configmaps: '5', 'count/configmaps': '2' }, { configmaps: '2', 'count/configmaps': '2' })], usage }),
      'exceeded quota: objects, requested: count/configmaps=1, used: count/configmaps=2, limited: count/configmaps=2',
    );
    const updated = expectAllowed(evaluateQuota({ quotas: [quota('objects', { 'count/configmaps': '2' }, { 'count/configmaps': '1' })], usage }));
    expect(updated[0].status?.used).toEqual({ 'count/configmaps': '2' });
  });

  it('charges only what the pod asks for: a pod requesting 0 CPU gets in even where CPU use is already over a lowered limit', () => {
    // Lowering a quota below its use does not affect what already runs; an object that adds none
    // of the over-used resource is not refused for it (Kubernetes drops zero usage before checking).
    const q = quota('compute', { pods: '10', 'requests.cpu': '1' }, { pods: '1', 'requests.cpu': '2' });
    const updated = expectAllowed(decideForPod([q], cpuPod('0')));
    expect(updated[0].status?.used, 'pods raised, requests.cpu left as it was').toEqual({ pods: '2', 'requests.cpu': '2' });
    expect(expectAllowed(evaluateQuota({ quotas: [q], usage: { 'requests.cpu': '0' } })), 'nothing charged: no quota to write').toEqual([]);
  });

  it('does not change the quotas it was given (the plugin hands you frozen objects from its informer)', () => {
    const q = quota('compute', { 'requests.cpu': '2' }, { 'requests.cpu': '1' });
    const before = JSON.stringify(q);
    const updated = expectAllowed(decideForPod([deepFreeze(q)], cpuPod('500m')));
    expect(updated[0].status?.used, 'the new usage goes into a new object').toEqual({ 'requests.cpu': '1500m' });
    expect(JSON.stringify(q)).toBe(before);
  });
});

function quotaManifest(name: string, hard: string): string {
  return `apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: ${name}\nspec:\n  hard:\n    ${hard}\n`;
}

type Cluster = ReturnType<typeof createCluster>;

/** Lets virtual time pass until the ResourceQuota controller has filled in the quota's status (at most 20 s). */
function waitForQuotaStatus(cluster: Cluster, name: string): boolean {
  for (let waited = 0; waited <= 20_000; waited += 500) {
    const [q] = cluster.kubectl.getObjects<ResourceQuota>('resourcequota', name);
    if (q.status?.hard !== undefined && q.status.used !== undefined) return true;
    cluster.runFor(500);
  }
  return false;
}

describe(`A whole cluster whose API server runs your code (seed ${SEED})`, () => {
  const replicaSet = (replicas: number) => `
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`;

  /** A cluster running your code with a quota of 2 pods in `default`, once the ResourceQuota controller has filled in its status. */
  function start(): Cluster {
    const cluster = createCluster({ seed: SEED, use: { 'resource-quota': SOURCE } });
    cluster.apply(quotaManifest('pod-quota', 'pods: "2"'));
    expect(waitForQuotaStatus(cluster, 'pod-quota'), 'the ResourceQuota controller should fill in status.hard and status.used within 20 s').toBe(true);
    return cluster;
  }

  const webPods = (cluster: Cluster) => cluster.kubectl.getObjects<Pod>('pods').filter((p) => p.metadata.name!.startsWith('web-'));

  it('a ReplicaSet of 3 in a namespace with a quota of 2 pods gets only 2', () => {
    const cluster = start();
    cluster.apply(replicaSet(3));
    cluster.runFor(20_000);
    expect(webPods(cluster).length, 'the quota allows 2 pods; the third create must be refused').toBe(2);
    const [q] = cluster.kubectl.getObjects<ResourceQuota>('resourcequota', 'pod-quota');
    expect(q.status?.used, 'status.used counts the 2 pods').toEqual({ pods: '2' });
  });

  it('kubectl apply of a pod over the quota fails with 403 Forbidden and the quota message', () => {
    const cluster = start();
    cluster.apply(replicaSet(2));
    cluster.runFor(10_000);
    let error: unknown;
    try {
      cluster.apply('apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: x\n    image: nginx:1.27\n');
    } catch (err) {
      error = err;
    }
    expect(error, 'kubectl apply must fail').toBeInstanceOf(KubectlError);
    expect((error as Error).message).toBe(
      'Error from server (Forbidden): error when creating "STDIN": pods "x" is forbidden: exceeded quota: pod-quota, requested: pods=1, used: pods=2, limited: pods=2',
    );
  });

  it('deleting a pod frees its place: the ReplicaSet replaces it (the controller lowers status.used)', () => {
    const cluster = start();
    cluster.apply(replicaSet(2));
    cluster.runFor(10_000);
    const [victim] = webPods(cluster);
    cluster.kubectl.delete('pod', victim.metadata.name!, { gracePeriod: 0 });
    cluster.runFor(20_000);
    const names = webPods(cluster).map((p) => p.metadata.name);
    expect(names, 'a replacement pod, admitted once the controller has recounted the quota').toHaveLength(2);
    expect(names).not.toContain(victim.metadata.name);
  });

  it('raising the quota lets the ReplicaSet create the pod it was refused (its controller keeps retrying)', () => {
    const cluster = start();
    cluster.apply(replicaSet(3));
    cluster.runFor(10_000);
    expect(webPods(cluster).length).toBe(2);
    cluster.apply(quotaManifest('pod-quota', 'pods: "3"'));
    cluster.runFor(60_000);
    expect(webPods(cluster).length, 'with room for 3 pods, the third is created').toBe(3);
  });
});
