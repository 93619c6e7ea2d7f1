import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { createCluster } from './cluster';

const WEB = `
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: 3
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

function run(seed: number) {
  const cluster = createCluster({ seed });
  cluster.apply(WEB);
  cluster.runFor(5_000);
  cluster.kubectl.scale('rs', 'web', 1);
  cluster.runFor(2_000);
  return cluster;
}

describe('a simulated cluster', () => {
  it("boots: three Ready nodes, the four control-plane pods Running on the control-plane node, and kube-proxy's DaemonSet pod Running on every node", () => {
    const cluster = createCluster({ seed: 1 });
    expect(cluster.kubectl.get('nodes').records().map((r) => `${r.NAME} ${r.STATUS}`)).toEqual(['control-plane Ready', 'node-1 Ready', 'node-2 Ready']);
    const system = cluster.kubectl.getObjects<Pod>('pods', undefined, { namespace: 'kube-system' });
    expect(system.filter((p) => !p.metadata.name!.startsWith('kube-proxy-')).map((p) => `${p.metadata.name} ${p.status?.phase}`)).toEqual([
      'etcd-control-plane Running',
      'kube-apiserver-control-plane Running',
      'kube-controller-manager-control-plane Running',
      'kube-scheduler-control-plane Running',
    ]);
    const proxies = system.filter((p) => p.metadata.name!.startsWith('kube-proxy-'));
    expect(proxies.map((p) => `${p.spec.nodeName} ${p.status?.phase}`).sort()).toEqual(['control-plane Running', 'node-1 Running', 'node-2 Running']);
  });

  it('is deterministic: the same seed gives the same trace, byte for byte; another seed another trace', () => {
    expect(run(7).trace.hash()).toBe(run(7).trace.hash());
    expect(run(7).trace.hash()).not.toBe(run(8).trace.hash());
  });

  it('runs a ReplicaSet to 3 Running pods on the worker nodes, never on the tainted control-plane node', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(WEB);
    cluster.runFor(5_000);
    const pods = cluster.kubectl.getObjects<Pod>('pods');
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.status?.phase).toBe('Running');
      expect(p.spec.nodeName).toMatch(/^node-[12]$/);
      expect(p.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: 'web', controller: true });
    }
    expect(cluster.kubectl.get('rs').records()[0]).toMatchObject({ DESIRED: '3', CURRENT: '3', READY: '3' });
  });

  it('keeps to the architecture: only the API server talks to etcd, and components only talk to the API server (T00.2)', () => {
    const cluster = run(1);
    const etcdCallers = new Set(cluster.trace.all().filter((e) => e.to === 'etcd').map((e) => e.actor));
    expect([...etcdCallers]).toEqual(['kube-apiserver']);
    const requests = cluster.trace.all().filter((e) => e.flow === 'request');
    for (const e of requests) {
      const ok = e.to === 'kube-apiserver' || e.actor === 'kube-apiserver' || (e.actor.startsWith('kubelet/') && e.to!.startsWith('containerd/'));
      expect(ok, `${e.actor} -> ${e.to}: ${e.summary}`).toBe(true);
    }
  });

  it('serves logs through a connection the API server opens to the kubelet (T00.3)', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(WEB);
    cluster.runFor(5_000);
    const pod = cluster.kubectl.getObjects<Pod>('pods')[0];
    const since = cluster.trace.length;
    expect(cluster.kubectl.logs(pod.metadata.name!)).toContain('/docker-entrypoint.sh: Configuration complete; ready for start up');
    const hop = cluster.trace.all().slice(since).find((e) => e.actor === 'kube-apiserver' && e.to === `kubelet/${pod.spec.nodeName}`);
    expect(hop?.summary).toBe(`GET /containerLogs/default/${pod.metadata.name}`);
  });

  it('serves the log of a container\'s previous instance with --previous, once it has restarted', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(`apiVersion: v1
kind: Pod
metadata: { name: flaky, namespace: default }
spec: { containers: [{ name: app, image: busybox:1.36, command: [sh, -c, "echo starting; sleep 3; echo giving up; exit 1"] }] }
`);
    const restarts = () => (cluster.kubectl.getObjects<Pod>('pods', 'flaky')[0]?.status?.containerStatuses?.[0].restartCount ?? 0);
    expect(cluster.runUntil(() => restarts() >= 1, 60_000)).toBe(true);
    expect(cluster.kubectl.logs('flaky', { previous: true })).toBe('starting\ngiving up');
    expect(() => createCluster({ seed: 2 }).kubectl.logs('nope', { previous: true })).toThrow(/pods "nope" not found/);
  });

  it('runs kubectl exec in the container through the API server and the kubelet, with the exit code and the runtime\'s error for a missing program', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(`apiVersion: v1
