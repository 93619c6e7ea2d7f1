import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../api/types';
import { untilServing } from './services.fixture';
import { createCluster, type Cluster } from './cluster';
import { dnsQuery, searchQueries, staleWindow } from './dns-view';

/** CoreDNS, the Service web over one nginx pod, and a busybox client on node-1. */
function dnsCluster(): Cluster {
  const cluster = createCluster({ seed: 1, addOns: ['coredns'] });
  cluster.apply(`apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec: { selector: { app: web }, ports: [{ name: http, port: 80, targetPort: 80 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: web-1, namespace: default, labels: { app: web } }
spec: { containers: [{ name: nginx, image: nginx:1.27 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: client, namespace: default }
spec: { nodeName: node-1, containers: [{ name: main, image: busybox:1.36, command: [sleep, '3600'] }] }
`);
  untilServing(cluster, 2);
  return cluster;
}

const clusterIP = (cluster: Cluster) => cluster.kubectl.getObjects<Service>('services', 'web')[0].spec.clusterIP!;

describe('dns-view: DNS queries from a pod as packets, and the queries a lookup makes', () => {
  it("sends a query over UDP to kube-dns and returns CoreDNS's answer with the exchange's trace: DNAT to a coredns pod and back", () => {
    const cluster = dnsCluster();
    const q = dnsQuery(cluster, 'client', 'web.default.svc.cluster.local.');
    expect(q.query.name).toBe('web.default.svc.cluster.local');
    expect(q.response?.answers.map((rr) => rr.data)).toEqual([clusterIP(cluster)]);
    expect(q.dig).toContain(`web.default.svc.cluster.local.\t30\tIN\tA\t${clusterIP(cluster)}`);
    const corednsIPs = cluster.kubectl.getObjects<Pod>('pods', undefined, { namespace: 'kube-system' }).filter((p) => p.metadata.name!.startsWith('coredns-')).map((p) => p.status!.podIP!);
    const dnat = q.trace.hops.find((h) => h.kind === 'rewrite' && h.nat === 'DNAT');
    expect(dnat).toBeDefined();
    expect(corednsIPs.some((ip) => dnat!.kind === 'rewrite' && dnat!.after.includes(`${ip}:53`))).toBe(true);
  });

  it('answers an SRV query for a named port with the port and the Service name as target', () => {
    const cluster = dnsCluster();
    const q = dnsQuery(cluster, 'client', '_http._tcp.web.default.svc.cluster.local', 'SRV');
    expect(q.response?.answers.map((rr) => rr.data)).toEqual(['0 100 80 web.default.svc.cluster.local']);
  });

  it('reports no reply when no DNS server runs: the query is lost', () => {
    const cluster = createCluster({ seed: 1 });
    expect(dnsQuery(cluster, 'node-1', 'kubernetes.default.svc.cluster.local').response).toBeUndefined();
  });

  it("lists a lookup's queries under ndots:5: a short name answered by the first search domain, a dotted one tried with every domain before as is, an absolute one once", () => {
    const cluster = dnsCluster();
    const rows = searchQueries(cluster, 'client', ['web', 'example.com', 'web.default.svc.cluster.local.']);
    expect(rows.map((r) => [r.lookup, r.query, r.reply])).toEqual([
      ['web', 'web.default.svc.cluster.local', 'NOERROR, 1 answer'],
      ['example.com', 'example.com.default.svc.cluster.local', 'NXDOMAIN'],
      ['', 'example.com.svc.cluster.local', 'NXDOMAIN'],
      ['', 'example.com.cluster.local', 'NXDOMAIN'],
      ['', 'example.com.lab.internal', 'NXDOMAIN'],
      ['', 'example.com', 'NOERROR, 1 answer'],
      ['web.default.svc.cluster.local.', 'web.default.svc.cluster.local', 'NOERROR, 1 answer'],
    ]);
    expect(rows[0].result).toBe(`A ${clusterIP(cluster)}`);
    expect(rows[5].result).toBe('A 93.184.215.14');
  });

  it("asks for a deleted Service's name until CoreDNS's informer has seen the deletion: the old address first, NXDOMAIN at the end", () => {
    const cluster = dnsCluster();
    const ip = clusterIP(cluster);
    const rows = staleWindow(cluster, 'client', 'web');
    expect(rows[0]).toMatchObject({ 'query sent (ms)': '0.0', rcode: 'NOERROR', answer: ip, 'delete answered': 'no' });
    expect(rows[rows.length - 1]).toMatchObject({ rcode: 'NXDOMAIN', answer: '' });
    expect(rows.slice(0, -1).every((r) => r.rcode === 'NOERROR')).toBe(true);
    expect(cluster.kubectl.getObjects<Service>('services').some((s) => s.metadata.name === 'web')).toBe(false);
  });
});
