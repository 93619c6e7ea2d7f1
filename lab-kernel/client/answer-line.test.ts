import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { answerLine } from './answer-line';

describe('answerLine', () => {
  it('says code and reason phrase on success, code and message on failure', () => {
    const cluster = createCluster({ seed: 1 });
    const create = () => cluster.kubectl.request({ verb: 'create', resource: 'configmaps', namespace: 'default', body: { metadata: { name: 'hits' }, data: { counter: '0' } } });
    expect(answerLine(create())).toBe('201 Created');
    expect(answerLine(create())).toBe('409 configmaps "hits" already exists');
    const got = cluster.kubectl.request({ verb: 'get', resource: 'configmaps', namespace: 'default', name: 'hits' });
    expect(answerLine(got, (cm) => `counter ${cm.data.counter}`)).toBe('200 OK, counter 0');
    const anonymous = cluster.kubectlWithToken('let-me-in').request({ verb: 'list', resource: 'pods' });
    expect(answerLine(anonymous)).toBe('401 Unauthorized');
  });
});
