import { describe, expect, it } from 'vitest';
import type { Status } from '../../api/status';
import { createInDefault, startApiServer, testPod } from '../api-server.fixture';

describe('subresources: only where the kind has one, only with its verbs', () => {
  it('answers 404 for a subresource the kind does not have: configmaps/status, services/log, pods/finalize, configmaps/binding', () => {
    const { call } = startApiServer();
    createInDefault(call, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } }, 'configmaps');
    createInDefault(call, testPod('web'));
    const cm = call({ verb: 'get', resource: 'configmaps', namespace: 'default', name: 'c' }).body;
    const answers = [
      call({ verb: 'update', resource: 'configmaps', subresource: 'status', namespace: 'default', name: 'c', body: cm }),
      call({ verb: 'get', resource: 'services', subresource: 'log', namespace: 'default', name: 's' }),
      call({ verb: 'update', resource: 'pods', subresource: 'finalize', namespace: 'default', name: 'web', body: testPod('web') }),
      call({ verb: 'create', resource: 'configmaps', subresource: 'binding', namespace: 'default', name: 'c', body: { kind: 'Binding', target: { name: 'n' } } }),
    ];
    expect(answers.map((a) => [a.code, (a.body as Status).reason, (a.body as Status).message])).toEqual(
      Array(4).fill([404, 'NotFound', 'the server could not find the requested resource']),
    );
  });

  it('answers 405 for a verb the subresource does not take: POST pods/status is not a create, PUT pods/binding, DELETE pods/status', () => {
    const { call } = startApiServer();
    const pod = createInDefault(call, testPod('web')).body;
    const answers = [
      call({ verb: 'create', resource: 'pods', subresource: 'status', namespace: 'default', name: 'web', body: pod }),
      call({ verb: 'update', resource: 'pods', subresource: 'binding', namespace: 'default', name: 'web', body: { kind: 'Binding', target: { name: 'n' } } }),
      call({ verb: 'delete', resource: 'pods', subresource: 'status', namespace: 'default', name: 'web' }),
    ];
    expect(answers.map((a) => [a.code, (a.body as Status).reason, (a.body as Status).message])).toEqual(
      Array(3).fill([405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource']),
    );
    expect(call({ verb: 'get', resource: 'pods', namespace: 'default' + '', name: 'web' }).code, 'the pod is still there').toBe(200);
    expect(call({ verb: 'get', resource: 'pods', subresource: 'status', namespace: 'default', name: 'web' }).code, 'GET pods/web/status reads the pod').toBe(200);
  });
});
