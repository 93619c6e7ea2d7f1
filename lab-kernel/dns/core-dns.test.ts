import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../api/types';
import { SharedInformerFactory } from '../client/shared-informer-factory';
import { createCluster, type Cluster } from '../cluster/cluster';
import { MY_STORAGE_CLASS, WEB_STATEFULSET } from '../controllers/statefulset/web-statefulset.fixture';
import { CoreDns, type CoreDnsOptions } from './core-dns';
import type { QueryType } from './message';

const WEB_SERVICE = `apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80 }]
`;

/** A cluster with a CoreDNS fed by its own informers, synced. */
function clusterWithDns(options: CoreDnsOptions = {}, workers = 1): { cluster: Cluster; dns: CoreDns } {
  const cluster = createCluster({ seed: 1, workers });
  const informers = new SharedInformerFactory(cluster.sim, cluster.client('coredns'));
  const dns = new CoreDns(cluster.sim, informers, options);
  informers.start();
  expect(cluster.runUntil(() => dns.hasSynced(), 10_000)).toBe(true);
  return { cluster, dns };
}
let id = 0;
const ask = (dns: CoreDns, name: string, type: QueryType = 'A') => dns.answer({ id: ++id, name, type });
const clusterIPOf = (cluster: Cluster, name: string) => cluster.kubectl.getObjects<Service>('services', name)[0]?.spec.clusterIP;

describe('the cluster DNS server (CoreDNS with kubeadm 1.32\'s Corefile)', () => {
  it("answers a Service's name with its ClusterIP once its informer has the Service, and NXDOMAIN once it has seen it deleted", () => {
    const { cluster, dns } = clusterWithDns();
    cluster.apply(WEB_SERVICE);
    expect(cluster.runUntil(() => ask(dns, 'web.default.svc.cluster.local').rcode === 'NOERROR', 5_000)).toBe(true);
    expect(ask(dns, 'web.default.svc.cluster.local').answers.map((rr) => `${rr.ttl} ${rr.data}`)).toEqual([`30 ${clusterIPOf(cluster, 'web')}`]);
    cluster.kubectl.delete('service', 'web');
    expect(cluster.runUntil(() => dns.services.lister.get('default/web') === undefined, 5_000)).toBe(true);
    expect(ask(dns, 'web.default.svc.cluster.local').rcode).toBe('NXDOMAIN');
    expect(dns.log.every((e) => e.from === 'kubernetes')).toBe(true);
  });

  it("under the older plain `cache 30`, keeps answering a deleted Service's address until the cached answer's 30 s are up", () => {
    const { cluster, dns } = clusterWithDns({ cache: { disable: [] } });
    cluster.apply(WEB_SERVICE);
    expect(cluster.runUntil(() => dns.services.lister.get('default/web') !== undefined, 5_000)).toBe(true);
    expect(ask(dns, 'web.default.svc.cluster.local').rcode).toBe('NOERROR');
    const cachedAt = cluster.now();
    cluster.kubectl.delete('service', 'web');
    expect(cluster.runUntil(() => dns.services.lister.get('default/web') === undefined, 5_000)).toBe(true);
    const stale = ask(dns, 'web.default.svc.cluster.local');
    expect({ rcode: stale.rcode, from: dns.log[dns.log.length - 1].from }).toEqual({ rcode: 'NOERROR', from: 'cache' });
    expect(stale.answers[0].ttl).toBe(30 - Math.floor((cluster.now() - cachedAt) / 1000));
    cluster.runFor(cachedAt + 30_000 - cluster.now());
    expect(ask(dns, 'web.default.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });

  it("under the older plain `cache 30`, keeps answering NXDOMAIN for a name asked before its Service existed, for the SOA's 30 s", () => {
    const { cluster, dns } = clusterWithDns({ cache: { disable: [] } });
    expect(ask(dns, 'web.default.svc.cluster.local').rcode).toBe('NXDOMAIN');
    const askedAt = cluster.now();
    cluster.apply(WEB_SERVICE);
    expect(cluster.runUntil(() => dns.services.lister.get('default/web') !== undefined, 5_000)).toBe(true);
    expect(ask(dns, 'web.default.svc.cluster.local').rcode).toBe('NXDOMAIN');
    cluster.runFor(askedAt + 30_000 - cluster.now());
    expect(ask(dns, 'web.default.svc.cluster.local').rcode).toBe('NOERROR');
  });

  it("answers the docs' StatefulSet pods by name (web-0.nginx.default.svc.cluster.local) and the headless Service with their addresses", () => {
    const { cluster, dns } = clusterWithDns({}, 2);
    cluster.apply(MY_STORAGE_CLASS);
    cluster.apply(WEB_STATEFULSET);
    const ipOf = (name: string) => cluster.kubectl.getObjects<Pod>('pods', name)[0]?.status?.podIP;
    expect(cluster.runUntil(() => ask(dns, 'nginx.default.svc.cluster.local').answers.length === 3, 180_000)).toBe(true);
    for (const name of ['web-0', 'web-1', 'web-2']) expect(ask(dns, `${name}.nginx.default.svc.cluster.local`).answers.map((rr) => rr.data), name).toEqual([ipOf(name)]);
    expect(ask(dns, 'nginx.default.svc.cluster.local').answers.map((rr) => rr.data).sort()).toEqual(['web-0', 'web-1', 'web-2'].map(ipOf).sort());
    expect(ask(dns, '_web._tcp.nginx.default.svc.cluster.local', 'SRV').answers.map((rr) => rr.data).sort()).toEqual([
      '0 33 80 web-0.nginx.default.svc.cluster.local',
      '0 33 80 web-1.nginx.default.svc.cluster.local',
      '0 33 80 web-2.nginx.default.svc.cluster.local',
    ]);
    const orders = new Set(Array.from({ length: 10 }, () => ask(dns, 'nginx.default.svc.cluster.local').answers.map((rr) => rr.data).join(' ')));
    expect(orders.size).toBeGreaterThan(1);
  });

  it('forwards a name outside the cluster and answers it from its cache for 30 s', () => {
    const { cluster, dns } = clusterWithDns();
    expect(ask(dns, 'example.com')).toMatchObject({ rcode: 'NOERROR', authoritative: false, answers: [{ data: '93.184.215.14', ttl: 300 }] });
    cluster.runFor(10_000);
    expect(ask(dns, 'example.com').answers[0].ttl).toBe(20);
    expect(ask(dns, 'nope.example.com').rcode).toBe('NXDOMAIN');
    expect(dns.log.map((e) => e.from)).toEqual(['forward', 'cache', 'forward']);
  });

  it('answers SERVFAIL for a missing name before its informers have listed, and FORMERR for a label over 63 characters', () => {
    const cluster = createCluster({ seed: 1, workers: 1 });
    const dns = new CoreDns(cluster.sim, new SharedInformerFactory(cluster.sim, cluster.client('coredns')));
    expect(ask(dns, 'kubernetes.default.svc.cluster.local').rcode).toBe('SERVFAIL');
    expect(ask(dns, `${'a'.repeat(64)}.default.svc.cluster.local`)).toMatchObject({ rcode: 'FORMERR', answers: [] });
  });
});
