/**
 * Grader suite for exercise `rbac` (exercises/rbac/authorize.ts).
 *
 * Table cases from Kubernetes' RBAC documentation (kubernetes.io/docs/reference/access-authn-authz/rbac/)
 * and from kube-apiserver's own authorizer: subjects, rules, which bindings apply where, and the
 * decision's reason. Then whole clusters whose API server authorizes with the learner's code.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterRole, ClusterRoleBinding, Pod, PolicyRule, Role, RoleBinding, Subject } from '../../lab-kernel/api/types';
import type { RequestAttributes, UserInfo } from '../../lab-kernel/apiserver/pipeline-types';
import type { RbacPolicy } from '../../lab-kernel/apiserver/auth/rbac-contract';
import { Cluster, createCluster } from '../../lab-kernel/cluster/cluster';
import { KubectlError } from '../../lab-kernel/kubectl/kubectl';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const authorizeRbac = slotUnderTest('rbac');

const RBAC = 'rbac.authorization.k8s.io';

// ---- building the policy -------------------------------------------------------------------

function role(namespace: string, name: string, rules: PolicyRule[]): Role {
  return { apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: { namespace, name }, rules };
}

function clusterRole(name: string, rules: PolicyRule[]): ClusterRole {
  return { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name }, rules };
}

function roleBinding(namespace: string, name: string, roleRef: { kind: 'Role' | 'ClusterRole'; name: string }, subjects: Subject[]): RoleBinding {
  return { apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: { namespace, name }, subjects, roleRef: { apiGroup: RBAC, ...roleRef } };
}

function clusterRoleBinding(name: string, roleRef: { kind: 'Role' | 'ClusterRole'; name: string }, subjects: Subject[]): ClusterRoleBinding {
  return { apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name }, subjects, roleRef: { apiGroup: RBAC, ...roleRef } };
}

const userSubject = (name: string): Subject => ({ kind: 'User', apiGroup: RBAC, name });
const groupSubject = (name: string): Subject => ({ kind: 'Group', apiGroup: RBAC, name });
const serviceAccountSubject = (name: string, namespace?: string): Subject => ({ kind: 'ServiceAccount', name, ...(namespace ? { namespace } : {}) });

function policy(parts: Partial<RbacPolicy>): RbacPolicy {
  return { roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [], ...parts };
}

// ---- building requests -----------------------------------------------------------------------

function user(username: string, ...groups: string[]): UserInfo {
  return { username, groups: [...groups, 'system:authenticated'] };
}

function serviceAccountUser(namespace: string, name: string): UserInfo {
  return { username: `system:serviceaccount:${namespace}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'] };
}

interface ResourceRequest {
  verb: string;
  resource: string;
  subresource?: string;
  group?: string;
  namespace?: string;
  name?: string;
}

function resourceRequest(who: UserInfo, r: ResourceRequest): RequestAttributes {
  return {
    user: who,
    verb: r.verb,
    resourceRequest: true,
    apiGroup: r.group ?? '',
    resource: r.resource,
    subresource: r.subresource ?? '',
    namespace: r.namespace ?? '',
    name: r.name ?? '',
    path: '',
  };
}

function pathRequest(who: UserInfo, verb: string, path: string): RequestAttributes {
  return { user: who, verb, resourceRequest: false, apiGroup: '', resource: '', subresource: '', namespace: '', name: '', path };
}

function describeRequest(a: RequestAttributes): string {
  if (!a.resourceRequest) return `${a.user.username} ${a.verb} ${a.path}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return `${a.user.username} ${a.verb} ${resource}${a.apiGroup ? `.${a.apiGroup}` : ''}${a.name ? ` "${a.name}"` : ''} ${a.namespace ? `in namespace "${a.namespace}"` : 'cluster-wide'}`;
}

/** Checks the decision (and, when given, the exact reason), with a message saying what was expected. */
function expectDecision(p: RbacPolicy, a: RequestAttributes, decision: 'Allow' | 'NoOpinion', reason?: string): void {
  const result = authorizeRbac(a, p);
  expect(result.decision, `${describeRequest(a)}: expected ${decision}`).toBe(decision);
  if (decision === 'NoOpinion') expect(result.reason, 'RBAC says NoOpinion with reason ""').toBe('');
  if (reason !== undefined) expect(result.reason, `${describeRequest(a)}: the reason names what allowed it`).toBe(reason);
}

