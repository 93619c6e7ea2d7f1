import { idleHourBench } from './scripts/kubelet-bench';
const t = process.cpuUsage();
const r = idleHourBench();
const c = process.cpuUsage(t);
console.log(r.seconds.toFixed(2), 'wall', ((c.user + c.system) / 1e6).toFixed(2), 'cpu', r.traceEvents, 'events');
