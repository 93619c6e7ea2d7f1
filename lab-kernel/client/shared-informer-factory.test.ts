import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { Simulation } from '../sim/simulation';
import type { Client } from './client';
import { FakeClient } from './fake-client.fixture';
import { SharedInformerFactory } from './shared-informer-factory';

function pod(name: string, resourceVersion: string, nodeName?: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name, resourceVersion }, spec: { containers: [], nodeName } };
}

function setUp() {
  const sim = new Simulation({ seed: 1 });
  const client = new FakeClient();
  const informers = new SharedInformerFactory(sim, client as unknown as Client);
  return { sim, client, informers };
}

describe('SharedInformerFactory (client-go informers shared across controllers)', () => {
  it('do two controllers that ask for pods share one cache, fed by one list and one watch?', () => {
    const { client, informers } = setUp();
    const heard: string[] = [];
    const forReplicaSets = informers.informerFor<Pod>('pods');
    const forGarbage = informers.informerFor<Pod>('pods', { byNode: (p) => (p.spec.nodeName ? [p.spec.nodeName] : []) });
    forReplicaSets.addEventHandler({ onAdd: (p) => heard.push(`replicaset-controller: add ${p.metadata.name}`) });
    forGarbage.addEventHandler({ onAdd: (p) => heard.push(`garbage-collector: add ${p.metadata.name}`) });
    informers.start();
    client.answerList('10', [pod('a', '3', 'node-1')]);
    expect(forGarbage).toBe(forReplicaSets);
    expect(client.listRequests).toHaveLength(1);
    expect(client.watches).toHaveLength(1);
    expect(heard).toEqual(['replicaset-controller: add a', 'garbage-collector: add a']);
    expect(forReplicaSets.indexer.byIndex('byNode', 'node-1').map((p) => p.metadata.name)).toEqual(['a']);
  });

  it('does an informer asked for after start list at once, and does a late handler still hear every cached pod?', () => {
    const { client, informers } = setUp();
    informers.informerFor('nodes');
    informers.start();
    expect(client.listRequests.map((r) => r.resource)).toEqual(['nodes']);
    const pods = informers.informerFor<Pod>('pods');
    expect(client.listRequests.map((r) => r.resource)).toEqual(['nodes', 'pods']);
    client.lists[1]({ code: 200, body: { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '10' }, items: [pod('a', '3'), pod('b', '4')] } });
    const late: string[] = [];
    pods.addEventHandler({ onAdd: (p) => late.push(p.metadata.name!) });
    expect(late).toEqual(['a', 'b']);
    expect(informers.resources()).toEqual(['nodes', 'pods']);
  });

  it('does starting twice list only once?', () => {
    const { client, informers } = setUp();
    informers.informerFor('pods');
    informers.start();
    informers.start();
    informers.informerFor('pods').start();
    expect(client.listRequests).toHaveLength(1);
  });

  it('refuses a second index of the same name on a shared cache', () => {
    const { informers } = setUp();
    const byNode = (p: Readonly<Pod>) => (p.spec.nodeName ? [p.spec.nodeName] : []);
    informers.informerFor<Pod>('pods', { byNode });
    expect(() => informers.informerFor<Pod>('pods', { byNode })).toThrow('index "byNode" already exists');
  });
});
