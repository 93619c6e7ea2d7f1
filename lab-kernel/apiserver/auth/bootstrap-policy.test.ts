import { describe, expect, it } from 'vitest';
import type { RoleBinding } from '../../api/types';
import { loadSlot } from '../../slots/slots';
import type { RequestAttributes, UserInfo } from '../pipeline-types';
import { bootstrapPolicy } from './bootstrap-policy';

const authorizeRbac = loadSlot('rbac', 'solution');

const ADMIN: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const ANONYMOUS: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
const ALICE: UserInfo = { username: 'alice', groups: ['system:authenticated'] };
const SCHEDULER: UserInfo = { username: 'system:kube-scheduler', groups: ['system:authenticated'] };
const CONTROLLER_MANAGER: UserInfo = { username: 'system:kube-controller-manager', groups: ['system:authenticated'] };
const KUBELET: UserInfo = { username: 'system:node:node-1', groups: ['system:nodes', 'system:authenticated'] };
const KUBE_PROXY: UserInfo = { username: 'system:kube-proxy', groups: ['system:authenticated'] };

/** `list pods -n default`, `create pods/binding web-1 -n default`, `get nodes node-1`: verb resource[/sub] [name] [namespace] [group]. */
function can(user: UserInfo, verb: string, resource: string, options: { name?: string; namespace?: string; group?: string } = {}, policy = bootstrapPolicy()): boolean {
  const [res, sub = ''] = resource.split('/');
  const { group = '', namespace = '', name = '' } = options;
  const attributes: RequestAttributes = { user, verb, resourceRequest: true, apiGroup: group, resource: res, subresource: sub, namespace, name, path: '' };
  return authorizeRbac(attributes, policy).decision === 'Allow';
}

function canGetPath(user: UserInfo, path: string): boolean {
  const attributes: RequestAttributes = { user, verb: 'get', resourceRequest: false, apiGroup: '', resource: '', subresource: '', namespace: '', name: '', path };
  return authorizeRbac(attributes, bootstrapPolicy()).decision === 'Allow';
}

