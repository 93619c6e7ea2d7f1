import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { sendTogether } from './send-together';

describe('sendTogether', () => {
  it('sends one request per client at the same instant and waits for every answer: two updates from one read, one conflict', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.kubectl.request({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { metadata: { name: 'hits' }, data: { counter: '0' } } });
    const writers = [cluster.client('writer-a'), cluster.client('writer-b')];
    const hits = { resource: 'configmaps', namespace: 'default', name: 'hits' };
    const t0 = cluster.now();
    const read = sendTogether(cluster.sim, writers, () => ({ ...hits, verb: 'get' }));
    expect(Object.keys(read).sort()).toEqual(['writer-a', 'writer-b']);
    const sent = cluster.trace.between(t0, Infinity).filter((e) => e.flow === 'request' && e.actor.startsWith('writer-'));
    expect(sent.map((e) => `${e.actor} ${e.summary}`)).toEqual(['writer-a get configmaps default/hits', 'writer-b get configmaps default/hits']);
    expect(sent[0].time).toBe(sent[1].time);
    const written = sendTogether(cluster.sim, writers, (w) => {
      const cm = read[w.component].body;
      return { ...hits, verb: 'update', body: { ...cm, data: { counter: String(Number(cm.data.counter) + 1) } } };
    });
    expect(Object.values(written).map((r) => r.code).sort()).toEqual([200, 409]);
    expect((cluster.apiServer.cache.get('configmaps', 'default', 'hits') as any).data.counter).toBe('1');
  });
});
