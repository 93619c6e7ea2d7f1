import { describe, expect, it } from 'vitest';
import { DEFAULT_NETWORK } from '../sim/network';
import { createCluster } from '../cluster/cluster';
import { Trace } from '../sim/trace';
import { storyDiagram } from './story';

/** Two pods created at once (generateName), as a ReplicaSet controller does, and what follows for one of them. */
function twoPods(): Trace {
  const t = new Trace();
  const stage = (time: number, stage: string, summary: string) => t.action(time, 'kube-apiserver', `${stage}: ${summary}`, { stage });
  t.message(0, 'kube-controller-manager', 'kube-apiserver', 2, 'request', 'create pods default', { verb: 'create', resource: 'pods' });
  t.message(0, 'kube-controller-manager', 'kube-apiserver', 2, 'request', 'create pods default', { verb: 'create', resource: 'pods' });
  t.message(0, 'kube-controller-manager', 'kube-apiserver', 2, 'request', 'create events default', { verb: 'create', resource: 'events' });
  for (const name of ['web-aaaaa', 'web-bbbbb']) {
    stage(2, 'authentication', 'user "system:kube-controller-manager" (groups system:authenticated) by x509');
    stage(2, 'authorization', 'allowed by RBAC (RBAC: allowed by ClusterRoleBinding "x")');
    stage(2, 'mutating admission', 'admission (mutating): NamespaceLifecycle ok');
    stage(2, 'validation', `Pod ${name} is valid`);
    stage(2, 'validating admission', 'admission (validating): ResourceQuota ok');
    t.message(2, 'kube-apiserver', 'etcd', 2, 'request', `txn create /registry/pods/default/${name}`, { key: `/registry/pods/default/${name}` });
  }
  stage(2, 'authentication', 'user "system:kube-controller-manager" (groups system:authenticated) by x509');
  stage(2, 'authorization', 'allowed by RBAC (RBAC: allowed by ClusterRoleBinding "x")');
  stage(2, 'validation', 'Event web.123 is valid');
  for (const name of ['web-aaaaa', 'web-bbbbb']) {
    t.message(2, 'kube-apiserver', 'kube-controller-manager', 3, 'event', `ADDED Pod default/${name}`, { watch: 'ADDED' });
    t.message(2, 'kube-apiserver', 'kube-controller-manager', 3, 'event', `ADDED Pod default/${name}`, { watch: 'ADDED' });
    t.message(2, 'kube-apiserver', 'kube-scheduler', 3, 'event', `ADDED Pod default/${name}`, { watch: 'ADDED' });
  }
  t.message(4, 'kube-scheduler', 'kube-apiserver', 6, 'request', 'create pods/binding default/web-bbbbb', { verb: 'create', resource: 'pods/binding' });
  stage(6, 'authentication', 'user "system:kube-scheduler" (groups system:authenticated) by x509');
  stage(6, 'authorization', 'forbidden: User "system:kube-scheduler" cannot create resource "pods/binding"');
  return t;
}

