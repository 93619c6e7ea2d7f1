import { describe, expect, it } from 'vitest';
import type { Summary } from '../api/stats-summary';
import { timestamp } from '../api/time';
import { EMPTY_STORAGE, nodeUsage, podUsage, storageReady, storeBatch, type MetricsStorage } from './metrics-storage';

/** A Summary of node-1 at `atS` seconds with one pod, web, whose containers started at `startS` and use `cpu` core-ns so far. */
function summaryAt(atS: number, containers: { name: string; startS: number; cpu: number; memory?: number }[], nodeCpu = atS * 30_000_000): Summary {
  const time = timestamp(atS * 1000);
  const cpu = (total: number) => ({ time, usageNanoCores: 0, usageCoreNanoSeconds: total });
  const memory = (bytes: number) => ({ time, usageBytes: bytes, workingSetBytes: bytes });
  const fs = { time, availableBytes: 0, capacityBytes: 0, usedBytes: 0 };
  return {
    node: { nodeName: 'node-1', startTime: timestamp(0), cpu: cpu(nodeCpu), memory: memory(400 * 1024 * 1024), fs, runtime: { imageFs: fs } },
    pods: [{
      podRef: { name: 'web', namespace: 'default', uid: 'u1' },
      startTime: timestamp(0),
      containers: containers.map((c) => ({ name: c.name, startTime: timestamp(c.startS * 1000), cpu: cpu(c.cpu), memory: memory(c.memory ?? 5 * 1024 * 1024) })),
      cpu: cpu(0),
      memory: memory(0),
    }],
  };
}

const store = (...batches: Summary[]): MetricsStorage => batches.reduce((s, b) => storeBatch(s, [b]), EMPTY_STORAGE);

describe("metrics-server's storage: usage from the last two scrapes", () => {
  it('serves no usage after one scrape of a container that has run a while: CPU needs two points', () => {
    const s = store(summaryAt(100, [{ name: 'nginx', startS: 0, cpu: 100_000_000 }]));
    expect([podUsage(s, 'default/web'), nodeUsage(s, 'node-1'), storageReady(s)]).toEqual([undefined, undefined, false]);
  });

  it('works CPU out as the CPU time used between two points over the time between them, memory as the last working set', () => {
    const s = store(summaryAt(100, [{ name: 'nginx', startS: 0, cpu: 100_000_000 }]), summaryAt(115, [{ name: 'nginx', startS: 0, cpu: 115_000_000, memory: 5_447_680 }]));
    expect(podUsage(s, 'default/web')).toEqual({ timestamp: timestamp(115_000), window: '15s', containers: [{ name: 'nginx', usage: { cpu: '1m', memory: '5320Ki' } }] });
    expect(nodeUsage(s, 'node-1')).toEqual({ timestamp: timestamp(115_000), window: '15s', usage: { cpu: '30m', memory: '400Mi' } });
    expect(storageReady(s)).toBe(true);
  });

  it('prints CPU in nanocores when it is no whole number of millicores', () => {
    const s = store(summaryAt(100, [{ name: 'nginx', startS: 0, cpu: 0 }]), summaryAt(115, [{ name: 'nginx', startS: 0, cpu: 15_304_665 }]));
    expect(podUsage(s, 'default/web')?.containers[0].usage.cpu).toBe('1020311n');
  });

  const newContainer = (ageS: number, served: boolean) => {
    const s = store(summaryAt(100, [{ name: 'nginx', startS: 100 - ageS, cpu: ageS * 1_000_000 }]));
    expect(podUsage(s, 'default/web') !== undefined).toBe(served);
    if (served) expect(podUsage(s, 'default/web')?.containers[0].usage.cpu).toBe('1m');
  };
  it('a new container started 10 s before the scrape: served at once, from its start', () => newContainer(10, true));
  it.each([
    ['started 14 s before: served at once', 14, true],
    ['started 9 s before: too fresh, waits for a second point', 9, false],
    ['started 15 s before (one resolution): waits for a second point', 15, false],
  ])('a new container %s', (_what, ageS, served) => newContainer(ageS, served));

  it('is ready after one scrape when a container 10 to 15 s old gives it a previous point (a node or a container will do)', () => {
    const s = store(summaryAt(100, [{ name: 'nginx', startS: 88, cpu: 12_000_000 }]));
    expect([nodeUsage(s, 'node-1'), storageReady(s)]).toEqual([undefined, true]);
  });

  it('serves a pod only once every one of its containers has two points', () => {
    const s = store(
      summaryAt(100, [{ name: 'nginx', startS: 0, cpu: 0 }]),
      summaryAt(115, [{ name: 'nginx', startS: 0, cpu: 15_000_000 }, { name: 'late', startS: 112, cpu: 0 }]),
    );
    expect(podUsage(s, 'default/web')).toBeUndefined();
  });

  it('starts a container that restarted again from one point', () => {
    const s = store(summaryAt(100, [{ name: 'nginx', startS: 0, cpu: 100_000_000 }]), summaryAt(130, [{ name: 'nginx', startS: 101, cpu: 1_000_000 }]));
    expect(podUsage(s, 'default/web')).toBeUndefined();
  });

  it('forgets a pod the last scrape no longer reports', () => {
    const s = store(summaryAt(100, [{ name: 'nginx', startS: 0, cpu: 0 }]), summaryAt(115, [{ name: 'nginx', startS: 0, cpu: 15_000_000 }]));
    const gone = storeBatch(s, [{ ...summaryAt(130, []), pods: [] }]);
    expect(podUsage(gone, 'default/web')).toBeUndefined();
  });
});
