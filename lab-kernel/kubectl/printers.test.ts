import { describe, expect, it } from 'vitest';
import { timestamp } from '../api/time';
import type { KubeObject } from '../api/types';
import { printTable } from './printers';

/** Objects created at virtual time 0, printed one minute later. */
const NOW = 60_000;
const obj = (kind: string, name: string, rest: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name, namespace: 'default', creationTimestamp: timestamp(0) }, ...rest });
const table = (kind: string, objects: KubeObject[], wide = false) => printTable(kind, objects, NOW, { wide }).toString().split('\n');
const template = { spec: { containers: [{ name: 'nginx', image: 'nginx:1.14.2' }] } };

describe("kubectl get: kubectl v1.32's columns for each kind", () => {
  it('deployments: NAME READY UP-TO-DATE AVAILABLE AGE, and the wide CONTAINERS IMAGES SELECTOR', () => {
    const d = obj('Deployment', 'nginx-deployment', {
      spec: { replicas: 3, selector: { matchLabels: { app: 'nginx' } }, template },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    });
    expect(table('Deployment', [d], true)).toEqual([
      'NAME               READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES         SELECTOR',
      'nginx-deployment   2/3     3            2           60s   nginx        nginx:1.14.2   app=nginx',
    ]);
  });

  it('services: the cluster IP, <none> or <pending> external IPs, and port/protocol with the node port', () => {
    const svc = (name: string, spec: Record<string, unknown>) => obj('Service', name, { spec });
    expect(
      table('Service', [
        svc('my-service', { type: 'ClusterIP', clusterIP: '10.96.0.12', clusterIPs: ['10.96.0.12'], ports: [{ port: 80, protocol: 'TCP' }] }),
        svc('lb', { type: 'LoadBalancer', clusterIP: '10.96.0.13', clusterIPs: ['10.96.0.13'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, nodePort: 30053, protocol: 'UDP' }] }),
        svc('nginx', { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80, protocol: 'TCP' }] }),
      ]),
    ).toEqual([
      'NAME         TYPE           CLUSTER-IP   EXTERNAL-IP   PORT(S)                     AGE',
      'my-service   ClusterIP      10.96.0.12   <none>        80/TCP                      60s',
      'lb           LoadBalancer   10.96.0.13   <pending>     80:30080/TCP,53:30053/UDP   60s',
      'nginx        ClusterIP      None         <none>        80/TCP                      60s',
    ]);
  });

  it('jobs: NAME STATUS COMPLETIONS DURATION AGE, Complete once the condition says so', () => {
    const done = obj('Job', 'pi', {
      spec: { completions: 1, parallelism: 1, template },
      status: { succeeded: 1, startTime: timestamp(0), completionTime: timestamp(7_000), conditions: [{ type: 'Complete', status: 'True' }] },
    });
    const queue = obj('Job', 'queue', { spec: { parallelism: 3, template }, status: { startTime: timestamp(0) } });
    expect(table('Job', [done, queue])).toEqual(['NAME    STATUS     COMPLETIONS   DURATION   AGE', 'pi      Complete   1/1           7s         60s', 'queue   Running    0/1 of 3      60s        60s']);
  });

  it('cronjobs: NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE', () => {
    const cj = obj('CronJob', 'hello', { spec: { schedule: '* * * * *', suspend: false, jobTemplate: { spec: { template } } } });
    expect(table('CronJob', [cj])).toEqual(['NAME    SCHEDULE    TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE', 'hello   * * * * *   <none>     False     0        <none>          60s']);
  });

  it('configmaps, secrets and service accounts count their entries', () => {
    expect(table('ConfigMap', [obj('ConfigMap', 'game-demo', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } })])).toEqual(['NAME        DATA   AGE', 'game-demo   3      60s']);
    expect(table('Secret', [obj('Secret', 'basic', { type: 'kubernetes.io/basic-auth', data: { username: 'YQ==', password: 'Yg==' } })])).toEqual([
      'NAME    TYPE                       DATA   AGE',
      'basic   kubernetes.io/basic-auth   2      60s',
    ]);
    expect(table('ServiceAccount', [obj('ServiceAccount', 'default', {})])).toEqual(['NAME      SECRETS   AGE', 'default   0         60s']);
  });

  it('persistent volumes and claims: capacity, access modes as RWO/ROX/RWX, the claim a volume is bound to', () => {
    const pv = obj('PersistentVolume', 'task-pv-volume', {
      spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: 'manual', claimRef: { namespace: 'default', name: 'task-pv-claim' } },
      status: { phase: 'Bound' },
    });
    expect(table('PersistentVolume', [pv])).toEqual([
      'NAME             CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM                   STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE',
      'task-pv-volume   10Gi       RWO            Retain           Bound    default/task-pv-claim   manual         <unset>                          60s',
    ]);
    const pvc = obj('PersistentVolumeClaim', 'task-pv-claim', {
      spec: { volumeName: 'task-pv-volume', storageClassName: 'manual', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '3Gi' } } },
      status: { phase: 'Bound', accessModes: ['ReadWriteMany', 'ReadWriteOnce'], capacity: { storage: '10Gi' } },
    });
    expect(table('PersistentVolumeClaim', [pvc])).toEqual([
      'NAME            STATUS   VOLUME           CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE',
      'task-pv-claim   Bound    task-pv-volume   10Gi       RWO,RWX        manual         <unset>                 60s',
    ]);
  });

  it('storage classes: the default one marked (default), unset fields printed as their defaults', () => {
    const standard = obj('StorageClass', 'standard', { provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' });
    standard.metadata.annotations = { 'storageclass.kubernetes.io/is-default-class': 'true' };
    const fast = obj('StorageClass', 'fast', { provisioner: 'ebs.csi.aws.com', reclaimPolicy: 'Retain', allowVolumeExpansion: true });
    expect(table('StorageClass', [fast, standard])).toEqual([
      'NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE',
      'fast                 ebs.csi.aws.com         Retain          Immediate              true                   60s',
      'standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  60s',
    ]);
  });

  it('roles show when they were created; bindings show Kind/name of their role and, wide, who they bind', () => {
    expect(table('Role', [obj('Role', 'pod-reader', {})])).toEqual(['NAME         CREATED AT', 'pod-reader   2025-01-01T00:00:00Z']);
    const rb = obj('RoleBinding', 'read-pods', {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
      subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'default', namespace: 'dev' }],
    });
    expect(table('RoleBinding', [rb], true)).toEqual(['NAME        ROLE              AGE   USERS   GROUPS   SERVICEACCOUNTS', 'read-pods   Role/pod-reader   60s   jane             dev/default']);
  });

  it('resource quotas: used/hard per resource, limits.* in the LIMIT column', () => {
    const rq = obj('ResourceQuota', 'mem-cpu-demo', {
      spec: { hard: { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi' } },
      status: { hard: { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi' }, used: { 'requests.cpu': '500m', 'requests.memory': '512Mi' } },
    });
    expect(table('ResourceQuota', [rq])).toEqual([
      'NAME           AGE   REQUEST                                            LIMIT',
      'mem-cpu-demo   60s   requests.cpu: 500m/1, requests.memory: 512Mi/1Gi   limits.cpu: 0/2, limits.memory: 0/2Gi',
    ]);
  });

  it('autoscalers name the metric in TARGETS (since v1.30): cpu: <unknown>/50% before metrics arrive', () => {
    const hpa = obj('HorizontalPodAutoscaler', 'php-apache', {
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'php-apache' }, minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
    });
    expect(table('HorizontalPodAutoscaler', [hpa])).toEqual([
      'NAME         REFERENCE               TARGETS              MINPODS   MAXPODS   REPLICAS   AGE',
      'php-apache   Deployment/php-apache   cpu: <unknown>/50%   1         10        0          60s',
    ]);
  });

  it('statefulsets, daemonsets, ingresses, endpoints and leases', () => {
    expect(table('StatefulSet', [obj('StatefulSet', 'web', { spec: { replicas: 3, template }, status: { replicas: 3, readyReplicas: 1 } })])).toEqual(['NAME   READY   AGE', 'web    1/3     60s']);
    const ds = obj('DaemonSet', 'fluentd', { spec: { template }, status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1, numberMisscheduled: 0 } });
    expect(table('DaemonSet', [ds])).toEqual(['NAME      DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE', 'fluentd   2         2         1       2            1           <none>          60s']);
    const ing = obj('Ingress', 'minimal-ingress', { spec: { ingressClassName: 'nginx-example', rules: [{ http: { paths: [] } }] } });
    expect(table('Ingress', [ing])).toEqual(['NAME              CLASS           HOSTS   ADDRESS   PORTS   AGE', 'minimal-ingress   nginx-example   *                 80      60s']);
    const addresses = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].map((ip) => ({ ip }));
    expect(table('Endpoints', [obj('Endpoints', 'web', { subsets: [{ addresses, ports: [{ port: 80 }] }] })])).toEqual([
      'NAME   ENDPOINTS                                         AGE',
      'web    10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...   60s',
    ]);
    expect(table('Lease', [obj('Lease', 'node-1', { spec: { holderIdentity: 'node-1' } })])).toEqual(['NAME     HOLDER   AGE', 'node-1   node-1   60s']);
  });

  it('controllerrevisions: NAME CONTROLLER REVISION AGE, the controller as kind.group/name', () => {
    const owner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd-elasticsearch', uid: 'u', controller: true };
    const cr = obj('ControllerRevision', 'fluentd-elasticsearch-6c8d7b9f5', { revision: 2 });
    cr.metadata.ownerReferences = [owner];
    expect(table('ControllerRevision', [cr, obj('ControllerRevision', 'orphan-1', { revision: 1 })])).toEqual([
      'NAME                              CONTROLLER                             REVISION   AGE',
      'fluentd-elasticsearch-6c8d7b9f5   daemonset.apps/fluentd-elasticsearch   2          60s',
      'orphan-1                          <none>                                 1          60s',
    ]);
  });

  it('how does kubectl print Endpoints whose pods are all not ready, and EndpointSlices with named, many or no ports?', () => {
    const notReady = obj('Endpoints', 'web', { subsets: [{ notReadyAddresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] });
    expect(table('Endpoints', [notReady, obj('Endpoints', 'empty', {})])).toEqual(['NAME    ENDPOINTS   AGE', 'web                 60s', 'empty   <none>      60s']);
    const endpoints = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].map((ip) => ({ addresses: [ip] }));
    const slice = (name: string, ports: unknown[], eps: unknown[]) => obj('EndpointSlice', name, { addressType: 'IPv4', ports, endpoints: eps });
    expect(
      table('EndpointSlice', [
        slice('web-abcde', [{ name: 'http', port: 9376 }, { name: 'https', port: 9377 }, { name: 'a', port: 1 }, { name: 'b', port: 2 }], endpoints),
        slice('named-xyz12', [{ name: 'http' }], endpoints.slice(0, 1)),
        slice('placeholder-k2j4m', [], []),
      ]),
    ).toEqual([
      'NAME                ADDRESSTYPE   PORTS                     ENDPOINTS                                AGE',
      'web-abcde           IPv4          9376,9377,1 + 1 more...   10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...   60s',
      'named-xyz12         IPv4          http                      10.0.0.1                                 60s',
      'placeholder-k2j4m   IPv4          <unset>                   <unset>                                  60s',
    ]);
  });
});
