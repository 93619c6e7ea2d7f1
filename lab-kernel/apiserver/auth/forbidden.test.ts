import { describe, expect, it } from 'vitest';
import type { RequestAttributes } from '../pipeline-types';
import { forbiddenByAuthorization, forbiddenReason } from './forbidden';

function request(username: string, fields: Partial<RequestAttributes>): RequestAttributes {
  return { user: { username, groups: ['system:authenticated'] }, verb: 'get', resourceRequest: true, apiGroup: '', resource: '', subresource: '', namespace: '', name: '', path: '', ...fields };
}

describe("a 403 worded as kube-apiserver's responsewriters.Forbidden", () => {
  it('names the user, verb, resource, API group and namespace', () => {
    expect(forbiddenReason(request('bob', { verb: 'list', resource: 'pods', namespace: 'dev' }))).toBe(
      'User "bob" cannot list resource "pods" in API group "" in the namespace "dev"',
    );
  });

  it('says "at the cluster scope" for a cluster-scoped resource and for a list across all namespaces', () => {
    expect(forbiddenReason(request('bob', { resource: 'nodes', name: 'node-1' }))).toBe('User "bob" cannot get resource "nodes" in API group "" at the cluster scope');
    expect(forbiddenReason(request('bob', { verb: 'list', apiGroup: 'apps', resource: 'replicasets' }))).toBe(
      'User "bob" cannot list resource "replicasets" in API group "apps" at the cluster scope',
    );
  });

  it('writes a subresource as resource/subresource', () => {
    expect(forbiddenReason(request('system:kube-scheduler', { verb: 'create', resource: 'pods', subresource: 'binding', namespace: 'default', name: 'web-1' }))).toBe(
      'User "system:kube-scheduler" cannot create resource "pods/binding" in API group "" in the namespace "default"',
    );
  });

  it('names the path of a non-resource request', () => {
    expect(forbiddenReason(request('system:anonymous', { resourceRequest: false, path: '/healthz' }))).toBe('User "system:anonymous" cannot get path "/healthz"');
  });

  it("appends the authorizers' reason after a colon, when there is one", () => {
    expect(forbiddenReason(request('bob', { verb: 'list', resource: 'pods', namespace: 'dev' }), 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found')).toBe(
      'User "bob" cannot list resource "pods" in API group "" in the namespace "dev": RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
    );
  });

  it('the Status names the resource without its subresource, and the object', () => {
    const err = forbiddenByAuthorization(request('system:kube-scheduler', { verb: 'create', resource: 'pods', subresource: 'binding', namespace: 'default', name: 'web-1' }));
    expect(err.status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'pods "web-1" is forbidden: User "system:kube-scheduler" cannot create resource "pods/binding" in API group "" in the namespace "default"',
      details: { name: 'web-1', group: '', kind: 'pods' },
    });
    expect(forbiddenByAuthorization(request('bob', { verb: 'list', apiGroup: 'apps', resource: 'replicasets', namespace: 'dev' })).message).toBe(
      'replicasets.apps is forbidden: User "bob" cannot list resource "replicasets" in API group "apps" in the namespace "dev"',
    );
  });

  it('the Status of a non-resource request starts with "forbidden:"', () => {
    const err = forbiddenByAuthorization(request('system:anonymous', { resourceRequest: false, path: '/metrics' }));
    expect(err.status).toMatchObject({ code: 403, reason: 'Forbidden', message: 'forbidden: User "system:anonymous" cannot get path "/metrics"' });
  });
});
