import { createCluster } from './lab-kernel/cluster/cluster';
const cluster = createCluster({ seed: 1, workers: 99 });
const before = cluster.trace.all().length;
cluster.runFor(10 * 60_000);
const events = cluster.trace.all().slice(before);
const by = new Map<string, number>();
for (const e of events as any[]) { const k = `${e.kind} ${e.actor?.split('/')[0] ?? ''} ${(e.summary ?? e.message ?? '').split(' ').slice(0, 3).join(' ')}`; by.set(k, (by.get(k) ?? 0) + 1); }
console.log(events.length);
for (const [k, n] of [...by.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(String(n).padStart(8), k);
console.log(Object.keys(events[0] as any));
