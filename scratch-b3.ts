import { clusterBench, warmUpClusterBench } from './scripts/cluster-bench';
warmUpClusterBench();
const r: number[] = []; let heap = 0;
for (let i = 0; i < 3; i++) { const x = clusterBench(100, 1000); r.push(x.seconds); heap = x.heapBytes; }
r.sort();
console.log(process.env.LABEL ?? '', 'min', r[0].toFixed(2), 'med', r[1].toFixed(2), 'heap MB', (heap / 2 ** 20).toFixed(0));
