import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { concurrentIncrements } from './concurrent-increments';

function demoCluster() {
  const cluster = createCluster({ seed: 1 });
  cluster.kubectl.request({ verb: 'create', resource: 'namespaces', body: { metadata: { name: 'demo' } } });
  return cluster;
}

describe('concurrentIncrements', () => {
  it('loses two of three increments when the writers send no resourceVersion', () => {
    const { kubectl } = demoCluster();
    const blind = concurrentIncrements(kubectl, 'namespaces', 'demo', { sendResourceVersion: false });
    expect(blind.final).toBe(1);
    expect(blind.attempts.map((a) => [a.round, a.writer, a['read counter'], a['sent resourceVersion'], a['wrote counter']])).toEqual([
      [1, 'A', 0, '(none)', 1],
      [1, 'B', 0, '(none)', 1],
      [1, 'C', 0, '(none)', 1],
    ]);
    expect(blind.attempts.every((a) => a.answer.startsWith('200, resourceVersion '))).toBe(true);
  });

  it('counts to three when they send it and start over on 409: six attempts in three rounds', () => {
    const { kubectl } = demoCluster();
    const careful = concurrentIncrements(kubectl, 'namespaces', 'demo', { sendResourceVersion: true });
    expect(careful.final).toBe(3);
    expect(careful.attempts.map((a) => `${a.round} ${a.writer} read ${a['read counter']}: ${a.answer.split(',')[0]}`)).toEqual([
      '1 A read 0: 200',
      '1 B read 0: 409 Conflict',
      '1 C read 0: 409 Conflict',
      '2 B read 1: 200',
      '2 C read 1: 409 Conflict',
      '3 C read 2: 200',
    ]);
    // Every writer of a round sent the resourceVersion they all read.
    expect(new Set(careful.attempts.filter((a) => a.round === 1).map((a) => a['sent resourceVersion'])).size).toBe(1);
  });

  it('gives up on an object that is not there instead of looping forever', () => {
    const { kubectl } = demoCluster();
    const r = concurrentIncrements(kubectl, 'configmaps', 'missing', { sendResourceVersion: true, namespace: 'default', writers: ['A'] });
    expect(r.attempts).toHaveLength(100);
    expect(r.attempts.every((a) => /^4\d\d /.test(a.answer))).toBe(true);
  });
});
