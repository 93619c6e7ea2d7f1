import { createCluster } from './lab-kernel/cluster/cluster';
const pods = 1000;
const cluster = createCluster({ seed: 1, workers: 100 });
const t0 = cluster.trace.all().length;
cluster.apply(`apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: load, namespace: default }
spec:
  replicas: ${pods}
  selector: { matchLabels: { app: load } }
  template:
    metadata: { labels: { app: load } }
    spec: { containers: [{ name: app, image: registry.k8s.io/pause:3.10, resources: { requests: { cpu: 10m, memory: 10Mi } } }] }
`);
const running = () => cluster.apiServer.cache.list('pods', 'default').filter((p: any) => p.status?.phase === 'Running').length;
while (running() < pods) cluster.runFor(20);
const ev = cluster.trace.all().slice(t0);
const m = new Map<string, number>();
for (const e of ev as any[]) { const k = String(e.actor).replace(/[-\d]+$/, '') + ' ' + e.kind + ' ' + (e.flow ?? '') + ' ' + (e.kind === 'message' ? (e.data?.verb ?? '') + ' ' + (e.data?.resource ?? '') + (e.data?.subresource ? '/' + e.data.subresource : '') : (e.data?.stage ?? String(e.summary).slice(0,25))); m.set(k, (m.get(k) ?? 0) + 1); }
console.log(ev.length, 'events'); for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(v, k);
console.log(JSON.stringify(ev.slice(0, 3)));
