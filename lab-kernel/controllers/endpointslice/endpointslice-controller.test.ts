import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types';
import { createCluster } from '../../cluster/cluster';
import { MY_SERVICE, myAppDeployment, myAppPodIPs, readyIPs, serviceNamed, slicesOf } from '../my-service.fixture';

const toNumber = (ip: string) => ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);

function withMyService(replicas: number, options: { workers?: number } = {}) {
  const cluster = createCluster({ seed: 1, ...options });
  cluster.apply(myAppDeployment(replicas) + MY_SERVICE);
  const settled = () => myAppPodIPs(cluster).length === replicas && readyIPs(slicesOf(cluster, 'my-service')).join() === myAppPodIPs(cluster).join();
  if (!cluster.runUntil(settled, 120_000)) throw new Error(`my-service did not list its ${replicas} pods: ${JSON.stringify(slicesOf(cluster, 'my-service'))}`);
  return cluster;
}

describe('the EndpointSlice controller on a whole cluster', () => {
  it("does the docs' my-service get a ClusterIP in 10.96.0.0/12 and an EndpointSlice listing its ready pods' IPs?", () => {
    const cluster = withMyService(3);
    const svc = serviceNamed(cluster, 'my-service')!;
    expect(toNumber(svc.spec.clusterIP!) >>> 20).toBe(toNumber('10.96.0.0') >>> 20);
    const [slice, ...more] = slicesOf(cluster, 'my-service');
    expect(more).toEqual([]);
    expect(slice!.metadata.name).toMatch(/^my-service-[a-z0-9]{5}$/);
    expect(slice!.metadata.generateName).toBe('my-service-');
    expect(slice!.metadata.labels).toEqual({ 'kubernetes.io/service-name': 'my-service', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slice!.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'my-service', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(slice!.addressType).toBe('IPv4');
    expect(slice!.ports).toEqual([{ name: '', port: 9376, protocol: 'TCP' }]);
    const pods = cluster.apiServer.cache.list('pods', 'default') as Pod[];
    for (const e of slice!.endpoints) {
      const pod = pods.find((p) => p.metadata.name === e.targetRef?.name)!;
      expect(e).toEqual({
        addresses: [pod.status!.podIP],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: pod.spec.nodeName,
        targetRef: { kind: 'Pod', namespace: 'default', name: pod.metadata.name, uid: pod.metadata.uid },
      });
    }
  });

  it('is the EndpointSlice updated when a pod is deleted (terminating, then gone) and when the Deployment is scaled?', () => {
    const cluster = withMyService(3);
    const [slice] = slicesOf(cluster, 'my-service');
    const victim = slice!.endpoints[0]!.targetRef!.name;
    cluster.kubectl.delete('pod', victim, { wait: false });
    const endpointOf = () => slicesOf(cluster, 'my-service').flatMap((s) => s.endpoints).find((e) => e.targetRef?.name === victim);
    expect(cluster.runUntil(() => endpointOf()?.conditions?.terminating === true, 10_000)).toBe(true);
    expect(endpointOf()!.conditions).toEqual({ ready: false, serving: true, terminating: true });
    expect(cluster.runUntil(() => endpointOf() === undefined && readyIPs(slicesOf(cluster, 'my-service')).length === 3, 60_000)).toBe(true);
    expect(slicesOf(cluster, 'my-service').map((s) => s.metadata.name)).toEqual([slice!.metadata.name]);
    cluster.kubectl.scale('deployment', 'my-app', 5);
    expect(cluster.runUntil(() => readyIPs(slicesOf(cluster, 'my-service')).length === 5, 60_000)).toBe(true);
    expect(readyIPs(slicesOf(cluster, 'my-service'))).toEqual(myAppPodIPs(cluster));
    expect(slicesOf(cluster, 'my-service')).toHaveLength(1);
  });

  it('are 250 pods listed in 3 slices of 100, 100 and 50?', () => {
    const cluster = withMyService(250, { workers: 3 });
    expect(slicesOf(cluster, 'my-service').map((s) => s.endpoints.length).sort((a, b) => b - a)).toEqual([100, 100, 50]);
  });

  it('does a headless Service get clusterIP None and still get slices, with the headless label?', () => {
    const cluster = withMyService(2);
    cluster.apply(MY_SERVICE.replace('name: my-service', 'name: my-headless').replace('spec:\n', 'spec:\n  clusterIP: None\n'));
    expect(cluster.runUntil(() => readyIPs(slicesOf(cluster, 'my-headless')).length === 2, 10_000)).toBe(true);
    expect(serviceNamed(cluster, 'my-headless')!.spec).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'] });
    expect(slicesOf(cluster, 'my-headless')[0]!.metadata.labels).toMatchObject({ 'service.kubernetes.io/headless': '' });
  });

  it('does a named targetPort resolve per pod, a pod without that port name landing in a slice without the port?', () => {
    const cluster = withMyService(2);
    cluster.apply(`${MY_SERVICE.replace('name: my-service', 'name: by-name').replace('targetPort: 9376', 'targetPort: http')}---
apiVersion: v1
kind: Pod
metadata:
  name: no-http
  labels:
    app.kubernetes.io/name: MyApp
spec:
  containers:
  - name: app
    image: nginx:1.27
`);
    const noHttp = () => (cluster.apiServer.cache.get('pods', 'default', 'no-http') as Pod | undefined)?.status?.podIP;
    expect(cluster.runUntil(() => noHttp() !== undefined && readyIPs(slicesOf(cluster, 'by-name')).length === 3, 30_000)).toBe(true);
    const byPorts = slicesOf(cluster, 'by-name').map((s) => ({ ports: s.ports, pods: s.endpoints.map((e) => e.targetRef?.name).sort() }));
    expect(byPorts.find((s) => s.ports?.length === 0)?.pods).toEqual(['no-http']);
    expect(byPorts.find((s) => s.ports?.length === 1)).toMatchObject({ ports: [{ name: '', port: 9376, protocol: 'TCP' }] });
    expect(byPorts.find((s) => s.ports?.length === 1)!.pods).toHaveLength(2);
  });

  it('does a Service with no pods get one empty placeholder slice, and a Service without a selector none?', () => {
    const cluster = createCluster({ seed: 2 });
    cluster.apply(MY_SERVICE + '---\n' + MY_SERVICE.replace('name: my-service', 'name: external').replace(/ {2}selector:\n {4}app.kubernetes.io\/name: MyApp\n/, ''));
    expect(cluster.runUntil(() => slicesOf(cluster, 'my-service').length === 1, 10_000)).toBe(true);
    cluster.runFor(5_000);
    expect(slicesOf(cluster, 'my-service').map((s) => [s.ports, s.endpoints])).toEqual([[[], []]]);
    expect(serviceNamed(cluster, 'external')!.spec.selector).toBeUndefined();
    expect(slicesOf(cluster, 'external')).toEqual([]);
  });

  it('are the slices deleted with their Service (the garbage collector, by owner)?', () => {
    const cluster = withMyService(2);
    cluster.kubectl.delete('service', 'my-service');
    expect(cluster.runUntil(() => slicesOf(cluster, 'my-service').length === 0, 10_000)).toBe(true);
  });
});