const allow = (p: RbacPolicy, a: RequestAttributes, reason?: string) => expectDecision(p, a, 'Allow', reason);
const noOpinion = (p: RbacPolicy, a: RequestAttributes) => expectDecision(p, a, 'NoOpinion');

// ---- the documentation's examples ----------------------------------------------------------

// "Role example": read access to pods in the "default" namespace, bound to jane.
const podReader = policy({
  roles: [role('default', 'pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] }])],
  roleBindings: [roleBinding('default', 'read-pods', { kind: 'Role', name: 'pod-reader' }, [userSubject('jane')])],
});

// "ClusterRole example" and "RoleBinding examples": secret-reader, used in one namespace and cluster-wide.
const secretReader = policy({
  clusterRoles: [clusterRole('secret-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }])],
  roleBindings: [roleBinding('development', 'read-secrets', { kind: 'ClusterRole', name: 'secret-reader' }, [userSubject('dave')])],
  clusterRoleBindings: [clusterRoleBinding('read-secrets-global', { kind: 'ClusterRole', name: 'secret-reader' }, [groupSubject('manager')])],
});

describe('Part 1: who a binding names (users, groups, service accounts)', () => {
  it('a User subject matches the user of that name, and no other', () => {
    allow(podReader, resourceRequest(user('jane'), { verb: 'list', resource: 'pods', namespace: 'default' }));
    noOpinion(podReader, resourceRequest(user('janet'), { verb: 'list', resource: 'pods', namespace: 'default' }));
  });

  it('a Group subject matches every member of the group', () => {
    const p = policy({ ...secretReader, roleBindings: [] });
    allow(p, resourceRequest(user('carol', 'manager'), { verb: 'get', resource: 'secrets', namespace: 'default', name: 'db' }));
    noOpinion(p, resourceRequest(user('manager'), { verb: 'get', resource: 'secrets', namespace: 'default', name: 'db' }));
  });

  it('a Group subject can name system:authenticated or system:serviceaccounts:<ns>', () => {
    const p = policy({
      clusterRoles: secretReader.clusterRoles,
      roleBindings: [roleBinding('qa', 'qa-sas', { kind: 'ClusterRole', name: 'secret-reader' }, [groupSubject('system:serviceaccounts:qa')])],
      clusterRoleBindings: [clusterRoleBinding('everyone', { kind: 'ClusterRole', name: 'secret-reader' }, [groupSubject('system:authenticated')])],
    });
    allow(
      p,
      resourceRequest(serviceAccountUser('qa', 'tester'), { verb: 'list', resource: 'secrets', namespace: 'qa' }),
      'RBAC: allowed by ClusterRoleBinding "everyone" of ClusterRole "secret-reader" to Group "system:authenticated"',
    );
    noOpinion(p, resourceRequest({ username: 'system:anonymous', groups: ['system:unauthenticated'] }, { verb: 'list', resource: 'secrets', namespace: 'qa' }));
  });

  it('a ServiceAccount subject matches the username system:serviceaccount:<namespace>:<name>', () => {
    const p = policy({
      roles: podReader.roles,
      roleBindings: [roleBinding('default', 'sa-reads-pods', { kind: 'Role', name: 'pod-reader' }, [serviceAccountSubject('my-sa', 'default')])],
    });
    allow(p, resourceRequest(serviceAccountUser('default', 'my-sa'), { verb: 'get', resource: 'pods', namespace: 'default', name: 'web' }));
    noOpinion(p, resourceRequest(serviceAccountUser('other', 'my-sa'), { verb: 'get', resource: 'pods', namespace: 'default', name: 'web' }));
    noOpinion(p, resourceRequest(user('my-sa'), { verb: 'get', resource: 'pods', namespace: 'default', name: 'web' }));
  });

  it("in a RoleBinding, a ServiceAccount subject without a namespace is one of the binding's namespace", () => {
    const p = policy({
      roles: podReader.roles,
      roleBindings: [roleBinding('default', 'sa-reads-pods', { kind: 'Role', name: 'pod-reader' }, [serviceAccountSubject('builder')])],
    });
    allow(
      p,
      resourceRequest(serviceAccountUser('default', 'builder'), { verb: 'list', resource: 'pods', namespace: 'default' }),
      'RBAC: allowed by RoleBinding "sa-reads-pods/default" of Role "pod-reader" to ServiceAccount "builder/default"',
    );
  });

  it('in a ClusterRoleBinding, a ServiceAccount subject without a namespace matches nobody', () => {
    const p = policy({
      clusterRoles: secretReader.clusterRoles,
      clusterRoleBindings: [clusterRoleBinding('no-namespace', { kind: 'ClusterRole', name: 'secret-reader' }, [serviceAccountSubject('builder')])],
    });
    noOpinion(p, resourceRequest(serviceAccountUser('default', 'builder'), { verb: 'list', resource: 'secrets', namespace: 'default' }));
    // Not even a user whose name leaves the namespace empty (a client certificate could say so).
    noOpinion(p, resourceRequest(user('system:serviceaccount::builder'), { verb: 'list', resource: 'secrets', namespace: 'default' }));
  });

  it('a binding with several subjects applies to each of them', () => {
    const p = policy({
      roles: podReader.roles,
      roleBindings: [roleBinding('default', 'read-pods', { kind: 'Role', name: 'pod-reader' }, [userSubject('jane'), groupSubject('devs'), serviceAccountSubject('ci', 'tools')])],
    });
    allow(p, resourceRequest(user('jane'), { verb: 'list', resource: 'pods', namespace: 'default' }));
    allow(p, resourceRequest(user('kim', 'devs'), { verb: 'list', resource: 'pods', namespace: 'default' }), 'RBAC: allowed by RoleBinding "read-pods/default" of Role "pod-reader" to Group "devs"');
    allow(
      p,
      resourceRequest(serviceAccountUser('tools', 'ci'), { verb: 'list', resource: 'pods', namespace: 'default' }),
      'RBAC: allowed by RoleBinding "read-pods/default" of Role "pod-reader" to ServiceAccount "ci/tools"',
    );
  });
});

describe('Part 2: what a rule allows (verbs, API groups, resources, names, URLs)', () => {
  const bindToAlice = (rules: PolicyRule[]) =>
    policy({
      clusterRoles: [clusterRole('under-test', rules)],
      clusterRoleBindings: [clusterRoleBinding('alice-under-test', { kind: 'ClusterRole', name: 'under-test' }, [userSubject('alice')])],
    });
  const alice = user('alice');

  it('needs the verb: pod-reader reads pods but cannot delete them', () => {
    allow(podReader, resourceRequest(user('jane'), { verb: 'watch', resource: 'pods', namespace: 'default' }));
    noOpinion(podReader, resourceRequest(user('jane'), { verb: 'delete', resource: 'pods', namespace: 'default', name: 'web' }));
    noOpinion(podReader, resourceRequest(user('jane'), { verb: 'create', resource: 'pods', namespace: 'default' }));
  });

  it('needs the API group: "" is the core group, and deployments live in apps', () => {
    const p = bindToAlice([{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] }]);
    allow(p, resourceRequest(alice, { verb: 'list', resource: 'deployments', group: 'apps', namespace: 'default' }));
    noOpinion(p, resourceRequest(alice, { verb: 'list', resource: 'deployments', group: 'extensions', namespace: 'default' }));
    noOpinion(podReader, resourceRequest(user('jane'), { verb: 'list', resource: 'pods', group: 'apps', namespace: 'default' }));
  });

  it('needs the resource: pod-reader does not read services', () => {
    noOpinion(podReader, resourceRequest(user('jane'), { verb: 'list', resource: 'services', namespace: 'default' }));
  });

  it('a subresource needs resource/subresource: "pods" does not cover "pods/log"', () => {
    noOpinion(podReader, resourceRequest(user('jane'), { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'default', name: 'web' }));
    const p = bindToAlice([{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] }]);
    allow(p, resourceRequest(alice, { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'default', name: 'web' }));
    noOpinion(p, resourceRequest(alice, { verb: 'get', resource: 'pods', subresource: 'exec', namespace: 'default', name: 'web' }));
  });

  it('"pods/log" alone allows reading logs but not the pods themselves', () => {
    const p = bindToAlice([{ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }]);
    allow(p, resourceRequest(alice, { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'default', name: 'web' }));
    noOpinion(p, resourceRequest(alice, { verb: 'get', resource: 'pods', namespace: 'default', name: 'web' }));
  });

  it('"*/scale" allows the scale subresource of every resource', () => {
    const p = bindToAlice([{ apiGroups: ['*'], resources: ['*/scale'], verbs: ['get', 'update'] }]);
    allow(p, resourceRequest(alice, { verb: 'update', resource: 'deployments', subresource: 'scale', group: 'apps', namespace: 'default', name: 'web' }));
    allow(p, resourceRequest(alice, { verb: 'get', resource: 'replicasets', subresource: 'scale', group: 'apps', namespace: 'default', name: 'web' }));
    noOpinion(p, resourceRequest(alice, { verb: 'get', resource: 'replicasets', group: 'apps', namespace: 'default', name: 'web' }));
    noOpinion(p, resourceRequest(alice, { verb: 'get', resource: 'replicasets', subresource: 'status', group: 'apps', namespace: 'default', name: 'web' }));
  });

  it('"*" matches every verb, every API group and every resource, subresources included', () => {
    const p = bindToAlice([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]);
    allow(p, resourceRequest(alice, { verb: 'deletecollection', resource: 'jobs', group: 'batch', namespace: 'ci' }));
    allow(p, resourceRequest(alice, { verb: 'create', resource: 'pods', subresource: 'binding', namespace: 'default', name: 'web' }));
    allow(p, resourceRequest(alice, { verb: 'delete', resource: 'nodes', name: 'node-1' }));
  });

  it('resourceNames limits the rule to those objects (configmap-updater can update only my-configmap)', () => {
    const p = policy({
      roles: [role('default', 'configmap-updater', [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['my-configmap'], verbs: ['update', 'get'] }])],
      roleBindings: [roleBinding('default', 'update-my-configmap', { kind: 'Role', name: 'configmap-updater' }, [userSubject('alice')])],
    });
    allow(p, resourceRequest(alice, { verb: 'update', resource: 'configmaps', namespace: 'default', name: 'my-configmap' }));
    noOpinion(p, resourceRequest(alice, { verb: 'update', resource: 'configmaps', namespace: 'default', name: 'other-configmap' }));
  });

  it('resourceNames cannot allow a request that names no object (list, create)', () => {
    const p = bindToAlice([{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['my-configmap'], verbs: ['list', 'create', 'get'] }]);
    noOpinion(p, resourceRequest(alice, { verb: 'list', resource: 'configmaps', namespace: 'default' }));
    noOpinion(p, resourceRequest(alice, { verb: 'create', resource: 'configmaps', namespace: 'default' }));
  });

  it('an empty resourceNames list does not restrict the rule', () => {
    const p = bindToAlice([{ apiGroups: [''], resources: ['configmaps'], resourceNames: [], verbs: ['list'] }]);
    allow(p, resourceRequest(alice, { verb: 'list', resource: 'configmaps', namespace: 'default' }));
  });

  it('nonResourceURLs: an exact path, or a prefix ending in "*"', () => {
    const p = bindToAlice([{ nonResourceURLs: ['/healthz', '/healthz/*'], verbs: ['get', 'post'] }]);
    allow(p, pathRequest(alice, 'get', '/healthz'));
    allow(p, pathRequest(alice, 'post', '/healthz/etcd'));
    noOpinion(p, pathRequest(alice, 'get', '/healthzz'));
    noOpinion(p, pathRequest(alice, 'get', '/metrics'));
    noOpinion(p, pathRequest(alice, 'delete', '/healthz'));
  });

  it('nonResourceURLs "*" matches every path', () => {
    allow(bindToAlice([{ nonResourceURLs: ['*'], verbs: ['get'] }]), pathRequest(alice, 'get', '/debug/pprof/profile'));
  });

  it('a resource rule never allows a non-resource request, nor a non-resource rule a resource request', () => {
    noOpinion(bindToAlice([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]), pathRequest(alice, 'get', '/healthz'));
    noOpinion(bindToAlice([{ nonResourceURLs: ['*'], verbs: ['*'] }]), resourceRequest(alice, { verb: 'get', resource: 'pods', namespace: 'default', name: 'web' }));
  });
});

describe('Part 3: which bindings apply where', () => {
  it('a RoleBinding grants only in its own namespace', () => {
    allow(podReader, resourceRequest(user('jane'), { verb: 'list', resource: 'pods', namespace: 'default' }));
    noOpinion(podReader, resourceRequest(user('jane'), { verb: 'list', resource: 'pods', namespace: 'kube-system' }));
  });

  it('a RoleBinding grants nothing to a request across all namespaces', () => {
    noOpinion(podReader, resourceRequest(user('jane'), { verb: 'list', resource: 'pods' }));
  });

  it('a RoleBinding to a ClusterRole grants it only in the binding\'s namespace (dave reads secrets in development only)', () => {
    allow(
      secretReader,
      resourceRequest(user('dave'), { verb: 'get', resource: 'secrets', namespace: 'development', name: 'db' }),
      'RBAC: allowed by RoleBinding "read-secrets/development" of ClusterRole "secret-reader" to User "dave"',
    );
    noOpinion(secretReader, resourceRequest(user('dave'), { verb: 'get', resource: 'secrets', namespace: 'default', name: 'db' }));
    noOpinion(secretReader, resourceRequest(user('dave'), { verb: 'list', resource: 'secrets' }));
  });

  it('a ClusterRoleBinding grants in every namespace and across all of them (the manager group reads every secret)', () => {
    const manager = user('carol', 'manager');
    allow(
      secretReader,
      resourceRequest(manager, { verb: 'get', resource: 'secrets', namespace: 'development', name: 'db' }),
      'RBAC: allowed by ClusterRoleBinding "read-secrets-global" of ClusterRole "secret-reader" to Group "manager"',
    );
    allow(secretReader, resourceRequest(manager, { verb: 'list', resource: 'secrets', namespace: 'kube-system' }));
    allow(secretReader, resourceRequest(manager, { verb: 'list', resource: 'secrets' }));
  });

  it('a ClusterRoleBinding grants cluster-scoped resources (nodes)', () => {
    const p = policy({
      clusterRoles: [clusterRole('node-reader', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] }])],
      clusterRoleBindings: [clusterRoleBinding('read-nodes', { kind: 'ClusterRole', name: 'node-reader' }, [userSubject('alice')])],
      roleBindings: [roleBinding('default', 'nodes-in-default', { kind: 'ClusterRole', name: 'node-reader' }, [userSubject('bob')])],
    });
    allow(p, resourceRequest(user('alice'), { verb: 'get', resource: 'nodes', name: 'node-1' }));
    noOpinion(p, resourceRequest(user('bob'), { verb: 'get', resource: 'nodes', name: 'node-1' }));
  });

  it("a RoleBinding finds its Role in its own namespace, not another namespace's Role of the same name", () => {
    const p = policy({
      roles: [role('kube-system', 'pod-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }])],
      roleBindings: [roleBinding('default', 'read-pods', { kind: 'Role', name: 'pod-reader' }, [userSubject('jane')])],
    });
    noOpinion(p, resourceRequest(user('jane'), { verb: 'list', resource: 'pods', namespace: 'default' }));
  });

  it('a binding whose role does not exist grants nothing (and does not stop other bindings)', () => {
    const p = policy({
      ...podReader,
      roleBindings: [roleBinding('default', 'dangling', { kind: 'ClusterRole', name: 'gone' }, [userSubject('jane')]), ...podReader.roleBindings],
    });
    noOpinion(p, resourceRequest(user('jane'), { verb: 'list', resource: 'pods', namespace: 'kube-system' }));
    allow(p, resourceRequest(user('jane'), { verb: 'list', resource: 'pods', namespace: 'default' }), 'RBAC: allowed by RoleBinding "read-pods/default" of Role "pod-reader" to User "jane"');
  });

  it('a ClusterRoleBinding never refers to a Role', () => {
    const p = policy({
      roles: podReader.roles,
      clusterRoleBindings: [clusterRoleBinding('odd', { kind: 'Role', name: 'pod-reader' }, [userSubject('jane')])],
    });
    noOpinion(p, resourceRequest(user('jane'), { verb: 'list', resource: 'pods', namespace: 'default' }));
  });

  it('permissions add up: two bindings give the union of their roles', () => {
    const p = policy({
      roles: podReader.roles,
      clusterRoles: secretReader.clusterRoles,
      roleBindings: [...podReader.roleBindings, roleBinding('default', 'jane-secrets', { kind: 'ClusterRole', name: 'secret-reader' }, [userSubject('jane')])],
    });
    allow(p, resourceRequest(user('jane'), { verb: 'list', resource: 'pods', namespace: 'default' }));
    allow(
      p,
      resourceRequest(user('jane'), { verb: 'list', resource: 'secrets', namespace: 'default' }),
      'RBAC: allowed by RoleBinding "jane-secrets/default" of ClusterRole "secret-reader" to User "jane"',
    );
  });
});

