import { createCluster } from './lab-kernel/cluster/cluster';
const cluster = createCluster({ seed: 1, kubelet: 'cri' });
const t0 = cluster.now();
cluster.apply(`apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: ["perl",  "-Mbignum=bpi", "-wle", "print bpi(2000)"]
      restartPolicy: Never
  backoffLimit: 4
`);
cluster.runFor(40_000);
console.log(cluster.kubectl.get('jobs'));
console.log(cluster.kubectl.get('pods'));
const job = cluster.kubectl.getObjects('jobs', 'pi')[0] as any;
console.log(JSON.stringify(job.status, null, 1));
for (const e of cluster.trace.between(t0, Infinity).filter((e) => /job-controller/.test(e.summary) || e.kind === 'error')) console.log((e.time/1000).toFixed(3), e.kind, e.summary.slice(0, 160));
console.log(cluster.kubectl.logs ? '' : '');
