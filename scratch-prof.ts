import { Session } from 'inspector';
import { writeFileSync } from 'fs';
import { createCluster } from './lab-kernel/cluster/cluster';
const warm = createCluster({ seed: 2, workers: 20 });
warm.apply(`apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: load, namespace: default }
spec:
  replicas: 200
  selector: { matchLabels: { app: load } }
  template:
    metadata: { labels: { app: load } }
    spec: { containers: [{ name: c, image: registry.k8s.io/pause:3.10 }] }
`); warm.runFor(3000);
const cluster = createCluster({ seed: 1, workers: 100 });
const s = new Session(); s.connect();
s.post('Profiler.enable', () => s.post('Profiler.start', () => {
  const t = process.hrtime.bigint();
  cluster.apply(`apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: load, namespace: default }
spec:
  replicas: 1000
  selector: { matchLabels: { app: load } }
  template:
    metadata: { labels: { app: load } }
    spec: { containers: [{ name: c, image: registry.k8s.io/pause:3.10 }] }
`);
  const running = () => cluster.apiServer.cache.list('pods', 'default').filter((p) => (p as { status?: { phase?: string } }).status?.phase === 'Running').length;
  while (running() < 1000) cluster.runFor(20);
  console.log('wall', Number(process.hrtime.bigint() - t) / 1e9);
  s.post('Profiler.stop', (err, { profile }) => { writeFileSync('/tmp/prof/x.cpuprofile', JSON.stringify(profile)); });
}));
