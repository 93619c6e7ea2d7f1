import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { untilServing } from './services.fixture';
import { createCluster, type Cluster, type ClusterOptions } from './cluster';
import { dnsQuery } from './dns-view';
import { serviceRequest, whoAnswered } from './service-view';

/** A cluster with CoreDNS, nginx behind the Service web, and a busybox client pod. */
function dnsCluster(options: ClusterOptions = {}): Cluster {
  const cluster = createCluster({ seed: 1, addOns: ['coredns'], ...options });
  cluster.apply(`apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 80 }]
---
apiVersion: v1
kind: Pod
metadata: { name: web-1, namespace: default, labels: { app: web } }
spec:
  nodeName: node-2
  containers: [{ name: nginx, image: nginx:1.27 }]
---
apiVersion: v1
kind: Pod
metadata: { name: client, namespace: default }
spec:
  nodeName: node-1
  containers: [{ name: main, image: busybox:1.36, command: [sleep, '3600'] }]
`);
  untilServing(cluster, 2);
  return cluster;
}

describe('cluster DNS as an add-on: CoreDNS pods behind kube-dns, reached over the pod network', () => {
  it("applies kubeadm's objects: two coredns pods Running in kube-system, and the Service kube-dns at 10.96.0.10 with ports 53/UDP, 53/TCP, 9153/TCP", () => {
    const cluster = createCluster({ seed: 1, addOns: ['coredns'] });
    const pods = cluster.kubectl.getObjects<Pod>('pods', undefined, { namespace: 'kube-system' }).filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns');
    expect(pods.map((p) => p.status?.phase)).toEqual(['Running', 'Running']);
    const svc = cluster.kubectl.get('services', undefined, { namespace: 'kube-system' }).toString();
    expect(svc).toMatch(/kube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP,9153\/TCP/);
  });

  it("serves CoreDNS's health plugin on :8080/health and its ready plugin on :8181/ready in each coredns pod, the probes' endpoints", () => {
    const cluster = dnsCluster();
    const ips = cluster.kubectl.getObjects<Pod>('pods', undefined, { namespace: 'kube-system' }).filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns').map((p) => p.status!.podIP!);
    expect(ips.map((ip) => cluster.kubectl.exec('client', ['wget', '-qO-', `http://${ip}:8080/health`]) + cluster.kubectl.exec('client', ['wget', '-qO-', `http://${ip}:8181/ready`]))).toEqual(['OK\nOK\n', 'OK\nOK\n']);
  });

  it("answers a pod's nslookup of a Service's short name through the search list: the first domain finds it", () => {
    const cluster = dnsCluster();
    const out = cluster.kubectl.exec('client', ['nslookup', 'web']);
    const clusterIP = cluster.kubectl.getObjects<{ spec: { clusterIP: string } } & Pod>('services').find((s) => s.metadata.name === 'web')!.spec.clusterIP;
    expect(out).toContain('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n');
    expect(out).toContain(`Name:\tweb.default.svc.cluster.local\nAddress: ${clusterIP}\n`);
    expect(out).toContain("** server can't find web.svc.cluster.local: NXDOMAIN");
  });

  it('lets wget reach a Service by its name: the lookup goes to kube-dns, then the GET to the ClusterIP', () => {
    const cluster = dnsCluster();
    expect(cluster.kubectl.exec('client', ['wget', '-qO-', 'http://web'])).toBe('<title>Welcome to nginx!</title>\n');
    expect(cluster.kubectl.exec('client', ['wget', '-qO-', 'http://web.default.svc.cluster.local/'])).toBe('<title>Welcome to nginx!</title>\n');
  });

  for (const podNetwork of ['host-gw', 'vxlan'] as const) {
    for (const proxyMode of ['iptables', 'ipvs', 'userspace'] as const) {
      it(`reaches a Service by name across nodes with a ${podNetwork} pod network and kube-proxy in ${proxyMode} mode, the name's query and the request hop by hop`, () => {
        const cluster = dnsCluster({ podNetwork, proxyMode });
        expect(cluster.kubectl.exec('client', ['wget', '-qO-', 'http://web'])).toBe('<title>Welcome to nginx!</title>\n');
        // The same two steps with their packet traces: the query to kube-dns, then the request to the address it gave.
        const lookup = dnsQuery(cluster, 'client', 'web.default.svc.cluster.local');
        expect(lookup.response?.rcode).toBe('NOERROR');
        expect(lookup.trace.hops.some((h) => h.kind === 'deliver' && h.to === 'udp listener :53')).toBe(true);
        const request = serviceRequest(cluster, 'client', lookup.response!.answers[0].data);
        expect(whoAnswered(cluster, request)?.pod).toBe('default/web-1');
        const places = new Set(request.trace.hops.map((h) => h.ns));
        expect(['node-1', 'node-2'].every((node) => places.has(node)), `the request's hops: ${[...places].join(', ')}`).toBe(true);
      });
    }
  }

  it("fails wget on a name no Service has, after asking each search domain and the name itself: busybox's bad address", () => {
    const cluster = dnsCluster();
    expect(cluster.kubectl.exec('client', ['wget', '-qO-', 'http://nope'])).toBe("wget: bad address 'nope'\ncommand terminated with exit code 1");
  });

  it('times a lookup out when no DNS add-on runs, as on a cluster before CoreDNS is applied', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(`apiVersion: v1
kind: Pod
metadata: { name: client, namespace: default }
spec:
  containers: [{ name: main, image: busybox:1.36, command: [sleep, '3600'] }]
`);
    cluster.runUntil(() => cluster.kubectl.getObjects<Pod>('pods').some((p) => p.status?.phase === 'Running'), 60_000);
    expect(cluster.kubectl.exec('client', ['nslookup', 'kubernetes'])).toBe(';; connection timed out; no servers could be reached\n\ncommand terminated with exit code 1');
  });
});

describe('agnhost netexec in a pod, asked over the pod network', () => {
  it("tells a pod on another node the pod's own address as the client: pod to pod needs no NAT", () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(`apiVersion: v1
kind: Pod
metadata: { name: echo, namespace: default }
spec:
  nodeName: node-2
  containers: [{ name: agnhost, image: registry.k8s.io/e2e-test-images/agnhost:2.52, args: [netexec, --http-port=8080] }]
---
apiVersion: v1
kind: Pod
metadata: { name: client, namespace: default }
spec:
  nodeName: node-1
  containers: [{ name: main, image: busybox:1.36, command: [sleep, '3600'] }]
`);
    const running = () => cluster.kubectl.getObjects<Pod>('pods').filter((p) => p.status?.phase === 'Running').length === 2;
    if (!cluster.runUntil(running, 60_000)) throw new Error('the pods did not start');
    const ip = (name: string) => cluster.kubectl.getObjects<Pod>('pods', name)[0].status!.podIP!;
    expect(cluster.kubectl.exec('client', ['wget', '-qO-', `http://${ip('echo')}:8080/hostname`])).toBe('echo\n');
    expect(cluster.kubectl.exec('client', ['wget', '-qO-', `http://${ip('echo')}:8080/clientip`])).toMatch(new RegExp(`^${ip('client').replace(/\./g, '\\.')}:\\d+\\n$`));
  });
});
