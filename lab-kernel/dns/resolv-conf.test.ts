import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { KUBELET_DNS, ndotsOf, parseResolvConf, podResolvConf, renderResolvConf } from './resolv-conf';

const pod = (spec: Partial<Pod['spec']> = {}, namespace = 'default'): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'client', namespace, uid: 'u1' },
  spec: { containers: [{ name: 'app', image: 'busybox:1.36' }], ...spec },
});

describe("a pod's resolv.conf, as the kubelet forms it", () => {
  it("ClusterFirst: the cluster DNS, the namespace's search list then the node's, ndots:5, written search-nameserver-options", () => {
    const { conf, events } = podResolvConf(pod({ dnsPolicy: 'ClusterFirst' }, 'shop'));
    expect(renderResolvConf(conf)).toBe('search shop.svc.cluster.local svc.cluster.local cluster.local lab.internal\nnameserver 10.96.0.10\noptions ndots:5\n');
    expect(events).toEqual([]);
  });

  it("falls back to the node's resolv.conf for ClusterFirst on the host network, and not for ClusterFirstWithHostNet", () => {
    expect(podResolvConf(pod({ dnsPolicy: 'ClusterFirst', hostNetwork: true })).conf).toEqual({ nameservers: ['192.168.1.1'], searches: ['lab.internal'], options: [] });
    expect(podResolvConf(pod({ dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true })).conf.nameservers).toEqual(['10.96.0.10']);
    expect(podResolvConf(pod({ dnsPolicy: 'Default' })).conf.nameservers).toEqual(['192.168.1.1']);
  });

  it("None: only the pod's dnsConfig; any policy: dnsConfig appended, duplicates dropped, options merged by name", () => {
    const none = podResolvConf(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.2.3.4'], searches: ['ns1.svc.cluster-domain.example', 'my.dns.search.suffix'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }));
    expect(renderResolvConf(none.conf)).toBe('search ns1.svc.cluster-domain.example my.dns.search.suffix\nnameserver 1.2.3.4\noptions ndots:2 edns0\n');
    const merged = podResolvConf(pod({ dnsConfig: { searches: ['svc.cluster.local', 'extra.example'], options: [{ name: 'ndots', value: '1' }] } })).conf;
    expect(merged.searches).toEqual(['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'lab.internal', 'extra.example']);
    expect(merged.options).toEqual(['ndots:1']);
  });

  it('keeps 32 search domains and 3 nameservers, with a DNSConfigForming Warning for each limit', () => {
    const searches = Array.from({ length: 40 }, (_, i) => `d${i}.example`);
    const { conf, events } = podResolvConf(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4'], searches } }));
    expect(conf.searches).toHaveLength(32);
    expect(conf.nameservers).toEqual(['1.1.1.1', '2.2.2.2', '3.3.3.3']);
    expect(events.map((e) => `${e.type} ${e.reason}: ${e.message}`)).toEqual([
      'Warning DNSConfigForming: Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 1.1.1.1 2.2.2.2 3.3.3.3',
      `Warning DNSConfigForming: Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.slice(0, 32).join(' ')}`,
    ]);
  });

  it('cuts the search line from its end to 2048 characters', () => {
    const searches = Array.from({ length: 10 }, (_, i) => `${String(i).repeat(63)}.${'x'.repeat(180)}`);
    const { conf, events } = podResolvConf(pod({ dnsPolicy: 'None', dnsConfig: { searches } }));
    expect(conf.searches.join(' ').length).toBeLessThanOrEqual(2048);
    expect(conf.searches).toEqual(searches.slice(0, 8));
    expect(events).toHaveLength(1);
  });

  it('records MissingClusterDNS and falls back to Default when the kubelet has no cluster DNS', () => {
    const { conf, events } = podResolvConf(pod(), { ...KUBELET_DNS, clusterDNS: [] });
    expect(conf.nameservers).toEqual(['192.168.1.1']);
    expect(events[0]).toMatchObject({ reason: 'MissingClusterDNS', message: 'pod: "client_default(u1)". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.' });
  });

  it('reads a resolv.conf back: nameservers accumulate, the last search and options lines win, trailing dots go', () => {
    expect(parseResolvConf('# x\nnameserver 1.1.1.1\nsearch a.\nsearch b. c\nnameserver 8.8.8.8\noptions ndots:2 rotate\n')).toEqual({ nameservers: ['1.1.1.1', '8.8.8.8'], searches: ['b', 'c'], options: ['ndots:2', 'rotate'] });
    expect([ndotsOf({ nameservers: [], searches: [], options: [] }), ndotsOf({ nameservers: [], searches: [], options: ['ndots:5'] }), ndotsOf({ nameservers: [], searches: [], options: ['ndots:30'] })]).toEqual([1, 5, 15]);
  });
});
