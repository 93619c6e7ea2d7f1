import { createCluster } from './lab-kernel/cluster/cluster';
const cluster = createCluster({ seed: 1, workers: 99 });
const t = process.cpuUsage();
cluster.runFor(10 * 60_000);
const c = process.cpuUsage(t);
console.log(((c.user + c.system) / 1e6).toFixed(2), 'cpu');
