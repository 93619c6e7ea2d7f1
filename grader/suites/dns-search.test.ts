/**
 * Grader suite for exercise `dns-search` (exercises/dns/dns-search.ts).
 *
 * Part by part through the search: the names and their order, on the Kubernetes docs' cases
 * ("DNS for Services and Pods": a pod in namespace default searches
 * default.svc.cluster.local, svc.cluster.local, cluster.local, then its node's domains, with
 * ndots:5) and resolv.conf(5)'s ndots; then when glibc's res_nsearch stops and which error it
 * leaves; then lookups from a pod of a running cluster against its DNS server, through your
 * search.
 */
import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../../lab-kernel/api/types';
import { SharedInformerFactory } from '../../lab-kernel/client/shared-informer-factory';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import { MY_STORAGE_CLASS, WEB_STATEFULSET } from '../../lab-kernel/controllers/statefulset/web-statefulset.fixture';
import { CoreDns } from '../../lab-kernel/dns/core-dns';
import { FOUND, NODATA, NXDOMAIN, POD_SEARCH, queriesOf, REFUSED, runSearch, SERVFAIL, TIMEOUT } from '../../lab-kernel/dns/dns-search.fixture';
import { lookup } from '../../lab-kernel/dns/lookup';
import { podResolvConf } from '../../lab-kernel/dns/resolv-conf';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const search = slotUnderTest('dns-search');
const under = (name: string) => POD_SEARCH.map((d) => `${name}.${d}`);
const run = (name: string, replies: Parameters<typeof runSearch>[2], ndots = 5) => runSearch(search, { name, search: POD_SEARCH, ndots }, replies);

describe('Part 1: which names, in which order', () => {
  it('does `web` from a pod in namespace default try web.default.svc.cluster.local first, then the rest of the search list, then web?', () => {
    expect(queriesOf(search, 'web')).toEqual([...under('web'), 'web']);
  });

  it('does `web.other` (1 dot, fewer than ndots 5) go through the whole search list before web.other itself?', () => {
    expect(queriesOf(search, 'web.other')).toEqual([...under('web.other'), 'web.other']);
  });

  it('does `www.example.com` (2 dots) cost 4 queries under the search list before www.example.com itself?', () => {
    expect(queriesOf(search, 'www.example.com')).toEqual([...under('www.example.com'), 'www.example.com']);
  });

  it('is `www.example.com.` (a trailing dot) asked for once, as www.example.com, and never searched?', () => {
    expect(queriesOf(search, 'www.example.com.')).toEqual(['www.example.com']);
    expect(queriesOf(search, 'web.default.svc.cluster.local.')).toEqual(['web.default.svc.cluster.local']);
  });

  it('with ndots 1, is `web.other` tried as it is first, then under the search list, and `web` (no dot) still searched first?', () => {
    expect(queriesOf(search, 'web.other', POD_SEARCH, 1)).toEqual(['web.other', ...under('web.other')]);
    expect(queriesOf(search, 'web', POD_SEARCH, 1)).toEqual([...under('web'), 'web']);
  });

  it('does a name with exactly ndots dots count as having enough (a.b.c.d.e with ndots 4 is tried as it is first)?', () => {
    expect(queriesOf(search, 'a.b.c.d.e', POD_SEARCH, 4)[0]).toBe('a.b.c.d.e');
    expect(queriesOf(search, 'web.default.svc.cluster.local', POD_SEARCH, 4)[0]).toBe('web.default.svc.cluster.local');
  });

  it('are dots counted, not labels (a.b.c.d has 3 dots: with ndots 4 it goes through the search list first)?', () => {
    expect(queriesOf(search, 'a.b.c.d', POD_SEARCH, 4)).toEqual([...under('a.b.c.d'), 'a.b.c.d']);
    expect(queriesOf(search, 'web.default.svc.cluster.local')[0]).toBe('web.default.svc.cluster.local.default.svc.cluster.local');
  });

  it('with no search list is the name asked for as it is, and with ndots 0 first whatever it is?', () => {
    expect(queriesOf(search, 'web', [])).toEqual(['web']);
    expect(queriesOf(search, 'web', ['svc.cluster.local'], 0)).toEqual(['web', 'web.svc.cluster.local']);
  });
});

