import { describe, expect, it } from 'vitest';
import type { Node, Pod, Service } from '../api/types';
import type { Cluster } from './cluster';
import { clusterIP, servicesCluster } from './services.fixture';
import { answerCounts, httpAnswer, OFF_CLUSTER, serviceLabels, serviceRequest, whoAnswered } from './service-view';

const podIP = (cluster: Cluster, name: string) => cluster.kubectl.getObjects<Pod>('pods').find((p) => p.metadata.name === name)!.status!.podIP!;
const nodeIP = (cluster: Cluster, name: string) => cluster.kubectl.getObjects<Node>('nodes').find((n) => n.metadata.name === name)!.status!.addresses!.find((a) => a.type === 'InternalIP')!.address;
/** A node's own addresses: its InternalIP on eth0, and the pods' gateway on cni0 (the first of its pod CIDR). */
const nodeAddresses = (cluster: Cluster, name: string) => {
  const node = cluster.kubectl.getObjects<Node>('nodes').find((n) => n.metadata.name === name)!;
  return [nodeIP(cluster, name), node.spec!.podCIDR!.replace(/0\/24$/, '1')];
};

/** The fixture's web Service as a NodePort with the given policy; answers its node port. */
function nodePort(cluster: Cluster, policy: 'Cluster' | 'Local'): number {
  cluster.apply(`apiVersion: v1
kind: Service
metadata: { name: web-np, namespace: default }
spec: { type: NodePort, externalTrafficPolicy: ${policy}, selector: { app: web }, ports: [{ port: 80, targetPort: 80 }] }
`);
  cluster.runFor(2_000);
  return cluster.kubectl.getObjects<Service>('services').find((s) => s.metadata.name === 'web-np')!.spec.ports![0].nodePort!;
}

describe('service-view: requests to Services as their clients and their pods see them', () => {
  it("names the pod whose listener got a pod's request to the ClusterIP, and the client address it saw: the calling pod's own", () => {
    const cluster = servicesCluster();
    const r = serviceRequest(cluster, 'client', clusterIP(cluster));
    expect(r.outcome).toBe('response');
    const who = whoAnswered(cluster, r)!;
    expect(['default/web-1', 'default/web-2']).toContain(who.pod);
    expect(who.client).toMatch(new RegExp(`^${podIP(cluster, 'client').replace(/\./g, '\\.')}:\\d+$`));
  });

  it('counts the answers of each endpoint over many requests, and lists failed requests as (no answer)', () => {
    const cluster = servicesCluster();
    const rows = answerCounts(cluster, 'client', clusterIP(cluster), 20);
    expect(rows.map((r) => r.pod)).toEqual(['default/web-1', 'default/web-2']);
    expect(rows.map((r) => r.podIP)).toEqual([podIP(cluster, 'web-1'), podIP(cluster, 'web-2')]);
    expect(rows.reduce((n, r) => n + r.answers, 0)).toBe(20);
    expect(answerCounts(cluster, 'client', '10.96.99.99', 1)).toEqual([{ pod: '(no answer)', podIP: '', answers: 1 }]);
  });

  it("carries an off-cluster client's request to a node's NodePort (externalTrafficPolicy Cluster) to a pod that sees a node's address, masqueraded", () => {
    const cluster = servicesCluster();
    const port = nodePort(cluster, 'Cluster');
    for (const node of ['control-plane', 'node-1', 'node-2']) {
      const r = serviceRequest(cluster, OFF_CLUSTER, nodeIP(cluster, node), port);
      expect(r.outcome, node).toBe('response');
      // MASQUERADE takes the address of the interface the packet leaves by: eth0 to another node's pod, cni0 to its own.
      expect(nodeAddresses(cluster, node), node).toContain(whoAnswered(cluster, r)!.client.split(':')[0]);
    }
    const viaControlPlane = serviceRequest(cluster, OFF_CLUSTER, nodeIP(cluster, 'control-plane'), port);
    expect(whoAnswered(cluster, viaControlPlane)!.client.split(':')[0]).toBe(nodeIP(cluster, 'control-plane'));
  });

  it("with externalTrafficPolicy Local, the pod sees the off-cluster client's own address, and a node without a local endpoint drops the request", () => {
    const cluster = servicesCluster();
    const port = nodePort(cluster, 'Local');
    const r = serviceRequest(cluster, OFF_CLUSTER, nodeIP(cluster, 'node-2'), port);
    expect(whoAnswered(cluster, r)).toEqual({ pod: 'default/web-2', client: expect.stringMatching(/^192\.168\.1\.1:\d+$/) });
    const dropped = serviceRequest(cluster, OFF_CLUSTER, nodeIP(cluster, 'control-plane'), port);
    expect(dropped.outcome === 'error' && dropped.error).toBe('ETIMEDOUT');
    expect(whoAnswered(cluster, dropped)).toBeUndefined();
  });

  it("in userspace mode names the endpoint pod, not kube-proxy's listener, and an address of the client's node as the client it saw", () => {
    const cluster = servicesCluster('userspace');
    const who = whoAnswered(cluster, serviceRequest(cluster, 'client', clusterIP(cluster)))!;
    expect(['default/web-1', 'default/web-2']).toContain(who.pod);
    expect(nodeAddresses(cluster, 'node-1')).toContain(who.client.split(':')[0]);
  });

  it('labels the LAN namespace as the off-cluster client, the pods by name', () => {
    const labels = serviceLabels(servicesCluster());
    expect(labels.underlay).toContain('192.168.1.1');
    expect(Object.values(labels)).toContain('default/client');
  });

  it("reads an HTTP request's status and body, or the socket's error when nothing answered", () => {
    const cluster = servicesCluster();
    expect(httpAnswer(serviceRequest(cluster, 'client', clusterIP(cluster)))).toEqual({ code: 200, body: '<title>Welcome to nginx!</title>' });
    expect(httpAnswer(serviceRequest(cluster, 'client', '10.96.99.99'))).toEqual({ error: 'ETIMEDOUT' });
  });
});
