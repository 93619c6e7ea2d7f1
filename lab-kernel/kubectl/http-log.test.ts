import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { httpLog, httpRequestLine } from './http-log';

describe('httpLog', () => {
  it('sends each request and notes the HTTP request it becomes, with the answer code', () => {
    const cluster = createCluster({ seed: 1 });
    const rest = httpLog(cluster.kubectl);
    const where = { resource: 'configmaps', namespace: 'default', name: 'settings' };
    rest.send('create configmap settings', { verb: 'create', resource: 'configmaps', namespace: 'default', body: { metadata: { name: 'settings' }, data: { color: 'blue' } } });
    const settings = rest.send('get configmap settings', { verb: 'get', ...where });
    expect(settings.data).toEqual({ color: 'blue' });
    rest.send('replace -f settings.yaml', { verb: 'update', ...where, body: { ...settings, data: { color: 'green' } } });
    rest.send('delete configmap settings', { verb: 'delete', ...where });
    expect(rest.send('get configmap settings', { verb: 'get', ...where }).message).toBe('configmaps "settings" not found');
    expect(rest.rows.map((r) => `${r.kubectl} | ${r.verb} | ${r['HTTP request']} | ${r.answer}`)).toEqual([
      'create configmap settings | create | POST /api/v1/namespaces/default/configmaps | 201',
      'get configmap settings | get | GET /api/v1/namespaces/default/configmaps/settings | 200',
      'replace -f settings.yaml | update | PUT /api/v1/namespaces/default/configmaps/settings | 200',
      'delete configmap settings | delete | DELETE /api/v1/namespaces/default/configmaps/settings | 200',
      'get configmap settings | get | GET /api/v1/namespaces/default/configmaps/settings | 404',
    ]);
  });

  it('puts grouped resources under /apis', () => {
    expect(httpRequestLine({ verb: 'list', resource: 'replicasets' })).toBe('GET /apis/apps/v1/replicasets');
    expect(httpRequestLine({ verb: 'patch', resource: 'deployments', namespace: 'dev', name: 'web' })).toBe('PATCH /apis/apps/v1/namespaces/dev/deployments/web');
  });
});
