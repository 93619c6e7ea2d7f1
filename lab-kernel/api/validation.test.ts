import { describe, expect, it } from 'vitest';
import { applyDefaults } from './defaults';
import { resourceFor } from './resources';
import type { KubeObject } from './types';
import { DNS1035_LABEL_ERROR, DNS1123_SUBDOMAIN_ERROR, validate } from './validation';

/** A manifest as the API server validates it: namespaced, defaulted. */
function stored(obj: Omit<KubeObject, 'metadata'> & { metadata: KubeObject['metadata'] }): KubeObject {
  const copy = structuredClone(obj) as KubeObject;
  if (resourceFor(copy.kind).namespaced) copy.metadata.namespace ??= 'default';
  applyDefaults(copy);
  return copy;
}

/** `field: message` lines, the way kubectl prints a 422. */
const lines = (kind: string, obj: KubeObject, old?: KubeObject) => validate(resourceFor(kind), obj, old).map((c) => `${c.field}: ${c.message}`);

const container = { name: 'web', image: 'nginx:1.27' };
const template = (labels: Record<string, string>, spec: Record<string, unknown> = {}) => ({ metadata: { labels }, spec: { containers: [container], ...spec } });
const pod = (name: string, containers: unknown[]): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers } });

describe('validation: names and metadata', () => {
  it('names the field and uses Kubernetes wording for a bad name and a missing container list', () => {
    const causes = validate(resourceFor('Pod'), pod('Web_1', []));
    expect(causes).toEqual([
      { reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "Web_1": ${DNS1123_SUBDOMAIN_ERROR}` },
      { reason: 'FieldValueRequired', field: 'spec.containers', message: 'Required value' },
    ]);
  });

  it('a probe has one handler (grpc is one), and a liveness or startup probe succeeds once: successThreshold must be 1', () => {
    const probes = { readinessProbe: { grpc: { port: 9000 }, successThreshold: 2 }, livenessProbe: { tcpSocket: { port: 80 }, successThreshold: 2 }, startupProbe: { exec: { command: ['true'] }, grpc: { port: 9000 } } };
    expect(lines('Pod', stored(pod('p', [{ ...container, ...probes }])))).toEqual([
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
      'spec.containers[0].startupProbe.grpc: Forbidden: may not specify more than 1 handler type',
    ]);
  });

  it('a Service name must be a DNS-1035 label: it may not start with a digit', () => {
    const svc = stored({ apiVersion: 'v1', kind: 'Service', metadata: { name: '1web' }, spec: { ports: [{ port: 80 }] } });
    expect(lines('Service', svc)).toEqual([`metadata.name: Invalid value: "1web": ${DNS1035_LABEL_ERROR}`]);
  });

  it('a name is required unless generateName is given: "name or generateName is required"', () => {
    expect(lines('ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'default' } })).toEqual(['metadata.name: Required value: name or generateName is required']);
  });

  it('a namespace name is a DNS label (no dots) and names longer than 253 characters are refused', () => {
    expect(lines('Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team.a' } })).toEqual(['metadata.name: Invalid value: "team.a": must not contain dots']);
    const long = 'a'.repeat(254);
    expect(lines('ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: long, namespace: 'default' } })).toEqual([`metadata.name: Invalid value: "${long}": must be no more than 253 characters`]);
  });

  it('RBAC names only have to be a path segment: system:controller:foo is fine, a/b is not', () => {
    const role = (name: string): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules: [] });
    expect(lines('ClusterRole', role('system:controller:foo'))).toEqual([]);
    expect(lines('ClusterRole', role('a/b'))).toEqual([`metadata.name: Invalid value: "a/b": may not contain '/'`]);
  });

  it('rejects label values that are not valid label values', () => {
    const bad = { ...pod('ok', [container]), metadata: { name: 'ok', namespace: 'default', labels: { app: 'no spaces' } } };
    expect(validate(resourceFor('Pod'), bad)[0]).toMatchObject({ field: 'metadata.labels', message: expect.stringContaining('Invalid value: "no spaces": a valid label must be') });
  });

  it('an update may not change metadata.uid', () => {
    const old = { ...pod('web', [container]), metadata: { name: 'web', namespace: 'default', uid: 'a' } };
    const next = { ...old, metadata: { ...old.metadata, uid: 'b' } };
    expect(lines('Pod', next, old)).toEqual(['metadata.uid: Invalid value: "b": field is immutable']);
  });
});

describe('validation: pods', () => {
  it('checks each container: name and image are required', () => {
    const causes = validate(resourceFor('Pod'), pod('ok', [{ name: 'web' }, { image: 'nginx' }]));
    expect(causes.map((c) => `${c.field}: ${c.message}`)).toEqual(['spec.containers[0].image: Required value', 'spec.containers[1].name: Required value']);
  });

  it('container ports must be between 1 and 65535, and container names unique across init and app containers', () => {
    const p = stored({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: { initContainers: [{ name: 'web', image: 'busybox' }], containers: [{ ...container, ports: [{ containerPort: 70000 }] }] },
    });
    expect(validate(resourceFor('Pod'), p)).toEqual([
      { reason: 'FieldValueInvalid', field: 'spec.containers[0].ports[0].containerPort', message: 'Invalid value: 70000: must be between 1 and 65535, inclusive' },
      { reason: 'FieldValueDuplicate', field: 'spec.initContainers[0].name', message: 'Duplicate value: "web"' },
    ]);
  });

  it('a volume mount must name a volume of the pod', () => {
    const p = stored({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ ...container, volumeMounts: [{ name: 'data', mountPath: '/data' }] }] } });
    expect(lines('Pod', p)).toEqual(['spec.containers[0].volumeMounts[0].name: Not found: "data"']);
  });

  it('an extended resource cannot be overcommitted: its request must equal its limit, and a request needs a limit', () => {
    const gpu = (resources: Record<string, unknown>) => stored(pod('gpu', [{ ...container, resources }]));
    expect(lines('Pod', gpu({ requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '2' } }))).toEqual([
      'spec.containers[0].resources.requests: Invalid value: "1": must be equal to nvidia.com/gpu limit of 2',
    ]);
    expect(lines('Pod', gpu({ requests: { 'nvidia.com/gpu': '1' } }))).toEqual([
      'spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources',
    ]);
    // A limit alone is the usual form: defaulting copies it into the request.
    expect(lines('Pod', gpu({ limits: { 'nvidia.com/gpu': '1' } }))).toEqual([]);
    // cpu and memory may be overcommitted.
    expect(lines('Pod', gpu({ requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1' } }))).toEqual([]);
  });

  it('a running pod may change its image but not its ports: "pod updates may not change fields other than ..."', () => {
    const old = stored({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [container], nodeName: 'node-1' } });
    const newImage = structuredClone(old);
    (newImage.spec as { containers: { image: string }[] }).containers[0].image = 'nginx:1.28';
    expect(lines('Pod', newImage, old)).toEqual([]);
    const newPort = structuredClone(old);
    (newPort.spec as { containers: { ports?: unknown[] }[] }).containers[0].ports = [{ containerPort: 8080, protocol: 'TCP' }];
    expect(lines('Pod', newPort, old)).toEqual([
      'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    ]);
  });
});

describe('validation: workloads', () => {
  const deployment = (spec: Record<string, unknown>) => stored({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec });

  it('rejects a ReplicaSet whose selector does not match its template', () => {
    const rs = stored({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web' },
      spec: { replicas: -1, selector: { matchLabels: { app: 'web' } }, template: template({ app: 'other' }) },
    });
    expect(lines('ReplicaSet', rs)).toEqual([
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
    ]);
  });

  it('a Deployment needs a selector, and an empty one is "invalid for deployment"', () => {
    expect(lines('Deployment', deployment({ template: template({ app: 'web' }) }))).toEqual(['spec.selector: Required value']);
    expect(lines('Deployment', deployment({ selector: {}, template: template({ app: 'web' }) }))).toEqual(['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
  });

  it("a Deployment's pods must restart Always, and maxUnavailable and maxSurge may not both be 0", () => {
    const d = deployment({
      selector: { matchLabels: { app: 'web' } },
      template: template({ app: 'web' }, { restartPolicy: 'Never' }),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } },
    });
    expect(lines('Deployment', d)).toEqual([
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
    ]);
  });

  it("a Deployment's selector is immutable in apps/v1", () => {
    const old = deployment({ selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web', tier: 'fe' }) });
    const next = deployment({ selector: { matchLabels: { app: 'web', tier: 'fe' } }, template: template({ app: 'web', tier: 'fe' }) });
    expect(lines('Deployment', next, old)).toEqual(['spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"fe"}}: field is immutable']);
  });

  it('a StatefulSet update may only change replicas, ordinals, template, updateStrategy, the PVC retention policy and minReadySeconds', () => {
    const sts = (serviceName: string) =>
      stored({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web' }, spec: { serviceName, selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) } });
    expect(lines('StatefulSet', sts('other'), sts('nginx'))).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
    const scaled = sts('nginx');
    (scaled.spec as { replicas: number }).replicas = 3;
    expect(lines('StatefulSet', scaled, sts('nginx'))).toEqual([]);
  });

  it('a DaemonSet rolling update needs exactly one of maxUnavailable and maxSurge to be non-zero', () => {
    const ds = stored({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: template({ app: 'agent' }), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } } },
    });
    expect(lines('DaemonSet', ds)).toEqual(['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:""}: may not be set when maxUnavailable is non-zero']);
  });

  it('a ControllerRevision needs data and a revision of 0 or more, and its data never changes (its revision may)', () => {
    const cr = (data: unknown, revision: number): KubeObject => ({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'agent-5d4f9c7b8', namespace: 'default' }, data, revision });
    expect(lines('ControllerRevision', cr(undefined, -1))).toEqual(['data: Required value: data is mandatory', 'revision: Invalid value: -1: must be greater than or equal to 0']);
    const v1 = cr({ spec: { template: { $patch: 'replace' } } }, 1);
    expect(lines('ControllerRevision', cr({ spec: {} }, 1), v1)).toEqual(['data: Invalid value: {"spec":{}}: field is immutable']);
    expect(lines('ControllerRevision', cr(v1.data, 3), v1)).toEqual([]);
  });

  it("a ReplicationController's selector defaults to its template's labels, so it is only required without labels", () => {
    const rc = stored({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'nginx' }, spec: { template: template({ app: 'nginx' }) } });
    expect(lines('ReplicationController', rc)).toEqual([]);
    const bare = stored({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'nginx' }, spec: { template: { spec: { containers: [container] } } } });
    expect(lines('ReplicationController', bare)).toEqual(['spec.selector: Required value']);
  });
});

describe('validation: batch', () => {
  it('a Job whose pods would restart Always is refused: supported values "OnFailure", "Never"', () => {
    const job = stored({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi' }, spec: { template: { spec: { containers: [container] } } } });
    expect(lines('Job', job)).toEqual(['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']);
  });

  it("a Job's pod template is immutable", () => {
    const job = (image: string) =>
      stored({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image }] } } } });
    const causes = validate(resourceFor('Job'), job('perl:5.40'), job('perl:5.34'));
    expect(causes.map((c) => c.field)).toEqual(['spec.template']);
    expect(causes[0].message).toMatch(/^Invalid value: \{.*"image":"perl:5.40".*\}: field is immutable$/);
  });

  it('a CronJob schedule must parse as five cron fields', () => {
    const cj = (schedule: string) =>
      stored({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'hello' },
        spec: { schedule, jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [container] } } } } },
      });
    expect(lines('CronJob', cj('* * * * *'))).toEqual([]);
    expect(lines('CronJob', cj('off'))).toEqual(['spec.schedule: Invalid value: "off": expected exactly 5 fields, found 1: [off]']);
    expect(lines('CronJob', cj('0 25 * * *'))).toEqual(['spec.schedule: Invalid value: "0 25 * * *": end of range (25) above maximum (23): 25']);
  });
});

describe('validation: services, config and storage', () => {
  it('a Service needs ports, and each port must be between 1 and 65535', () => {
    const svc = (ports: unknown[]) => stored({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports } });
    expect(lines('Service', svc([]))).toEqual(['spec.ports: Required value']);
    expect(lines('Service', svc([{ name: 'http', port: 0 }, { port: 443 }]))).toEqual([
      'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.ports[1].name: Required value',
    ]);
  });

  it("a Service's cluster IP may not change once set", () => {
    const svc = (clusterIP?: string) => stored({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { clusterIP, ports: [{ port: 80 }] } });
    expect(lines('Service', svc('10.96.0.9'), svc('10.96.0.5'))).toEqual(['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.9"}: may not change once set']);
    expect(lines('Service', svc(undefined), svc('10.96.0.5'))).toEqual([]);
  });

  it('ConfigMap keys must be valid config keys', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'game-demo', namespace: 'default' }, data: { 'game properties': 'x' } };
    expect(lines('ConfigMap', cm)).toEqual([
      `data[game properties]: Invalid value: "game properties": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    ]);
  });

  it('an immutable ConfigMap or Secret keeps its data and stays immutable: "field is immutable when `immutable` is set"', () => {
    const cm = (data: Record<string, string>, immutable?: boolean): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data, immutable });
    expect(lines('ConfigMap', cm({ a: '2' }, true), cm({ a: '1' }, true))).toEqual(['data: Forbidden: field is immutable when `immutable` is set']);
    expect(lines('ConfigMap', cm({ a: '1' }, false), cm({ a: '1' }, true))).toEqual(['immutable: Forbidden: field is immutable when `immutable` is set']);
    expect(lines('ConfigMap', cm({ a: '2' }), cm({ a: '1' }))).toEqual([]);
    const secret = (type: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, type, data: {} });
    expect(lines('Secret', secret('Opaque'), secret('kubernetes.io/tls'))).toEqual([
      'type: Invalid value: "Opaque": field is immutable',
    ]);
  });

  it('a PersistentVolumeClaim needs access modes and a storage request, and its spec is frozen afterwards', () => {
    const pvc = (spec: Record<string, unknown>) => stored({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'claim' }, spec });
    expect(lines('PersistentVolumeClaim', pvc({}))).toEqual(['spec.accessModes: Required value: at least 1 access mode is required', 'spec.resources[storage]: Required value']);
    const old = pvc({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '3Gi' } } });
    const changed = pvc({ accessModes: ['ReadWriteMany'], resources: { requests: { storage: '3Gi' } } });
    expect(lines('PersistentVolumeClaim', changed, old)).toEqual(['spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims']);
  });

  it('a claim created without a class may be given one once (the retroactive default), never changed after', () => {
    const pvc = (storageClassName?: string) => stored({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'claim' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '3Gi' } }, storageClassName } });
    expect(lines('PersistentVolumeClaim', pvc('standard'), pvc(undefined))).toEqual([]);
    expect(lines('PersistentVolumeClaim', pvc('fast'), pvc('standard'))).toEqual(['spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims']);
  });

  it('a StorageClass needs a provisioner, reclaims with Delete or Retain only, and keeps its provisioner and parameters', () => {
    const sc = (fields: Record<string, unknown>) => stored({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, volumeBindingMode: 'Immediate', ...fields });
    expect(lines('StorageClass', sc({ provisioner: '', reclaimPolicy: 'Recycle' }))).toEqual(['provisioner: Required value', 'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"']);
    expect(lines('StorageClass', sc({ provisioner: 'b.example.com', parameters: { type: 'ssd' } }), sc({ provisioner: 'a.example.com', parameters: { type: 'hdd' } }))).toEqual([
      'parameters: Forbidden: updates to parameters are forbidden.',
      'provisioner: Forbidden: updates to provisioner are forbidden.',
    ]);
  });
});

