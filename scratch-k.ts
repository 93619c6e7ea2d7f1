import { createCluster } from './lab-kernel/cluster/cluster';
import type { Pod } from './lab-kernel/api/types';
const cluster = createCluster({ seed: 1, kubelet: 'cri' });
const t0 = cluster.now();
cluster.apply(`apiVersion: v1
kind: Pod
metadata: { name: crash, namespace: default }
spec:
  nodeName: node-1
  containers: [{ name: app, image: busybox:1.36, command: [sh, -c, "sleep 2; exit 1"] }]
`);
cluster.runFor(120_000);
const p = cluster.kubectl.getObjects<Pod>('pods', 'crash')[0];
console.log(JSON.stringify(p.status, null, 1).slice(0, 1500));
console.log(cluster.kubectl.get('pods'));
for (const e of cluster.trace.between(t0, Infinity).filter((e) => e.actor.startsWith('kubelet/node-1') && (e.kind !== 'message' || /StartContainer|events/.test(e.summary)) || e.kind === 'error')) console.log((e.time/1000).toFixed(3), e.actor, e.kind, e.summary.slice(0, 150));