describe('Part 4: the decision and its reason', () => {
  it('names the binding, the role and the subject, as kube-apiserver does', () => {
    allow(
      podReader,
      resourceRequest(user('jane'), { verb: 'get', resource: 'pods', namespace: 'default', name: 'web' }),
      'RBAC: allowed by RoleBinding "read-pods/default" of Role "pod-reader" to User "jane"',
    );
  });

  it('looks at ClusterRoleBindings before RoleBindings', () => {
    const p = policy({
      ...secretReader,
      roleBindings: [roleBinding('development', 'managers-too', { kind: 'ClusterRole', name: 'secret-reader' }, [groupSubject('manager')])],
    });
    allow(
      p,
      resourceRequest(user('carol', 'manager'), { verb: 'get', resource: 'secrets', namespace: 'development', name: 'db' }),
      'RBAC: allowed by ClusterRoleBinding "read-secrets-global" of ClusterRole "secret-reader" to Group "manager"',
    );
  });

  it('names the first subject of the binding that matches', () => {
    const p = policy({
      clusterRoles: secretReader.clusterRoles,
      clusterRoleBindings: [clusterRoleBinding('readers', { kind: 'ClusterRole', name: 'secret-reader' }, [userSubject('someone-else'), groupSubject('ops'), userSubject('carol')])],
    });
    allow(p, resourceRequest(user('carol', 'ops'), { verb: 'list', resource: 'secrets' }), 'RBAC: allowed by ClusterRoleBinding "readers" of ClusterRole "secret-reader" to Group "ops"');
  });

  it('never denies: with no matching rule the answer is NoOpinion with reason ""', () => {
    const result = authorizeRbac(resourceRequest(user('mallory'), { verb: 'delete', resource: 'secrets', namespace: 'default', name: 'db' }), secretReader);
    expect(result, 'RBAC only ever allows, or has no opinion').toEqual({ decision: 'NoOpinion', reason: '' });
  });

  it('an empty policy allows nothing', () => {
    noOpinion(policy({}), resourceRequest(user('alice', 'system:masters'), { verb: 'get', resource: 'pods', namespace: 'default', name: 'web' }));
    noOpinion(policy({}), pathRequest(user('alice'), 'get', '/healthz'));
  });
});

