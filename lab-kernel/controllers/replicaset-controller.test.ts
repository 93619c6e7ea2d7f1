import { describe, expect, it } from 'vitest';
import type { ConfigMap, KubeEvent, Pod, ReplicaSet } from '../api/types';
import { createCluster, type Cluster } from '../cluster/cluster';

/** A ReplicaSet whose selector uses every set-based operator besides matchLabels. */
const SET_BASED_RS = `apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: frontend }
spec:
  replicas: 2
  selector:
    matchLabels: { app: guestbook }
    matchExpressions:
      - { key: tier, operator: In, values: [frontend, edge] }
      - { key: environment, operator: NotIn, values: [prod] }
      - { key: track, operator: Exists }
      - { key: legacy, operator: DoesNotExist }
  template:
    metadata:
      labels: { app: guestbook, tier: frontend, track: stable }
    spec:
      containers: [{ name: php-redis, image: nginx:1.27 }]
`;

describe('the ReplicaSet controller', () => {
  it('runs a ReplicaSet with a set-based selector (In, NotIn, Exists, DoesNotExist), and kubectl selects and prints it', () => {
    const cluster = createCluster({ seed: 1 });
    expect(cluster.apply(SET_BASED_RS)).toBe('replicaset.apps/frontend created');
    const running = () => (cluster.apiServer.cache.list('pods', 'default') as Pod[]).filter((p) => p.status?.phase === 'Running').length === 2;
    expect(cluster.runUntil(running, 60_000)).toBe(true);
    expect(cluster.kubectl.get('pods', undefined, { selector: 'tier in (frontend,edge),environment notin (prod),track,!legacy' }).rows).toHaveLength(2);
    expect(cluster.kubectl.get('pods', undefined, { selector: '!track' }).rows).toHaveLength(0);
    const wide = cluster.kubectl.get('rs', undefined, { wide: true });
    expect(wide.rows[0].at(-1)).toBe('app=guestbook,environment notin (prod),!legacy,tier in (edge,frontend),track');
  });

  it("refuses a ReplicaSet whose set-based selector does not match its template's labels", () => {
    const cluster = createCluster({ seed: 1 });
    expect(() => cluster.apply(SET_BASED_RS.replace('track: stable', 'legacy: "yes", track: stable'))).toThrow(/selector.*does not match template `labels`/);
  });
});

/** A ReplicaSet selecting app=web; `extra` goes into its metadata. */
const webRs = (replicas: number, extra = '') => `apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web${extra} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: nginx, image: nginx:1.27 }]
`;

/** A bare pod labelled app=web. */
const barePod = (name: string, ownerReferences = '') => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, labels: { app: web }${ownerReferences} }
spec:
  containers: [{ name: nginx, image: nginx:1.27 }]
