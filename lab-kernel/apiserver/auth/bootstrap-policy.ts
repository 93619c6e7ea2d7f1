import { RBAC_GROUP, type ClusterRole, type ClusterRoleBinding, type PolicyRule, type RbacPolicy, type Subject } from './rbac-contract';

/**
 * The ClusterRoles and ClusterRoleBindings kube-apiserver creates when it starts (its
 * rbac/bootstrap-roles post-start hook), so a new cluster already has working permissions:
 *
 *   cluster-admin                   everything; bound to the group system:masters (the admin's certificate has O=system:masters)
 *   admin, edit, view               for RoleBindings in a namespace (bound to nobody by default)
 *   system:basic-user               who-am-I reviews, for every authenticated user
 *   system:discovery                /api, /apis, /version, /healthz ... for every authenticated user
 *   system:public-info-viewer       /healthz, /livez, /readyz, /version even for anonymous users
 *   system:kube-scheduler           what the scheduler does: watch pods and nodes, create pods/binding
 *   system:kube-controller-manager  what the controller manager does
 *   system:node                     what a kubelet does (register its Node, report pod status, ...)
 *   system:node-proxier             what kube-proxy reads (services, endpoints, nodes)
 *
 *   bootstrapPolicy().clusterRoleBindings.find((b) => b.metadata.name === 'cluster-admin')?.subjects
 *   // => [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:masters' }]
 *
 * The rules are Kubernetes' own (plugin/pkg/auth/authorizer/rbac/bootstrappolicy), trimmed to the
 * API groups the lab serves ('' core, apps, batch, autoscaling, coordination.k8s.io,
 * discovery.k8s.io, networking.k8s.io, rbac.authorization.k8s.io, and the review APIs of
 * authentication.k8s.io and authorization.k8s.io): rules for extensions, policy, storage.k8s.io,
 * certificates.k8s.io and the like are left out. Every object carries kube-apiserver's label
 * `kubernetes.io/bootstrapping: rbac-defaults` and annotation `rbac.authorization.kubernetes.io/autoupdate: "true"`.
 */

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const READ_WRITE = [...READ, ...WRITE];

const CORE = '';
const APPS = 'apps';
const AUTHENTICATION = 'authentication.k8s.io';
const AUTHORIZATION = 'authorization.k8s.io';
const AUTOSCALING = 'autoscaling';
const BATCH = 'batch';
const COORDINATION = 'coordination.k8s.io';
const DISCOVERY = 'discovery.k8s.io';
const EVENTS = 'events.k8s.io';
const NETWORKING = 'networking.k8s.io';
const STORAGE = 'storage.k8s.io';

const BOOTSTRAP_LABEL = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const AUTOUPDATE_ANNOTATION = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

/** A resource rule: rule(['get'], [''], ['pods']) is "get pods in the core group". */
function rule(verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule {
  return { verbs, apiGroups, resources, ...(resourceNames ? { resourceNames } : {}) };
}

/** A non-resource rule: urls(['get'], ['/healthz']). */
function urls(verbs: string[], nonResourceURLs: string[]): PolicyRule {
  return { verbs, nonResourceURLs };
}

/** Writing events, in both event APIs: what every component needs to report what it did. */
const EVENTS_RULE = rule(['create', 'update', 'patch'], [CORE, EVENTS], ['events']);

function clusterRole(name: string, rules: PolicyRule[], extraLabels: Record<string, string> = {}): ClusterRole {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: { name, labels: Object.assign({}, BOOTSTRAP_LABEL, extraLabels), annotations: { ...AUTOUPDATE_ANNOTATION } },
    rules,
  };
}

function clusterRoleBinding(name: string, subjects: Subject[]): ClusterRoleBinding {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...BOOTSTRAP_LABEL }, annotations: { ...AUTOUPDATE_ANNOTATION } },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name },
    subjects,
  };
}

const group = (name: string): Subject => ({ kind: 'Group', apiGroup: RBAC_GROUP, name });
const user = (name: string): Subject => ({ kind: 'User', apiGroup: RBAC_GROUP, name });

