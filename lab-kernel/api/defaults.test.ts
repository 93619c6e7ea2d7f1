import { describe, expect, it } from 'vitest';
import { applyDefaults, generateJobSelector } from './defaults';
import type { Job, KubeObject } from './types';

const defaulted = (obj: Record<string, unknown>): KubeObject => {
  const copy = structuredClone(obj) as KubeObject;
  applyDefaults(copy);
  return copy;
};
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };

describe('applyDefaults: the values kube-apiserver fills in', () => {
  it('a pod gets restartPolicy Always, the default scheduler, a 30 s grace period and service links (its priority comes from the Priority admission plugin)', () => {
    const pod = defaulted({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] } });
    expect(pod.spec).toEqual({
      containers: [
        { name: 'web', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }], imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' },
      ],
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      securityContext: {},
      enableServiceLinks: true,
    });
    expect(pod.status).toEqual({ phase: 'Pending' });
  });

  it('a probe gets timeoutSeconds 1, periodSeconds 10, successThreshold 1, failureThreshold 3; an httpGet path / and scheme HTTP', () => {
    const pod = defaulted({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', readinessProbe: { httpGet: { port: 80 } }, livenessProbe: { exec: { command: ['true'] }, periodSeconds: 5 } }] } });
    const c = (pod.spec as { containers: Record<string, unknown>[] }).containers[0];
    expect(c.readinessProbe).toEqual({ httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    expect(c.livenessProbe).toEqual({ exec: { command: ['true'] }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 });
  });

  it('a Node created without a spec reads back with an empty one (NodeSpec is a struct, not a pointer)', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } } as KubeObject & { spec?: object };
    applyDefaults(node);
    expect(node.spec).toEqual({});
  });

  it('a container with limits and no requests requests its limits', () => {
    const pod = defaulted({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i:1', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }] } });
    expect((pod.spec as { containers: { resources: unknown }[] }).containers[0].resources).toEqual({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } });
  });

  it('a Deployment: 1 replica, RollingUpdate 25%/25%, 10 old ReplicaSets kept, 600 s to progress', () => {
    const d = defaulted({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'web' } }, template } });
    expect(d.spec).toMatchObject({ replicas: 1, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 });
    expect(d.spec).toMatchObject({ template: { spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' } } });
    const recreate = defaulted({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { strategy: { type: 'Recreate' }, template } });
    expect((recreate.spec as { strategy: unknown }).strategy).toEqual({ type: 'Recreate' });
  });

  it('a Job: completions and parallelism 1 when neither is set, but a work queue (parallelism only) keeps completions unset', () => {
    const job = (spec: Record<string, unknown>) => defaulted({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template, ...spec } }).spec;
    expect(job({})).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false });
    expect(job({ parallelism: 3 })).not.toHaveProperty('completions');
  });

  it('a CronJob: Allow, not suspended, 3 successful and 1 failed Jobs kept', () => {
    const cj = defaulted({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } });
    expect(cj.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
  });

  it('a Service: ClusterIP, no session affinity, TCP ports whose targetPort is the port', () => {
    const svc = defaulted({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }, { port: 443, targetPort: 'https' }] } });
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ports: [
        { port: 80, protocol: 'TCP', targetPort: 80 },
        { port: 443, protocol: 'TCP', targetPort: 'https' },
      ],
    });
  });

  it('a Secret is Opaque, and its stringData is base64-encoded into data', () => {
    const secret = defaulted({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'YQ==' }, stringData: { username: 'admin' } });
    expect(secret).toMatchObject({ type: 'Opaque', data: { a: 'YQ==', username: 'YWRtaW4=' } });
    expect(secret).not.toHaveProperty('stringData');
  });

  it("a ReplicationController's selector and labels come from its template", () => {
    const rc = defaulted({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { template } });
    expect(rc.metadata.labels).toEqual({ app: 'web' });
    expect(rc.spec).toMatchObject({ replicas: 1, selector: { app: 'web' } });
  });

  it('a StatefulSet: OrderedReady, RollingUpdate from partition 0, PVCs retained; a DaemonSet: one pod at a time', () => {
    const sts = defaulted({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { template, volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: {} }] } });
    expect(sts.spec).toMatchObject({
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      volumeClaimTemplates: [{ spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } }],
    });
    const ds = defaulted({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { template } });
    expect(ds.spec).toMatchObject({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, revisionHistoryLimit: 10 });
  });

  it('storage, quotas and autoscalers: PVs Retain, LimitRange defaults from max, HPAs scale on 80% CPU', () => {
    expect(defaulted({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: {} }).spec).toEqual({ persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
    const lr = defaulted({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' } }] } });
    expect(lr.spec).toEqual({ limits: [{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' }, default: { cpu: '2' }, defaultRequest: { cpu: '2', memory: '64Mi' } }] });
    const hpa = defaulted({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'd' }, maxReplicas: 5 } });
    expect(hpa.spec).toMatchObject({ minReplicas: 1, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] });
  });

  it("RBAC bindings: roleRef and User/Group subjects get the RBAC group, a ServiceAccount's stays empty", () => {
    const rb = defaulted({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'b' },
      roleRef: { kind: 'Role', name: 'r' },
      subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'default', namespace: 'dev' }],
    });
    expect(rb).toMatchObject({ roleRef: { apiGroup: 'rbac.authorization.k8s.io' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'ServiceAccount' }] });
    expect((rb.subjects as object[])[1]).not.toHaveProperty('apiGroup');
  });

  it('never throws on a malformed manifest: a spec of the wrong type is left for validation to report', () => {
    for (const kind of ['Pod', 'Deployment', 'Service', 'Job', 'CronJob', 'StatefulSet', 'DaemonSet', 'PersistentVolume', 'HorizontalPodAutoscaler']) {
      expect(() => defaulted({ apiVersion: 'v1', kind, metadata: { name: 'x' }, spec: 'nonsense' })).not.toThrow();
      expect(() => defaulted({ apiVersion: 'v1', kind, metadata: { name: 'x' }, spec: { containers: 'x', template: 7, ports: 'x', strategy: 'x' } })).not.toThrow();
    }
  });

  it("generateJobSelector: a Job's pods carry its uid and name, and its selector picks exactly them", () => {
    const job = defaulted({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', uid: 'a1b2' }, spec: { template: { spec: { containers: [] } } } });
    generateJobSelector(job as Job);
    expect(job.spec).toMatchObject({
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'a1b2' } },
      template: { metadata: { labels: { 'batch.kubernetes.io/controller-uid': 'a1b2', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'a1b2', 'job-name': 'pi' } } },
    });
  });
});