describe('storyDiagram', () => {
  it("follows one pod: the other pod's lines go, the creates that do not name their pod are told apart by what their pipeline validated", () => {
    const text = storyDiagram(twoPods().all(), { pod: 'web-bbbbb' });
    const body = text.slice(text.indexOf('sequenceDiagram')).split('\n');
    expect(body).toEqual([
      'sequenceDiagram',
      '  participant p0 as kube-controller-<br/>manager',
      '  participant p1 as kube-apiserver',
      '  participant p2 as kube-scheduler',
      '  p0->>p1: 0.000s create pods default',
      '  Note over p1: 0.002s create pods ok:<br/>authn, authz, admission,<br/>validation',
      '  p1-)p0: 0.002s ADDED Pod<br/>default/web-bbbbb (x2<br/>watches)',
      '  p1-)p2: 0.002s ADDED Pod<br/>default/web-bbbbb',
      '  p2->>p1: 0.004s create pods/binding<br/>default/web-bbbbb',
      '  Note over p1: 0.006s create pods/binding<br/>authorization: forbidden:<br/>User "system:kube-scheduler"<br/>cannot create resource<br/>"pods/binding"',
    ]);
  });

  it('can draw etcd, the answers and every pipeline stage, as the trace has them', () => {
    const text = storyDiagram(twoPods().all(), { etcd: true, checks: 'stages', eventObjects: true });
    expect(text).toContain('txn create<br/>/registry/pods/default/web-aaaaa');
    expect(text).toContain('0.002s validation: Pod<br/>web-aaaaa is valid');
    expect(text).toContain('create events default');
  });

  it("tells a real pod's story from the apply to Running: its kubelet, the runtime, and one note per request", () => {
    const cluster = createCluster({ seed: 1 });
    const tApply = cluster.now();
    cluster.apply(`apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web, namespace: default }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: nginx, image: nginx:1.27 }] }
`);
    cluster.runFor(5_000);
    const events = cluster.trace.between(tApply, Infinity);
    const pod = String(events.find((e) => String(e.data?.key).startsWith('/registry/pods/default/web-'))!.data!.key).split('/').pop()!;
    // The kubelet reports the pod more than once (ContainerCreating first); the story ends with the report that it runs.
    const running = events.find((e) => e.actor.startsWith('kubelet/') && e.summary.startsWith(`pod default/${pod} is Running`))!;
    const report = events.find((e) => e.time >= running.time && e.actor.startsWith('kubelet/') && e.summary === `update pods/status default/${pod}`)!;
    // The story ends once the API server has handled that status update: the request takes
    // 1-3 ms on the network (DEFAULT_NETWORK), and the server checks it when it arrives (between() excludes its end).
    const text = storyDiagram(cluster.trace.between(tApply, report.time + DEFAULT_NETWORK.maxLatencyMs + 1), { pod });
    const flat = text.replace(/<br\/>/g, ' ');
    for (const step of [`ADDED Pod default/${pod}`, `RunPodSandbox default/${pod}`, `StartContainer default/${pod}/nginx`, `pod default/${pod} is Running`, `update pods/status default/${pod}`]) {
      expect(flat).toContain(step);
    }
    const others = cluster.kubectl.getObjects('pods').map((p) => p.metadata.name).filter((n) => n !== pod);
    expect(others).toHaveLength(2);
    for (const other of others) expect(flat).not.toContain(other);
    expect(flat, 'no stage notes of their own').not.toMatch(/authentication:|validation:/);
    expect(flat).not.toContain('more not drawn');
    expect(flat, 'Lease renewals are left out').not.toMatch(/leases|Lease /);
    expect(storyDiagram(cluster.trace.between(tApply, report.time + DEFAULT_NETWORK.maxLatencyMs + 1), { pod, heartbeats: true, maxLines: 500 }).replace(/<br\/>/g, ' ')).toMatch(/update leases kube-system\/kube-controller-manager/);
    // Every request to the API server has its note, and there is no other.
    const lines = flat.split('\n');
    const api = /participant (p\d) as kube-apiserver/.exec(text)![1];
    const sentAt = (l: string) => Math.round(parseFloat(l.split(': ')[1]) * 1000);
    const requests = lines.filter((l) => l.includes(`->>${api}:`));
    expect(requests.length).toBeGreaterThan(5);
    // A request sent after the kubelet's report may still be on the wire when the story ends: no note for it yet.
    const inFlight = requests.filter((l) => sentAt(l) > report.time).length;
    expect(lines.filter((l) => l.includes(' ok: authn, authz')).length).toBeGreaterThanOrEqual(requests.length - inFlight);
    expect(lines.filter((l) => l.includes(' ok: authn, authz')).length).toBeLessThanOrEqual(requests.length);
  });
});
