import { createCluster } from './lab-kernel/cluster/cluster';
const cluster = createCluster({ seed: 1, workers: 99 });
const before = cluster.trace.all().length;
cluster.runFor(600_000);
const events = cluster.trace.all().slice(before) as any[];
const mods = events.filter((e) => (e.summary ?? '').includes('MODIFIED Node node-19'));
console.log(mods.length, mods.slice(0, 8).map((e) => `${e.time} ${e.actor}->${e.to} ${e.summary}`));
const writes = events.filter((e) => /(update|patch) nodes/.test(e.summary ?? ''));
console.log(writes.length, writes.slice(0, 5).map((e) => `${e.time} ${e.actor} ${e.summary}`));