describe("kube-apiserver's bootstrap RBAC policy", () => {
  it('labels every default object kubernetes.io/bootstrapping: rbac-defaults', () => {
    const policy = bootstrapPolicy();
    for (const obj of [...policy.clusterRoles, ...policy.clusterRoleBindings]) expect(obj.metadata.labels?.['kubernetes.io/bootstrapping'], obj.metadata.name).toBe('rbac-defaults');
  });

  it('binds every default ClusterRoleBinding to an existing ClusterRole', () => {
    const policy = bootstrapPolicy();
    for (const b of policy.clusterRoleBindings) expect(policy.clusterRoles.map((r) => r.metadata.name)).toContain(b.roleRef.name);
  });

  it('lets system:masters do anything, through cluster-admin', () => {
    const attributes: RequestAttributes = { user: ADMIN, verb: 'delete', resourceRequest: true, apiGroup: '', resource: 'nodes', subresource: '', namespace: '', name: 'node-1', path: '' };
    expect(authorizeRbac(attributes, bootstrapPolicy())).toEqual({
      decision: 'Allow',
      reason: 'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"',
    });
    expect(canGetPath(ADMIN, '/metrics')).toBe(true);
  });

  it('lets anyone, even anonymous, read /healthz and /version, but only authenticated users discover the API', () => {
    expect(canGetPath(ANONYMOUS, '/healthz')).toBe(true);
    expect(canGetPath(ANONYMOUS, '/version')).toBe(true);
    expect(canGetPath(ANONYMOUS, '/api/v1')).toBe(false);
    expect(canGetPath(ALICE, '/apis/apps/v1')).toBe(true);
    expect(canGetPath(ALICE, '/metrics')).toBe(false);
  });

  it('gives a plain authenticated user no resources', () => {
    expect(can(ALICE, 'list', 'pods', { namespace: 'default' })).toBe(false);
    expect(can(ANONYMOUS, 'list', 'pods', { namespace: 'default' })).toBe(false);
  });

  it('lets the scheduler watch pods and nodes and bind pods, and nothing like deleting nodes', () => {
    expect(can(SCHEDULER, 'watch', 'pods')).toBe(true);
    expect(can(SCHEDULER, 'list', 'nodes')).toBe(true);
    expect(can(SCHEDULER, 'create', 'pods/binding', { name: 'web-1', namespace: 'default' })).toBe(true);
    expect(can(SCHEDULER, 'create', 'events', { namespace: 'default' })).toBe(true);
    expect(can(SCHEDULER, 'create', 'pods', { namespace: 'default' })).toBe(false);
    expect(can(SCHEDULER, 'delete', 'nodes', { name: 'node-1' })).toBe(false);
    expect(can(SCHEDULER, 'update', 'leases', { name: 'kube-scheduler', namespace: 'kube-system', group: 'coordination.k8s.io' })).toBe(true);
    expect(can(SCHEDULER, 'update', 'leases', { name: 'kube-controller-manager', namespace: 'kube-system', group: 'coordination.k8s.io' })).toBe(false);
  });

  it('lets the controller manager watch everything, manage pods and report ReplicaSet status', () => {
    expect(can(CONTROLLER_MANAGER, 'watch', 'replicasets', { group: 'apps' })).toBe(true);
    expect(can(CONTROLLER_MANAGER, 'list', 'nodes')).toBe(true);
    expect(can(CONTROLLER_MANAGER, 'create', 'pods', { namespace: 'default' })).toBe(true);
    expect(can(CONTROLLER_MANAGER, 'delete', 'pods', { name: 'web-abcde', namespace: 'default' })).toBe(true);
    expect(can(CONTROLLER_MANAGER, 'update', 'replicasets/status', { name: 'web', namespace: 'default', group: 'apps' })).toBe(true);
    expect(can(CONTROLLER_MANAGER, 'deletecollection', 'configmaps', { namespace: 'doomed' })).toBe(true);
    expect(can(CONTROLLER_MANAGER, 'update', 'namespaces/finalize', { name: 'doomed' })).toBe(true);
    expect(can(CONTROLLER_MANAGER, 'update', 'resourcequotas/status', { name: 'quota', namespace: 'default' })).toBe(true);
    expect(can(CONTROLLER_MANAGER, 'create', 'pods/binding', { name: 'web-1', namespace: 'default' })).toBe(false);
  });

  it('lets a kubelet (group system:nodes) register its node, create mirror pods and report pod status', () => {
    expect(can(KUBELET, 'create', 'nodes')).toBe(true);
    expect(can(KUBELET, 'patch', 'nodes/status', { name: 'node-1' })).toBe(true);
    expect(can(KUBELET, 'create', 'pods', { namespace: 'kube-system' })).toBe(true);
    expect(can(KUBELET, 'update', 'pods/status', { name: 'web-1', namespace: 'default' })).toBe(true);
    expect(can(KUBELET, 'create', 'pods/binding', { name: 'web-1', namespace: 'default' })).toBe(false);
  });

  it('lets kube-proxy watch services and endpoint slices', () => {
    expect(can(KUBE_PROXY, 'watch', 'services')).toBe(true);
    expect(can(KUBE_PROXY, 'list', 'endpointslices', { group: 'discovery.k8s.io' })).toBe(true);
    expect(can(KUBE_PROXY, 'create', 'services', { namespace: 'default' })).toBe(false);
  });

  it('view reads but cannot read secrets; edit writes and reads secrets; admin also manages RoleBindings', () => {
    const policy = bootstrapPolicy();
    const bind = (name: string, role: string, user: string): RoleBinding => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { namespace: 'dev', name },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: user }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    });
    const withBindings = { ...policy, roleBindings: [bind('v', 'view', 'viewer'), bind('e', 'edit', 'editor'), bind('a', 'admin', 'owner')] };
    const user = (username: string): UserInfo => ({ username, groups: ['system:authenticated'] });
    const dev = { namespace: 'dev' };
    expect(can(user('viewer'), 'list', 'pods', dev, withBindings)).toBe(true);
    expect(can(user('viewer'), 'get', 'pods/log', { ...dev, name: 'web' }, withBindings)).toBe(true);
    expect(can(user('viewer'), 'get', 'secrets', { ...dev, name: 'db' }, withBindings)).toBe(false);
    expect(can(user('viewer'), 'delete', 'pods', { ...dev, name: 'web' }, withBindings)).toBe(false);
    expect(can(user('editor'), 'get', 'secrets', { ...dev, name: 'db' }, withBindings)).toBe(true);
    expect(can(user('editor'), 'create', 'deployments', { ...dev, group: 'apps' }, withBindings)).toBe(true);
    expect(can(user('editor'), 'create', 'rolebindings', { ...dev, group: 'rbac.authorization.k8s.io' }, withBindings)).toBe(false);
    expect(can(user('owner'), 'create', 'rolebindings', { ...dev, group: 'rbac.authorization.k8s.io' }, withBindings)).toBe(true);
    expect(can(user('owner'), 'list', 'pods', { namespace: 'prod' }, withBindings)).toBe(false);
  });
});
