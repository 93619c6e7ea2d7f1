import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types';
import { createInDefault as createPod, startApiServer as setup, testPod as pod } from '../api-server.fixture';

describe('ApiServer: binding', () => {
  it('sets spec.nodeName once; binding again is a 409 Conflict', () => {
    const { call } = setup();
    createPod(call, pod('web'));
    const bind = (node: string) => call({ verb: 'create', resource: 'pods', subresource: 'binding', namespace: 'default', name: 'web', body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: { kind: 'Node', name: node } } });
    expect(bind('node-1')).toMatchObject({ code: 201, body: { kind: 'Status', status: 'Success' } });
    expect((call({ verb: 'get', resource: 'pods', namespace: 'default', name: 'web' }).body as Pod).spec.nodeName).toBe('node-1');
    expect(bind('node-2')).toMatchObject({ code: 409, body: { message: 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node-1"' } });
  });
});