// ---- whole clusters --------------------------------------------------------------------------

describe(`A whole cluster authorizing with your RBAC (seed ${SEED})`, () => {
  // One cluster for the whole block (booting one takes about a second); only the last test changes its policy.
  let booted: Cluster | undefined;
  function cluster(): Cluster {
    booted ??= createCluster({ seed: SEED, use: { rbac: SOURCE } });
    return booted;
  }

  function errorOf(run: () => unknown): string {
    try {
      run();
    } catch (err) {
      if (err instanceof KubectlError) return err.message;
      throw err;
    }
    return 'no error: the request was allowed';
  }

  const pod = `
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: nginx
    image: nginx:1.27
`;

  const defaultCanView = `
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: default-view
  namespace: default
subjects:
- kind: ServiceAccount
  name: default
roleRef:
  kind: ClusterRole
  name: view
  apiGroup: rbac.authorization.k8s.io
`;

  const janeCanReadPods = `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  namespace: default
  name: pod-reader
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "watch", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-pods
  namespace: default
subjects:
- kind: User
  name: jane
  apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: Role
  name: pod-reader
  apiGroup: rbac.authorization.k8s.io
`;

  it('the scheduler and the kubelets still work: the bootstrap policy lets them bind and run a pod', () => {
    const c = cluster();
    c.apply(pod);
    const running = () => c.kubectl.getObjects<Pod>('pods', 'web')[0]?.status?.phase === 'Running';
    const ok = c.runUntil(running, 20_000);
    const forbidden = [...c.trace.all()].find((e) => e.summary.includes('forbidden'));
    expect(ok, `pod web should be Running within 20 s${forbidden ? `; a component was refused: ${forbidden.summary}` : ''}`).toBe(true);
  });

  it("forbids a user with no bindings, with kube-apiserver's message", () => {
    expect(errorOf(() => cluster().kubectlAs({ username: 'bob', groups: [] }).get('pods'))).toBe(
      'Error from server (Forbidden): pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"',
    );
  });

  it("a service account's token gets what a RoleBinding grants the service account (view: pods, not secrets)", () => {
    const c = cluster();
    c.apply(defaultCanView);
    let token = '';
    const issued = c.runUntil(() => {
      try {
        token = c.serviceAccountToken('default', 'default');
        return true;
      } catch {
        return false; // the ServiceAccount controller has not created it yet
      }
    }, 10_000);
    expect(issued, 'the ServiceAccount default/default should exist').toBe(true);
    const sa = c.kubectlWithToken(token);
    expect(() => sa.get('pods'), 'view lets it list pods').not.toThrow();
    expect(errorOf(() => sa.get('secrets'))).toBe(
      'Error from server (Forbidden): secrets is forbidden: User "system:serviceaccount:default:default" cannot list resource "secrets" in API group "" in the namespace "default"',
    );
  });

  it('a RoleBinding lets jane read pods in its namespace, and nowhere else', () => {
    const c = cluster();
    c.apply(janeCanReadPods);
    const jane = c.kubectlAs({ username: 'jane', groups: [] });
    expect(() => jane.get('pods'), 'jane may list pods in default').not.toThrow();
    expect(errorOf(() => jane.get('pods', undefined, { namespace: 'kube-system' }))).toBe(
      'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "kube-system"',
    );
    expect(errorOf(() => jane.delete('pod', 'web'))).toBe(
      'Error from server (Forbidden): pods "web" is forbidden: User "jane" cannot delete resource "pods" in API group "" in the namespace "default"',
    );
  });
});
