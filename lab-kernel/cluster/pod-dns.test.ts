import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { createCluster, type Cluster } from './cluster';

function podRunning(cluster: Cluster, manifest: string, name: string): void {
  cluster.apply(manifest);
  const running = () => cluster.kubectl.getObjects<Pod>('pods').some((p) => p.metadata.name === name && p.status?.phase === 'Running');
  if (!cluster.runUntil(running, 60_000)) throw new Error(`${name} did not start`);
}

describe("a pod's /etc/resolv.conf, as the kubelet forms it and containerd writes it", () => {
  it("points a ClusterFirst pod at the cluster DNS with its namespace first in the search list, then the node's own, and ndots:5", () => {
    const cluster = createCluster({ seed: 1 });
    podRunning(cluster, `apiVersion: v1
kind: Pod
metadata: { name: client, namespace: default }
spec:
  containers: [{ name: main, image: busybox:1.36, command: [sleep, '3600'] }]
`, 'client');
    expect(cluster.kubectl.exec('client', ['cat', '/etc/resolv.conf'])).toBe('search default.svc.cluster.local svc.cluster.local cluster.local lab.internal\nnameserver 10.96.0.10\noptions ndots:5\n');
  });

  it('records DNSConfigForming on a pod whose dnsConfig asks for more than 3 nameservers, and keeps the first 3', () => {
    const cluster = createCluster({ seed: 1 });
    podRunning(cluster, `apiVersion: v1
kind: Pod
metadata: { name: many, namespace: default }
spec:
  dnsPolicy: None
  dnsConfig: { nameservers: [1.1.1.1, 8.8.8.8, 9.9.9.9, 8.8.4.4] }
  containers: [{ name: main, image: busybox:1.36, command: [sleep, '3600'] }]
`, 'many');
    expect(cluster.kubectl.exec('many', ['cat', '/etc/resolv.conf'])).toBe('nameserver 1.1.1.1\nnameserver 8.8.8.8\nnameserver 9.9.9.9\n');
    const events = cluster.kubectl.get('events').toString();
    expect(events).toContain('DNSConfigForming');
    expect(events).toContain('Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 1.1.1.1 8.8.8.8 9.9.9.9');
  });
});
