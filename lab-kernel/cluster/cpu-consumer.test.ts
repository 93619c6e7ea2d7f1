import { describe, expect, it } from 'vitest';
import { createCluster } from './cluster';
import { CONSUMER } from './resource-consumer.fixture';


describe('the stand-in for the e2e consumer controller', () => {
  it('spreads 250 millicores over the pods in requests of at most 100m, and metrics-server reports the pods using it', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.installMetricsServer();
    cluster.apply(CONSUMER);
    cluster.runFor(20_000);
    const load = cluster.cpuConsumer({ selector: 'app=web' });
    load.consumeCpu(250);
    cluster.runFor(40_000);
    const [a, b] = cluster.kubectl.getObjects('pods', undefined, { selector: 'app=web' }).map((p) => p.metadata.name!);
    expect(load.sent.slice(0, 3)).toEqual([`${a} 100m`, `${b} 100m`, `${a} 50m`]);
    const cpu = cluster.kubectl.top('pods').split('\n').slice(1).map((line) => line.split(/\s+/)[1]);
    // 150m and 100m, each with its idle 1-2m on top (how much of the scrape window the consume ran in shifts with the run's timing).
    const idle = cpu.map((m, i) => Number.parseInt(m, 10) - [150, 100][i]);
    expect(idle.every((extra) => extra >= 1 && extra <= 2), `150m and 100m, and each its idle millicore or two: ${cpu.join(', ')}`).toBe(true);
    load.consumeCpu(0);
    cluster.runFor(60_000);
    // Each back to its idle millicore or two (which of them shifts with the run's timing, as above).
    const after = cluster.kubectl.top('pods').split('\n').slice(1).map((line) => line.split(/\s+/)[1]);
    expect(after.every((m) => m === '1m' || m === '2m'), `idle again once the last requests ran out: ${after.join(', ')}`).toBe(true);
  });
});