kind: Pod
metadata: { name: box, namespace: default }
spec: { containers: [{ name: app, image: busybox:1.36, command: [sleep, "3600"] }, { name: web, image: nginx:1.27 }] }
`);
    const running = () => cluster.kubectl.getObjects<Pod>('pods', 'box')[0]?.status?.phase === 'Running';
    expect(cluster.runUntil(running, 30_000)).toBe(true);
    const since = cluster.trace.length;
    expect(cluster.kubectl.exec('box', ['hostname'])).toBe('Defaulted container "app" out of: app, web\nbox\n');
    const hop = cluster.trace.all().slice(since).find((e) => e.actor === 'kube-apiserver' && e.to?.startsWith('kubelet/'));
    expect(hop?.summary).toBe('POST /exec/default/box/app?command=hostname');
    expect(cluster.kubectl.exec('box', ['sh', '-c', 'exit 3'], { container: 'app' })).toBe('command terminated with exit code 3');
    expect(cluster.kubectl.exec('box', ['curl', 'localhost'], { container: 'app' })).toBe(
      'OCI runtime exec failed: exec failed: unable to start container process: exec: "curl": executable file not found in $PATH: unknown\ncommand terminated with exit code 126',
    );
    expect(() => cluster.kubectl.exec('box', ['sh'], { container: 'sidecar' })).toThrow('error: unable to upgrade connection: container not found ("sidecar")');
  });

  it('answers componentstatuses like a real API server', () => {
    const cluster = createCluster({ seed: 1 });
    expect(cluster.kubectl.get('componentstatuses').toString()).toBe(
      [
        'NAME                 STATUS    MESSAGE                         ERROR',
        'etcd-0               Healthy   {"health":"true","reason":""}   ',
        'scheduler            Healthy   ok                              ',
        'controller-manager   Healthy   ok                              ',
      ].join('\n'),
    );
  });

  it('keeps running when the learner code fails: the stub’s errors are retried with backoff, nothing is created', () => {
    const cluster = createCluster({ seed: 1, use: { replicaset: 'exercise' } });
    cluster.apply(WEB);
    cluster.runFor(3_000);
    const errors = cluster.trace.all().filter((e) => e.kind === 'error');
    expect(errors.length).toBeGreaterThan(3);
    expect(errors[0].summary).toMatch(/replicaset-controller: sync default\/web failed, requeued in 5 ms: not implemented yet: replicaset/);
    expect(errors[1].summary).toMatch(/requeued in 10 ms/);
    expect(cluster.kubectl.getObjects('pods')).toHaveLength(0);
  });
});

describe('a cluster on a replicated etcd', () => {
  it('runs the same ReplicaSet through three etcd members, and refuses writes clearly when two are down', () => {
    const cluster = createCluster({ seed: 1, etcdMembers: 3 });
    expect(cluster.components().filter((c) => c.name.startsWith('etcd-')).map((c) => c.name)).toEqual(['etcd-0', 'etcd-1', 'etcd-2']);
    cluster.apply(WEB);
    cluster.runFor(5_000);
    expect(cluster.kubectl.getObjects<Pod>('pods').filter((p) => p.status?.phase === 'Running')).toHaveLength(3);
    const etcd = cluster.etcdCluster!;
    const leader = etcd.leader()!;
    etcd.crash(leader);
    expect(cluster.kubectl.scale('rs', 'web', 4), 'one member down of three: writes go on').toBe('replicaset.apps/web scaled');
    etcd.crash(etcd.names.find((n) => n !== leader)!);
    expect(() => cluster.kubectl.scale('rs', 'web', 5)).toThrow(/Error from server \(InternalError\): Internal error occurred: etcdserver: (request timed out|no leader)$/);
  });
});

describe('watch bookmarks', () => {
  it('reach informers every minute and never enter their caches as objects', () => {
    const cluster = createCluster({ seed: 1 });
    const since = cluster.trace.length;
    cluster.runFor(130_000);
    const bookmarks = cluster.trace.all().slice(since).filter((e) => e.data?.watch === 'BOOKMARK');
    expect(bookmarks.length, 'at least two rounds of bookmarks in 130 s').toBeGreaterThanOrEqual(2);
    expect(cluster.scheduler.nodes.lister.list().map((n) => n.metadata.name)).toEqual(['control-plane', 'node-1', 'node-2']);
  });
});