describe('Part 2: when the search stops, and the error it leaves', () => {
  it('does it stop at the first answer (web.svc.cluster.local) without asking the rest?', () => {
    expect(run('web', { 'web.svc.cluster.local': FOUND })).toEqual({ queried: under('web').slice(0, 2), outcome: { action: 'answer', name: 'web.svc.cluster.local' } });
  });

  it('does an answer to the name as it is, tried first (enough dots), end the lookup at once?', () => {
    expect(run('a.b.c.d.e.f', { 'a.b.c.d.e.f': FOUND })).toEqual({ queried: ['a.b.c.d.e.f'], outcome: { action: 'answer', name: 'a.b.c.d.e.f' } });
  });

  it('does NODATA (NOERROR without answers) move on to the next domain, and is NO_DATA the error when nothing answers?', () => {
    const r = run('web', { 'web.default.svc.cluster.local': NODATA, 'web.lab.internal': FOUND });
    expect(r.outcome).toEqual({ action: 'answer', name: 'web.lab.internal' });
    expect(run('web', { 'web.cluster.local': NODATA }).outcome).toEqual({ action: 'fail', herrno: 'NO_DATA' });
  });

  it('does SERVFAIL move on too, leaving TRY_AGAIN when nothing answers, but NO_DATA when some domain gave NODATA?', () => {
    const r = run('web', { 'web.default.svc.cluster.local': SERVFAIL });
    expect(r.queried).toEqual([...under('web'), 'web']);
    expect(r.outcome).toEqual({ action: 'fail', herrno: 'TRY_AGAIN' });
    expect(run('web', { 'web.default.svc.cluster.local': SERVFAIL, 'web.lab.internal': NODATA }).outcome).toEqual({ action: 'fail', herrno: 'NO_DATA' });
  });

  it('does a timeout end the search domains, while the name as it is still gets its query (and may answer)?', () => {
    expect(run('web', { 'web.svc.cluster.local': TIMEOUT, web: FOUND })).toEqual({ queried: [...under('web').slice(0, 2), 'web'], outcome: { action: 'answer', name: 'web' } });
    expect(run('web', { 'web.default.svc.cluster.local': REFUSED }).queried).toEqual(['web.default.svc.cluster.local', 'web']);
  });

  it('after a failed first try as it is, does it still search, and is that first try\'s error the one reported?', () => {
    const r = run('a.b.c.d.e.f', { 'a.b.c.d.e.f': TIMEOUT, 'a.b.c.d.e.f.svc.cluster.local': NODATA });
    expect(r.queried).toEqual(['a.b.c.d.e.f', ...under('a.b.c.d.e.f')]);
    expect(r.outcome).toEqual({ action: 'fail', herrno: 'TRY_AGAIN' });
    expect(run('a.b.c.d.e.f', { 'a.b.c.d.e.f.lab.internal': FOUND }).outcome).toEqual({ action: 'answer', name: 'a.b.c.d.e.f.lab.internal' });
  });

  it('is an absolute name\'s one failure final (NXDOMAIN => HOST_NOT_FOUND, SERVFAIL => TRY_AGAIN)?', () => {
    expect(run('nope.example.com.', {})).toEqual({ queried: ['nope.example.com'], outcome: { action: 'fail', herrno: 'HOST_NOT_FOUND' } });
    expect(run('x.example.com.', { 'x.example.com': SERVFAIL }).outcome).toEqual({ action: 'fail', herrno: 'TRY_AGAIN' });
  });

  it('when every name is NXDOMAIN, is the error HOST_NOT_FOUND, after the as-is name was asked last?', () => {
    expect(run('nope', { nope: NXDOMAIN })).toEqual({ queried: [...under('nope'), 'nope'], outcome: { action: 'fail', herrno: 'HOST_NOT_FOUND' } });
  });
});

describe('Part 3: lookups from a pod, against the cluster\'s DNS server, through your search', () => {
  it('resolve web, web.other, web-0.nginx and example.com as a pod in default would, with exactly the queries the server saw', () => {
    const cluster = createCluster({ seed: SEED, workers: 2, use: { 'dns-search': SOURCE } });
    const informers = new SharedInformerFactory(cluster.sim, cluster.client('coredns'));
    const dns = new CoreDns(cluster.sim, informers);
    informers.start();
    cluster.apply('apiVersion: v1\nkind: Namespace\nmetadata: { name: other }\n');
    cluster.apply('apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec:\n  selector: { app: web }\n  ports: [{ name: http, port: 80 }]\n');
    cluster.apply('apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: other }\nspec:\n  selector: { app: web }\n  ports: [{ name: http, port: 80 }]\n');
    cluster.apply(MY_STORAGE_CLASS);
    cluster.apply(WEB_STATEFULSET);
    const pod = () => cluster.kubectl.getObjects<Pod>('pods', 'web-0')[0];
    const ready = () => dns.hasSynced() && dns.namespaces.lister.get('other') !== undefined && dns.data().slices.some((s) => s.endpoints.length > 0 && s.metadata.labels?.['kubernetes.io/service-name'] === 'nginx');
    expect(cluster.runUntil(() => ready() && pod()?.status?.podIP !== undefined, 120_000), 'the StatefulSet and the Services never showed up in the DNS').toBe(true);
    const conf = podResolvConf(pod()).conf;
    const send = (q: Parameters<CoreDns['answer']>[0]) => dns.answer(q);
    const resolve = (name: string) => {
      const before = dns.log.length;
      const r = lookup(name, conf, send, cluster.code['dns-search']);
      return { queried: r.exchanges.map((e) => e.query.name), serverSaw: dns.log.slice(before).map((e) => e.name), addresses: r.addresses, herrno: r.herrno };
    };
    const ipOf = (name: string, namespace: string) => cluster.kubectl.getObjects<Service>('services', name, { namespace })[0].spec.clusterIP;
    expect(resolve('web')).toEqual({ queried: ['web.default.svc.cluster.local'], serverSaw: ['web.default.svc.cluster.local'], addresses: [ipOf('web', 'default')], herrno: undefined });
    expect(resolve('web.other')).toMatchObject({ queried: ['web.other.default.svc.cluster.local', 'web.other.svc.cluster.local'], addresses: [ipOf('web', 'other')] });
    expect(resolve('web-0.nginx').addresses).toEqual([pod().status!.podIP]);
    const example = resolve('example.com');
    expect(example).toEqual({ queried: [...under('example.com'), 'example.com'], serverSaw: [...under('example.com'), 'example.com'], addresses: ['93.184.215.14'], herrno: undefined });
    expect(resolve('example.com.').queried).toEqual(['example.com']);
    expect(resolve('nope')).toMatchObject({ queried: [...under('nope'), 'nope'], addresses: [], herrno: 'HOST_NOT_FOUND' });
  });
});
