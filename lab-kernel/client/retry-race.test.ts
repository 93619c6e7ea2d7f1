import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { loadSlot } from '../slots/slots';
import { notImplemented } from '../sim/not-implemented';
import { describeRetryOutcome, raceRetries } from './retry-race';

describe('raceRetries', () => {
  const increment = { kind: 'increment-data', key: 'counter' } as const;
  const hits = { resource: 'configmaps', namespace: 'default', name: 'hits' };

  it('runs the retry loop for every writer at once: both increments land', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.kubectl.request({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { metadata: { name: 'hits' }, data: { counter: '0' } } });
    const outcomes = raceRetries(cluster.sim, [cluster.client('writer-a'), cluster.client('writer-b')], hits, increment, loadSlot('retry-on-conflict', 'solution'));
    expect(Object.values(outcomes).map((o) => describeRetryOutcome(o, increment))).toEqual(['updated, counter 1', 'updated, counter 2']);
    expect((cluster.apiServer.cache.get('configmaps', 'default', 'hits') as any).data.counter).toBe('2');
  });

  it('reports a step function that throws', () => {
    const cluster = createCluster({ seed: 1 });
    const stub = () => {
      throw notImplemented('retry-on-conflict');
    };
    const outcomes = raceRetries(cluster.sim, [cluster.client('writer-a')], hits, increment, stub);
    expect(describeRetryOutcome(outcomes['writer-a'], increment)).toBe(
      "step-failed: retry configmaps hits: the step function failed on 'start': not implemented yet: retry-on-conflict",
    );
  });

  it('describes a failure and a label change', () => {
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 404, reason: 'NotFound', message: 'configmaps "hits" not found' } as const;
    expect(describeRetryOutcome({ kind: 'failed', status }, increment)).toBe('failed: configmaps "hits" not found');
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { tier: 'gold' } } };
    expect(describeRetryOutcome({ kind: 'updated', object: pod }, { kind: 'set-label', key: 'tier', value: 'gold' })).toBe('updated, label tier=gold');
  });
});