describe('validation: RBAC', () => {
  const binding = (roleName: string): KubeObject =>
    stored({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'read-pods' },
      subjects: [{ kind: 'User', name: 'jane' }],
      roleRef: { kind: 'Role', name: roleName },
    });

  it("a binding's roleRef cannot change", () => {
    expect(lines('RoleBinding', binding('pod-writer'), binding('pod-reader'))).toEqual([
      'roleRef: Invalid value: {"kind":"Role","name":"pod-writer","apiGroup":"rbac.authorization.k8s.io"}: cannot change roleRef',
    ]);
  });

  it('a binding without roleRef names what is missing; a ClusterRoleBinding may only bind a ClusterRole', () => {
    const bare = stored({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b' } });
    expect(lines('RoleBinding', bare)).toEqual(['roleRef.kind: Unsupported value: "": supported values: "Role", "ClusterRole"', 'roleRef.name: Required value']);
    const crb = stored({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'Role', name: 'r' } });
    expect(lines('ClusterRoleBinding', crb)).toEqual(['roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"']);
  });

  it('a resource rule needs verbs, apiGroups and resources', () => {
    const role: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'default' }, rules: [{ verbs: [] }] };
    expect(lines('Role', role)).toEqual([
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[0].resources: Required value: resource rules must supply at least one resource',
    ]);
  });
});