`;

const podsOf = (cluster: Cluster) => (cluster.apiServer.cache.list('pods', 'default') as Pod[]).filter((p) => p.metadata.deletionTimestamp === undefined);
const podNamed = (cluster: Cluster, name: string) => cluster.apiServer.cache.get('pods', 'default', name) as Pod;
const rsNamed = (cluster: Cluster, name = 'web') => cluster.apiServer.cache.get('replicasets', 'default', name) as ReplicaSet;
const ownedBy = (cluster: Cluster, uid: string) => podsOf(cluster).filter((p) => p.metadata.ownerReferences?.some((r) => r.controller && r.uid === uid));
/** The trace lines kube-controller-manager sent or logged. */
const managerLines = (cluster: Cluster) => cluster.sim.trace.all().filter((e) => e.actor === 'kube-controller-manager').map((e) => e.summary);

describe('the ReplicaSet controller claims pods (ControllerRefManager)', () => {
  it('adopts a bare pod labelled app=web created before the ReplicaSet, and creates only replicas-1 pods', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(barePod('loner'));
    cluster.runUntil(() => podNamed(cluster, 'loner').status?.phase === 'Running', 60_000);
    cluster.apply(webRs(3));
    const uid = rsNamed(cluster).metadata.uid!;
    expect(cluster.runUntil(() => ownedBy(cluster, uid).length === 3 && rsNamed(cluster).status?.replicas === 3, 60_000)).toBe(true);
    cluster.runFor(5_000);
    expect(podNamed(cluster, 'loner').metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid, controller: true, blockOwnerDeletion: true }]);
    expect(podsOf(cluster)).toHaveLength(3);
    const created = (cluster.kubectl.getObjects('events') as KubeEvent[]).filter((e) => e.reason === 'SuccessfulCreate');
    expect(created).toHaveLength(2);
  });

  it('adopts with a fresh read of itself first, then a strategic merge patch carrying the pod uid', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(barePod('loner'));
    cluster.runFor(1_000);
    cluster.apply(webRs(1));
    cluster.runFor(5_000);
    const lines = managerLines(cluster);
    const read = lines.findIndex((l) => /^get replicasets default\/web/.test(l));
    const patch = lines.findIndex((l) => /^patch pods default\/loner/.test(l));
    expect(read).toBeGreaterThanOrEqual(0);
    expect(patch).toBeGreaterThan(read);
    expect(lines.some((l) => /^create pods default/.test(l))).toBe(false);
  });

  it('releases an owned pod relabelled out of its selector (its ownerReference removed), and creates a replacement', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(webRs(2));
    const uid = rsNamed(cluster).metadata.uid!;
    cluster.runUntil(() => ownedBy(cluster, uid).length === 2, 60_000);
    const victim = ownedBy(cluster, uid)[0].metadata.name!;
    cluster.kubectl.patch('pod', victim, { metadata: { labels: { app: 'debug' } } });
    // The strategic merge patch leaves an empty list behind.
    expect(cluster.runUntil(() => (podNamed(cluster, victim).metadata.ownerReferences ?? []).length === 0 && ownedBy(cluster, uid).length === 2, 60_000)).toBe(true);
    expect(ownedBy(cluster, uid).map((p) => p.metadata.name)).not.toContain(victim);
    expect(podsOf(cluster)).toHaveLength(3);
    expect(managerLines(cluster)).toContain(`replicaset-controller: patching pod default_${victim} to remove its controllerRef to apps/v1/ReplicaSet:web`);
  });

  it('leaves alone a matching pod that another controller owns', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: keeper }\ndata: { a: b }\n');
    cluster.runFor(500);
    const keeper = (cluster.apiServer.cache.get('configmaps', 'default', 'keeper') as ConfigMap).metadata.uid!;
    cluster.apply(barePod('kept', `, ownerReferences: [{ apiVersion: v1, kind: ConfigMap, name: keeper, uid: ${keeper}, controller: true }]`));
    cluster.apply(webRs(2));
    const uid = rsNamed(cluster).metadata.uid!;
    expect(cluster.runUntil(() => ownedBy(cluster, uid).length === 2, 60_000)).toBe(true);
    cluster.runFor(5_000);
    expect(podNamed(cluster, 'kept').metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'keeper', uid: keeper, controller: true }]);
    expect(ownedBy(cluster, uid).map((p) => p.metadata.name)).not.toContain('kept');
  });

  it('adopts nothing while it is being deleted', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(webRs(1, ', finalizers: [example.com/hold]'));
    const uid = rsNamed(cluster).metadata.uid!;
    cluster.runUntil(() => ownedBy(cluster, uid).length === 1, 60_000);
    cluster.kubectl.delete('rs', 'web', { wait: false });
    cluster.runUntil(() => rsNamed(cluster).metadata.deletionTimestamp !== undefined, 10_000);
    cluster.apply(barePod('late'));
    cluster.runFor(10_000);
    expect(rsNamed(cluster).metadata.deletionTimestamp).toBeDefined();
    expect(podNamed(cluster, 'late').metadata.ownerReferences).toBeUndefined();
    expect(managerLines(cluster).some((l) => /^patch pods default\/late/.test(l))).toBe(false);
  });
});

describe('the ReplicaSet controller creates pods slow start (slowStartBatch)', () => {
  it('sends its creations in batches of 1, 2, 4, each once the one before has been answered', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(webRs(7));
    cluster.runUntil(() => podsOf(cluster).length === 7, 60_000);
    const creates = cluster.sim.trace.all().filter((e) => e.actor === 'kube-controller-manager' && /^create pods default/.test(e.summary));
    const batches = [...new Set(creates.map((e) => e.time))].map((t) => creates.filter((e) => e.time === t).length);
    expect(batches).toEqual([1, 2, 4]);
  });

  it('after a failed batch skips the rest, says so as kube-controller-manager logs it, and tries again later', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply('apiVersion: v1\nkind: ResourceQuota\nmetadata: { name: pods }\nspec: { hard: { pods: "2" } }\n');
    cluster.runFor(2_000);
    cluster.apply(webRs(6));
    cluster.runFor(3_000);
    const lines = managerLines(cluster);
    const firstRetry = lines.findIndex((l) => /sync default\/web failed/.test(l));
    expect(lines.slice(0, firstRetry).filter((l) => /^create pods default/.test(l))).toHaveLength(3);
    expect(lines).toContain('replicaset-controller: Slow-start failure. Skipping creation of pods, decrementing expectations podsSkipped=4 kind=ReplicaSet replicaSet=default/web');
    expect(podsOf(cluster)).toHaveLength(2);
  });
});