// view, edit and admin are aggregated ClusterRoles in Kubernetes: a controller fills their rules
// from system:aggregate-to-view, -edit and -admin. The lab writes the result out: edit is
// view's rules plus its own, admin is edit's plus its own.
const VIEW_RULES: PolicyRule[] = [
  rule(READ, [CORE], ['pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status', 'endpoints']),
  rule(READ, [CORE], ['persistentvolumeclaims', 'persistentvolumeclaims/status', 'configmaps']),
  rule(READ, [CORE], ['limitranges', 'resourcequotas', 'bindings', 'events', 'pods/status', 'resourcequotas/status', 'namespaces/status', 'replicationcontrollers/status', 'pods/log']),
  // Reading namespaces in a namespace's RoleBinding means reading that namespace: a hint of where one has access.
  rule(READ, [CORE], ['namespaces']),
  rule(READ, [DISCOVERY], ['endpointslices']),
  rule(READ, [APPS], ['controllerrevisions', 'statefulsets', 'statefulsets/status', 'statefulsets/scale', 'daemonsets', 'daemonsets/status']),
  rule(READ, [APPS], ['deployments', 'deployments/status', 'deployments/scale', 'replicasets', 'replicasets/status', 'replicasets/scale']),
  rule(READ, [AUTOSCALING], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  rule(READ, [BATCH], ['jobs', 'cronjobs', 'cronjobs/status', 'jobs/status']),
  rule(READ, [NETWORKING], ['networkpolicies', 'ingresses', 'ingresses/status']),
];

const EDIT_RULES: PolicyRule[] = [
  ...VIEW_RULES,
  // Secrets and exec are readable by edit, not by view: they lead to more power (escalating resources).
  rule(READ, [CORE], ['pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward', 'secrets', 'services/proxy']),
  rule(['impersonate'], [CORE], ['serviceaccounts']),
  rule(WRITE, [CORE], ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
  rule(['create'], [CORE], ['pods/eviction']),
  rule(WRITE, [CORE], ['replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/proxy', 'persistentvolumeclaims', 'configmaps', 'secrets']),
  rule(['create'], [CORE], ['serviceaccounts/token']),
  rule(WRITE, [APPS], ['statefulsets', 'statefulsets/scale', 'daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'replicasets', 'replicasets/scale']),
  rule(WRITE, [AUTOSCALING], ['horizontalpodautoscalers']),
  rule(WRITE, [BATCH], ['jobs', 'cronjobs']),
  rule(WRITE, [NETWORKING], ['networkpolicies', 'ingresses']),
];

const ADMIN_RULES: PolicyRule[] = [
  ...EDIT_RULES,
  rule(['create'], [AUTHORIZATION], ['localsubjectaccessreviews']),
  // What makes admin more than edit: granting permissions inside the namespace.
  rule(READ_WRITE, ['rbac.authorization.k8s.io'], ['roles', 'rolebindings']),
];

const SCHEDULER_RULES: PolicyRule[] = [
  EVENTS_RULE,
  // Leader election.
  rule(['create'], [COORDINATION], ['leases']),
  rule(['get', 'update'], [COORDINATION], ['leases'], ['kube-scheduler']),
  rule(READ, [CORE], ['nodes']),
  rule(['get', 'list', 'watch', 'delete'], [CORE], ['pods']),
  // Binding a pod to a node: POST pods/<name>/binding.
  rule(['create'], [CORE], ['pods/binding', 'bindings']),
  rule(['patch', 'update'], [CORE], ['pods/status']),
  // Things that select pods (for spreading) and that pods use.
  rule(READ, [CORE], ['services', 'replicationcontrollers']),
  rule(READ, [APPS], ['replicasets', 'statefulsets']),
  rule(READ, [CORE], ['persistentvolumeclaims', 'persistentvolumes']),
  rule(READ, [STORAGE], ['storageclasses']),
  rule(READ, [CORE], ['namespaces']),
  rule(['create'], [AUTHENTICATION], ['tokenreviews']),
  rule(['create'], [AUTHORIZATION], ['subjectaccessreviews']),
];

// Kubernetes' own system:kube-controller-manager role lets it watch everything and little else:
// each controller then runs as its own service account (--use-service-account-credentials),
// bound to its own role (system:controller:replicaset-controller, ...). The lab's controller
// manager runs every controller as one user, so its role adds the rules of the controllers it
// runs: the replicaset, deployment, garbage collector, namespace, service account, resource
// quota, endpoint, endpointslice, job, cronjob, ttl-after-finished, daemonset, statefulset,
// replication and horizontal-pod-autoscaler controllers.
const CONTROLLER_MANAGER_RULES: PolicyRule[] = [
  EVENTS_RULE,
  rule(['create'], [COORDINATION], ['leases']),
  rule(['get', 'update'], [COORDINATION], ['leases'], ['kube-controller-manager']),
  rule(['create'], [CORE], ['secrets', 'serviceaccounts']),
  rule(['delete'], [CORE], ['secrets']),
  rule(['get'], [CORE], ['namespaces', 'secrets', 'serviceaccounts', 'configmaps']),
  rule(['update'], [CORE], ['secrets', 'serviceaccounts']),
  rule(['create'], [AUTHENTICATION], ['tokenreviews']),
  rule(['create'], [AUTHORIZATION], ['subjectaccessreviews']),
  // Every shared informer.
  rule(['list', 'watch'], ['*'], ['*']),
  rule(['create'], [CORE], ['serviceaccounts/token']),
  // The node lifecycle controller: taints nodes by their conditions.
  rule(['get', 'update', 'patch'], [CORE], ['nodes']),
  // system:controller:replicaset-controller
  rule(['get', 'list', 'watch', 'update'], [APPS], ['replicasets']),
  rule(['update'], [APPS], ['replicasets/status', 'replicasets/finalizers']),
  rule(['list', 'watch', 'patch', 'create', 'delete'], [CORE], ['pods']),
  // system:controller:deployment-controller
  rule(['get', 'list', 'watch', 'update'], [APPS], ['deployments']),
  rule(['update'], [APPS], ['deployments/status', 'deployments/finalizers']),
  rule(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], [APPS], ['replicasets']),
  rule(['get', 'list', 'watch', 'update'], [CORE], ['pods']),
  // system:controller:generic-garbage-collector
  rule(['get', 'list', 'watch', 'patch', 'update', 'delete'], ['*'], ['*']),
  // system:controller:namespace-controller: empties a namespace being deleted, then finalizes it
  rule(['get', 'list', 'watch', 'delete'], [CORE], ['namespaces']),
  rule(['update'], [CORE], ['namespaces/finalize', 'namespaces/status']),
  rule(['get', 'list', 'delete', 'deletecollection'], ['*'], ['*']),
  // system:controller:endpoint-controller: an Endpoints object per Service with a selector
  rule(['get', 'list', 'create', 'update', 'delete'], [CORE], ['endpoints']),
  // system:controller:endpointslice-controller: the Services' EndpointSlices
  rule(['get', 'list', 'create', 'update', 'delete'], [DISCOVERY], ['endpointslices']),
  // system:controller:job-controller: a Job's pods, its status, and the pods' tracking finalizer
  rule(['get', 'list', 'watch', 'update', 'patch'], [BATCH], ['jobs']),
  rule(['update'], [BATCH], ['jobs/status', 'jobs/finalizers']),
  rule(['list', 'watch', 'create', 'delete', 'patch'], [CORE], ['pods']),
  // system:controller:cronjob-controller: a CronJob's Jobs and its status
  rule(['get', 'list', 'watch', 'update'], [BATCH], ['cronjobs']),
  rule(['get', 'list', 'watch', 'create', 'update', 'delete', 'patch'], [BATCH], ['jobs']),
  rule(['update'], [BATCH], ['cronjobs/status', 'cronjobs/finalizers']),
  rule(['list', 'delete'], [CORE], ['pods']),
  // system:controller:ttl-after-finished-controller: deletes finished Jobs past their TTL
  rule(['get', 'list', 'watch', 'delete'], [BATCH], ['jobs']),
  // system:controller:daemon-set-controller: a DaemonSet's pods, its status, its revisions (and
  // upstream pods/binding, from when it bound its pods itself: left out, the scheduler binds them)
  rule(['get', 'list', 'watch'], [APPS], ['daemonsets']),
  rule(['update'], [APPS], ['daemonsets/status', 'daemonsets/finalizers']),
  rule(['list', 'watch'], [CORE], ['nodes']),
  rule(['list', 'watch', 'create', 'delete', 'patch'], [CORE], ['pods']),
  rule(['get', 'list', 'watch', 'create', 'delete', 'update', 'patch'], [APPS], ['controllerrevisions']),
  // system:controller:statefulset-controller: a StatefulSet's pods, their claims, its status and revisions
  rule(['list', 'watch'], [CORE], ['pods']),
  rule(['get', 'list', 'watch'], [APPS], ['statefulsets']),
  rule(['update'], [APPS], ['statefulsets/status', 'statefulsets/finalizers']),
  rule(['get', 'create', 'delete', 'update', 'patch'], [CORE], ['pods']),
  rule(['get', 'create', 'delete', 'update', 'patch', 'list', 'watch'], [APPS], ['controllerrevisions']),
  rule(['get', 'create'], [CORE], ['persistentvolumeclaims']),
  rule(['update', 'patch'], [CORE], ['persistentvolumeclaims']),
  // system:controller:service-account-controller: a `default` ServiceAccount in every namespace
  rule(['create'], [CORE], ['serviceaccounts']),
  // system:controller:resourcequota-controller
  rule(['update'], [CORE], ['resourcequotas/status']),
  // system:controller:replication-controller: the ReplicaSet controller's rules, for RCs
  rule(['get', 'list', 'watch', 'update'], [CORE], ['replicationcontrollers']),
  rule(['update'], [CORE], ['replicationcontrollers/status', 'replicationcontrollers/finalizers']),
  // system:controller:service-controller (cloud-controller-manager's, in a real cluster; run
  // only with a cloud), and the patch of a Service its cleanup finalizer needs
  rule(['get', 'list', 'watch'], [CORE], ['services']),
  rule(['patch', 'update'], [CORE], ['services/status']),
  rule(['patch'], [CORE], ['services']),
  // system:controller:horizontal-pod-autoscaler: its HPAs and their status, any target's scale, pods' metrics
  rule(['get', 'list', 'watch'], [AUTOSCALING], ['horizontalpodautoscalers']),
  rule(['update'], [AUTOSCALING], ['horizontalpodautoscalers/status']),
  rule(['get', 'update'], ['*'], ['*/scale']),
  rule(['list'], [CORE], ['pods']),
  rule(['list'], ['metrics.k8s.io'], ['pods']),
];

// Modern Kubernetes leaves the system:node binding without subjects: kubelets are authorized by
// the Node authorizer (--authorization-mode=Node,RBAC), which also limits each kubelet to its
// own Node and the pods bound to it. The lab has no Node authorizer, so it keeps the old binding
// of system:node to the group system:nodes (a kubelet's certificate has O=system:nodes).
const NODE_RULES: PolicyRule[] = [
  rule(['create'], [AUTHENTICATION], ['tokenreviews']),
  rule(['create'], [AUTHORIZATION], ['subjectaccessreviews', 'localsubjectaccessreviews']),
  rule(READ, [CORE], ['services']),
  // Registering its Node and reporting its status.
  rule(['create', 'get', 'list', 'watch'], [CORE], ['nodes']),
  rule(['update', 'patch'], [CORE], ['nodes/status']),
  rule(['update', 'patch'], [CORE], ['nodes']),
  rule(['create', 'update', 'patch'], [CORE], ['events']),
  rule(READ, [CORE], ['pods']),
  // Mirror pods of its static pods.
  rule(['create', 'delete'], [CORE], ['pods']),
  rule(['update', 'patch'], [CORE], ['pods/status']),
  rule(['create'], [CORE], ['pods/eviction']),
  rule(READ, [CORE], ['secrets', 'configmaps']),
  rule(['get'], [CORE], ['persistentvolumeclaims', 'persistentvolumes']),
  rule(['get'], [CORE], ['endpoints']),
  // Its heartbeat: a Lease in kube-node-lease.
  rule(['get', 'create', 'update', 'patch', 'delete'], [COORDINATION], ['leases']),
  rule(['get', 'update', 'patch'], [CORE], ['persistentvolumeclaims/status']),
  rule(['create'], [CORE], ['serviceaccounts/token']),
];

// system:volume-scheduler: VolumeBinding's PreBind writes the chosen node into a claim.
const VOLUME_SCHEDULER_RULES: PolicyRule[] = [
  rule(['get', 'list', 'watch', 'update', 'patch'], [CORE], ['persistentvolumes']),
  rule(READ, [STORAGE], ['storageclasses']),
  rule(['get', 'list', 'watch', 'update', 'patch'], [CORE], ['persistentvolumeclaims']),
];

const NODE_PROXIER_RULES: PolicyRule[] = [
  rule(['list', 'watch'], [CORE], ['services', 'endpoints']),
  rule(READ, [CORE], ['nodes']),
  EVENTS_RULE,
  rule(['list', 'watch'], [DISCOVERY], ['endpointslices']),
];

/** kube-apiserver's default ClusterRoles (those the lab uses). */
export function bootstrapClusterRoles(): ClusterRole[] {
  return [
    // The root role: every verb on every resource of every group, and every non-resource URL.
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
    clusterRole('admin', ADMIN_RULES),
    clusterRole('edit', EDIT_RULES, { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }),
    clusterRole('view', VIEW_RULES, { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }),
    clusterRole('system:basic-user', [rule(['create'], [AUTHORIZATION], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']), rule(['create'], [AUTHENTICATION], ['selfsubjectreviews'])]),
    clusterRole('system:discovery', [urls(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/', '/openapi', '/openapi/*', '/api', '/api/*', '/apis', '/apis/*'])]),
    clusterRole('system:public-info-viewer', [urls(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/'])]),
    clusterRole('system:kube-scheduler', SCHEDULER_RULES),
    clusterRole('system:kube-controller-manager', CONTROLLER_MANAGER_RULES),
    clusterRole('system:volume-scheduler', VOLUME_SCHEDULER_RULES),
    clusterRole('system:node', NODE_RULES),
    clusterRole('system:node-proxier', NODE_PROXIER_RULES),
  ];
}

/** kube-apiserver's default ClusterRoleBindings: each binds the ClusterRole of the same name. */
export function bootstrapClusterRoleBindings(): ClusterRoleBinding[] {
  return [
    clusterRoleBinding('cluster-admin', [group('system:masters')]),
    clusterRoleBinding('system:basic-user', [group('system:authenticated')]),
    clusterRoleBinding('system:discovery', [group('system:authenticated')]),
    clusterRoleBinding('system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
    clusterRoleBinding('system:kube-scheduler', [user('system:kube-scheduler')]),
    clusterRoleBinding('system:kube-controller-manager', [user('system:kube-controller-manager')]),
    clusterRoleBinding('system:volume-scheduler', [user('system:kube-scheduler')]),
    clusterRoleBinding('system:node', [group('system:nodes')]),
    clusterRoleBinding('system:node-proxier', [user('system:kube-proxy')]),
  ];
}

/** The whole default policy, as the RBAC authorizer reads it: no Roles or RoleBindings yet. */
export function bootstrapPolicy(): RbacPolicy {
  return { roles: [], clusterRoles: bootstrapClusterRoles(), roleBindings: [], clusterRoleBindings: bootstrapClusterRoleBindings() };
}
