import { Session } from 'inspector';
import * as fs from 'fs';
import { createCluster } from './lab-kernel/cluster/cluster';
import { warmUpClusterBench } from './scripts/cluster-bench';
warmUpClusterBench();
const s = new Session(); s.connect();
const post = (m: string, p?: any) => new Promise<any>((res, rej) => s.post(m, p, (e, r) => e ? rej(e) : res(r)));
(async () => {
  const pods = +(process.env.PODS||1000);
  const cluster = createCluster({ seed: 1, workers: pods/10 });
  await post('Profiler.enable'); await post('Profiler.setSamplingInterval', { interval: 200 }); await post('Profiler.start');
  const t = process.hrtime.bigint();
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
  console.log('seconds', Number(process.hrtime.bigint() - t) / 1e9);
  const { profile } = await post('Profiler.stop');
  fs.writeFileSync('/tmp/prof/zz.cpuprofile', JSON.stringify(profile));
})();
