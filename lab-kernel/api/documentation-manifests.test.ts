import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { parseManifests } from '../kubectl/kubectl';
import type { KubeObject } from './types';

/**
 * The examples of the Kubernetes documentation (testdata/*.yaml, transcribed from
 * kubernetes.io) go through the whole path — kubectl apply, the API server's decoding,
 * defaulting, validation, etcd — and come back as written: every field a manifest sets is
 * stored as given, and the fields it leaves out carry Kubernetes' defaults.
 */
const TESTDATA = path.join(__dirname, 'testdata');

/** Per object (`Kind/name`): defaults the API server must have filled in, by path. */
const DEFAULTS: Record<string, Record<string, unknown>> = {
  'Deployment/nginx-deployment': {
    'spec.strategy': { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    'spec.revisionHistoryLimit': 10,
    'spec.progressDeadlineSeconds': 600,
    'spec.template.spec.restartPolicy': 'Always',
    'spec.template.spec.dnsPolicy': 'ClusterFirst',
    'spec.template.spec.schedulerName': 'default-scheduler',
    'spec.template.spec.terminationGracePeriodSeconds': 30,
    'spec.template.spec.securityContext': {},
    'spec.template.spec.containers.0.imagePullPolicy': 'IfNotPresent',
    'spec.template.spec.containers.0.terminationMessagePath': '/dev/termination-log',
    'spec.template.spec.containers.0.terminationMessagePolicy': 'File',
    'spec.template.spec.containers.0.ports.0.protocol': 'TCP',
  },
  'Service/my-service': { 'spec.type': 'ClusterIP', 'spec.sessionAffinity': 'None', 'spec.internalTrafficPolicy': 'Cluster' },
  'Service/nginx': { 'spec.type': 'ClusterIP', 'spec.clusterIP': 'None', 'spec.ports.0.targetPort': 80, 'spec.ports.0.protocol': 'TCP' },
  'ConfigMap/game-demo': {},
  'Secret/dotfile-secret': { type: 'Opaque' },
  // stringData is write-only: merged into data, base64-encoded, and not stored.
  'Secret/secret-basic-auth': { 'data.username': 'YWRtaW4=', 'data.password': 'dDBwLVNlY3JldA==', stringData: undefined },
  'Job/pi': { 'spec.completions': 1, 'spec.parallelism': 1, 'spec.completionMode': 'NonIndexed', 'spec.suspend': false, 'spec.template.spec.containers.0.imagePullPolicy': 'IfNotPresent' },
  'CronJob/hello': {
    'spec.concurrencyPolicy': 'Allow',
    'spec.suspend': false,
    'spec.successfulJobsHistoryLimit': 3,
    'spec.failedJobsHistoryLimit': 1,
    'spec.jobTemplate.spec.template.spec.dnsPolicy': 'ClusterFirst',
    // The job template's own spec is not Job-defaulted: the Jobs made from it are.
    'spec.jobTemplate.spec.backoffLimit': undefined,
  },
  'StatefulSet/web': {
    'spec.podManagementPolicy': 'OrderedReady',
    'spec.updateStrategy': { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    'spec.revisionHistoryLimit': 10,
    'spec.persistentVolumeClaimRetentionPolicy': { whenDeleted: 'Retain', whenScaled: 'Retain' },
    'spec.volumeClaimTemplates.0.spec.volumeMode': 'Filesystem',
    'spec.volumeClaimTemplates.0.status.phase': 'Pending',
  },
  'DaemonSet/fluentd-elasticsearch': {
    'spec.updateStrategy': { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    'spec.revisionHistoryLimit': 10,
    'spec.template.spec.volumes.0.hostPath.type': '',
  },
  'Ingress/minimal-ingress': {},
  'HorizontalPodAutoscaler/php-apache': {},
  'PersistentVolume/task-pv-volume': { 'spec.persistentVolumeReclaimPolicy': 'Retain', 'spec.volumeMode': 'Filesystem', 'spec.hostPath.type': '' },
  'PersistentVolumeClaim/task-pv-claim': { 'spec.volumeMode': 'Filesystem' },
  'Role/pod-reader': {},
  'RoleBinding/read-pods': {},
  'ClusterRole/secret-reader': {},
  'ClusterRoleBinding/read-secrets-global': {},
  'Namespace/default-mem-example': { 'metadata.labels': { 'kubernetes.io/metadata.name': 'default-mem-example' }, 'spec.finalizers': ['kubernetes'] },
  'LimitRange/mem-limit-range': {},
  'Namespace/quota-mem-cpu-example': { 'status.phase': 'Active' },
  'ResourceQuota/mem-cpu-demo': {},
  'ServiceAccount/build-robot': {},
  'Lease/apiserver-07a5ea9b9b072c4a5f3d1c3702': {},
  'ReplicationController/nginx': { 'metadata.labels': { app: 'nginx' }, 'spec.template.spec.restartPolicy': 'Always' },
};

/** The value at a dotted path (`spec.containers.0.image`). */
function at(obj: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), obj);
}

/** Where `stored` differs from what `written` set (fields `written` leaves out are not compared). */
function differences(written: unknown, stored: unknown, where = ''): string[] {
  if (written !== null && typeof written === 'object') {
    if (stored === null || typeof stored !== 'object' || Array.isArray(written) !== Array.isArray(stored)) return [`${where}: stored ${JSON.stringify(stored)}`];
    if (Array.isArray(written) && written.length !== (stored as unknown[]).length) return [`${where}: ${(stored as unknown[]).length} items stored, ${written.length} written`];
    return Object.entries(written).flatMap(([k, v]) => differences(v, (stored as Record<string, unknown>)[k], where ? `${where}.${k}` : k));
  }
  return written === stored ? [] : [`${where}: wrote ${JSON.stringify(written)}, stored ${JSON.stringify(stored)}`];
}

/** What the manifest says, minus what the API server rewrites on purpose: Secret stringData becomes data. */
function asWritten(manifest: KubeObject): KubeObject {
  if (manifest.kind !== 'Secret' || manifest.stringData === undefined) return manifest;
  const { stringData: _written, ...rest } = manifest;
  return rest as KubeObject;
}

describe('the documentation examples are stored as written, with Kubernetes defaults', () => {
  const cluster = createCluster({ seed: 1 });
  const files = fs.readdirSync(TESTDATA).filter((f) => f.endsWith('.yaml')).sort();

  it('every object of the examples has its expected defaults listed here', () => {
    const objects = files.flatMap((f) => parseManifests(fs.readFileSync(path.join(TESTDATA, f), 'utf8'))).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(objects.sort()).toEqual(Object.keys(DEFAULTS).sort());
  });

  for (const file of files) {
    it(`${file}: kubectl apply creates it unchanged and defaulted`, () => {
      const text = fs.readFileSync(path.join(TESTDATA, file), 'utf8');
      const manifests = parseManifests(text);
      const out = cluster.apply(text).split('\n');
      expect(out.every((line) => line.endsWith(' created')), out.join('\n')).toBe(true);
      for (const manifest of manifests) {
        const id = `${manifest.kind}/${manifest.metadata.name}`;
        const [stored] = cluster.kubectl.getObjects(manifest.kind, manifest.metadata.name, { namespace: manifest.metadata.namespace });
        expect(differences(asWritten(manifest), stored), `${id} as stored`).toEqual([]);
        for (const [field, value] of Object.entries(DEFAULTS[id] ?? {})) expect(at(stored, field), `${id} ${field}`).toEqual(value);
      }
    });
  }
});
