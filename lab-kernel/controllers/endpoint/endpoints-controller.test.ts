import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../../api/types';
import { createCluster } from '../../cluster/cluster';
import { endpointsOf, MY_SERVICE, myAppDeployment, myAppPodIPs } from '../my-service.fixture';
import { endpointSubsets } from './subsets';

const readyIPs = (cluster: ReturnType<typeof createCluster>) => (endpointsOf(cluster, 'my-service')?.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort();

describe('the Endpoints controller on a whole cluster', () => {
  it('does my-service get an Endpoints object of its own name listing its ready pods on port 9376?', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(myAppDeployment(3) + MY_SERVICE);
    expect(cluster.runUntil(() => myAppPodIPs(cluster).length === 3 && readyIPs(cluster).join() === myAppPodIPs(cluster).join(), 60_000)).toBe(true);
    const ep = endpointsOf(cluster, 'my-service')!;
    expect(ep.subsets).toHaveLength(1);
    expect(ep.subsets![0]!.ports).toEqual([{ port: 9376, protocol: 'TCP' }]);
    expect(ep.subsets![0]!.addresses!.map((a) => a.ip)).toEqual(myAppPodIPs(cluster));
    expect(ep.subsets![0]!.addresses![0]).toMatchObject({ nodeName: expect.stringMatching(/^node-/), targetRef: { kind: 'Pod', namespace: 'default' } });
    expect(cluster.kubectl.get('endpoints').toString().split('\n')[1]).toMatch(/^my-service {3}10\.244\.\d+\.\d+:9376,10\.244\.\d+\.\d+:9376,10\.244\.\d+\.\d+:9376 {3}\d+s$/);
  });

  it('is a pod whose Ready condition turns False listed under notReadyAddresses, and back under addresses when Ready again?', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(myAppDeployment(2) + MY_SERVICE);
    cluster.runUntil(() => readyIPs(cluster).length === 2, 60_000);
    const pod = (cluster.apiServer.cache.list('pods', 'default') as Pod[]).find((p) => p.status?.podIP === readyIPs(cluster)[0])!;
    const setReady = (status: 'True' | 'False') => {
      const current = cluster.apiServer.cache.get('pods', 'default', pod.metadata.name!) as Pod;
      const conditions = current.status!.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status } : c));
      cluster.kubectl.request({ verb: 'update', resource: 'pods', subresource: 'status', namespace: 'default', name: pod.metadata.name, body: { ...current, status: { ...current.status, conditions } } });
    };
    setReady('False');
    expect(cluster.runUntil(() => (endpointsOf(cluster, 'my-service')?.subsets ?? []).some((s) => s.notReadyAddresses?.[0]?.ip === pod.status!.podIP), 10_000)).toBe(true);
    expect(readyIPs(cluster)).toHaveLength(1);
    setReady('True');
    expect(cluster.runUntil(() => readyIPs(cluster).length === 2, 10_000)).toBe(true);
  });

  it('is the Endpoints object deleted with its Service, and a Service without a selector left without one?', () => {
    const cluster = createCluster({ seed: 3 });
    cluster.apply(myAppDeployment(1) + MY_SERVICE + '---\n' + MY_SERVICE.replace('name: my-service', 'name: external').replace(/ {2}selector:\n {4}app.kubernetes.io\/name: MyApp\n/, ''));
    expect(cluster.runUntil(() => readyIPs(cluster).length === 1, 60_000)).toBe(true);
    cluster.runFor(5_000);
    expect(endpointsOf(cluster, 'external')).toBeUndefined();
    cluster.kubectl.delete('service', 'my-service');
    cluster.runFor(2_000);
    expect(endpointsOf(cluster, 'my-service')).toBeUndefined();
  });
});

describe('the subsets of an Endpoints object', () => {
  const pod = (name: string, ip: string | undefined, ready: boolean, ports: { name: string; containerPort: number }[] = []): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: 'web' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx', ports }] },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });
  const svc = (spec: Partial<Service['spec']>): Service => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ...spec } });

  it('packs ready and not-ready pods that offer the same port into one subset, addresses in IP order, and skips pods without an IP', () => {
    const subsets = endpointSubsets(svc({ ports: [{ port: 80, targetPort: 9376, protocol: 'TCP' }] }), [pod('c', '10.0.0.3', true), pod('a', '10.0.0.1', true), pod('b', '10.0.0.2', false), pod('d', undefined, true)]);
    expect(subsets).toEqual([
      {
        addresses: [
          { ip: '10.0.0.1', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } },
          { ip: '10.0.0.3', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'c', uid: 'uid-c' } },
        ],
        notReadyAddresses: [{ ip: '10.0.0.2', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'uid-b' } }],
        ports: [{ port: 9376, protocol: 'TCP' }],
      },
    ]);
  });

  it('resolves a named targetPort per pod, leaving a pod without that name out of the port, and lists a portless headless Service\'s pods bare', () => {
    const named = svc({ ports: [{ name: 'web', port: 80, targetPort: 'http', protocol: 'TCP' }] });
    const subsets = endpointSubsets(named, [pod('a', '10.0.0.1', true, [{ name: 'http', containerPort: 8080 }]), pod('b', '10.0.0.2', true, [{ name: 'http', containerPort: 9090 }]), pod('c', '10.0.0.3', true)]);
    expect(subsets.map((s) => [s.addresses?.map((a) => a.ip), s.ports])).toEqual([
      [['10.0.0.1'], [{ name: 'web', port: 8080, protocol: 'TCP' }]],
      [['10.0.0.2'], [{ name: 'web', port: 9090, protocol: 'TCP' }]],
    ]);
    expect(endpointSubsets(svc({ clusterIP: 'None' }), [pod('a', '10.0.0.1', true)])).toEqual([{ addresses: [{ ip: '10.0.0.1', nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } }] }]);
  });
});
