import { describe, expect, it } from 'vitest';
import type { Status } from '../api/status';
import type { Pod } from '../api/types';
import { Simulation } from '../sim/simulation';
import type { Client } from './client';
import { Informer, type DeleteState } from './informer';
import { FakeClient } from './fake-client.fixture';
import type { RelistDiff } from './relist-contract';
import { REFERENCE_RELIST_DIFF } from './reference-reflector.fixture';

function pod(name: string, resourceVersion: string, nodeName?: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name, resourceVersion }, spec: { containers: [], nodeName } };
}

function failure(code: number, message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
}

function setUp(options: { resyncPeriodMs?: number } = {}, relistDiff?: RelistDiff) {
  const sim = new Simulation({ seed: 1 });
  const client = new FakeClient(undefined, relistDiff);
  const informer = new Informer<Pod>(sim, client as unknown as Client, { resource: 'pods' }, options);
  const seen: string[] = [];
  informer.addEventHandler({
    onAdd: (p) => seen.push(`add ${p.metadata.name}`),
    onUpdate: (o, n) => seen.push(`update ${n.metadata.name} ${o.metadata.resourceVersion}->${n.metadata.resourceVersion}`),
    onDelete: (p, state: DeleteState) => seen.push(`delete ${p.metadata.name} (${state})`),
  });
  informer.start();
  return { sim, client, informer, seen };
}

describe('Informer (client-go reflector and shared informer)', () => {
  it('lists, then watches from the list resourceVersion, keeping the last resourceVersion seen', () => {
    const { client, informer, seen } = setUp();
    client.answerList('10', [pod('a', '3'), pod('b', '7')]);
    expect(informer.hasSynced()).toBe(true);
    expect(client.lastWatch.req.resourceVersion).toBe('10');
    client.lastWatch.send({ type: 'MODIFIED', object: pod('a', '11') });
    client.lastWatch.send({ type: 'DELETED', object: pod('b', '12') });
    expect(seen).toEqual(['add a', 'add b', 'update a 3->11', 'delete b (observed)']);
    expect(informer.lastSyncResourceVersion()).toBe('12');
  });

  it('relists after a watch error (410 Expired), after the backoff, and watches from the new list', () => {
    const { sim, client, informer } = setUp();
    client.answerList('10', [pod('a', '3')]);
    client.lastWatch.fail(failure(410, 'too old resource version: 10 (20)'));
    expect(client.watches[0].open).toBe(false);
    const relist = sim.trace.all().find((e) => e.kind === 'error')!;
    const delay = Number(/relisting in (\d+) ms/.exec(relist.summary)![1]);
    expect(delay).toBeGreaterThanOrEqual(800);
    expect(delay).toBeLessThan(1600);
    sim.runFor(delay - 1);
    expect(client.lists).toHaveLength(1);
    sim.runFor(1);
    expect(client.lists).toHaveLength(2);
    client.answerList('25', [pod('a', '3')]);
    expect(client.lastWatch.req.resourceVersion).toBe('25');
    expect(informer.lastSyncResourceVersion()).toBe('25');
  });

  it('treats any error Status the same way (500 Internal Error => relist)', () => {
    const { sim, client } = setUp();
    client.answerList('10', []);
    client.lastWatch.fail(failure(500, 'etcdserver: mvcc: required revision has been compacted'));
    sim.runFor(1600);
    expect(client.lists).toHaveLength(2);
  });

  it('after 429 Too Many Requests, watches again from the last resourceVersion seen, without relisting', () => {
    const { sim, client } = setUp();
    client.answerList('10', [pod('a', '3')]);
    client.lastWatch.send({ type: 'MODIFIED', object: pod('a', '14') });
    client.lastWatch.fail(failure(429, 'too many requests'));
    sim.runFor(1600);
    expect(client.lists).toHaveLength(1);
    expect(client.watches.map((w) => w.req.resourceVersion)).toEqual(['10', '14']);
  });

  it('retries a failed list with the reflector backoff', () => {
    const { sim, client } = setUp();
    client.lists[0]({ code: 500, body: failure(500, 'etcd unavailable') });
    expect(sim.trace.all().some((e) => /list pods failed: etcd unavailable; relisting in \d+ ms/.test(e.summary))).toBe(true);
    sim.runFor(1600);
    expect(client.lists).toHaveLength(2);
  });

  it('Replace delivers the difference: changed => update, new => add, vanished => delete (final state unknown), unchanged => nothing', () => {
    const { sim, client, informer, seen } = setUp();
    client.answerList('10', [pod('a', '3'), pod('b', '4'), pod('c', '5')]);
    seen.length = 0;
    client.lastWatch.fail(failure(410, 'too old resource version'));
    sim.runFor(1600);
    client.answerList('30', [pod('a', '3'), pod('b', '9'), pod('d', '8')]);
    expect(seen).toEqual(['update b 4->9', 'add d', 'delete c (final-state-unknown)']);
    expect(informer.lister.list().map((p) => p.metadata.name)).toEqual(['a', 'b', 'd']);
  });

  /** Lists a, b, c; breaks the watch with a 410; relists with a, b changed, d new. Each handler call also notes the cache as it was then. */
  function relistWith(relistDiff: RelistDiff) {
    const set = setUp({}, relistDiff);
    const cached = () => set.informer.lister.list().map((p) => `${p.metadata.name}@${p.metadata.resourceVersion}`);
    const cacheWhenTold: string[][] = [];
    set.informer.addEventHandler({ onAdd: () => cacheWhenTold.push(cached()), onUpdate: () => cacheWhenTold.push(cached()), onDelete: () => cacheWhenTold.push(cached()) });
    set.client.answerList('10', [pod('a', '3'), pod('b', '4'), pod('c', '5')]);
    set.seen.length = 0;
    cacheWhenTold.length = 0;
    set.client.lastWatch.fail(failure(410, 'too old resource version'));
    set.sim.runFor(1600);
    set.client.answerList('30', [pod('a', '3'), pod('b', '9'), pod('d', '8')]);
    return { ...set, cached, cacheWhenTold };
  }

  it("tells the handlers in the relist diff's order, changing the cache one notification at a time", () => {
    const reversed: RelistDiff = (input) => REFERENCE_RELIST_DIFF(input).reverse();
    const { seen, cached, cacheWhenTold } = relistWith(reversed);
    expect(seen).toEqual(['delete c (final-state-unknown)', 'add d', 'update b 4->9']);
    expect(cacheWhenTold).toEqual([
      ['a@3', 'b@4'],
      ['a@3', 'b@4', 'd@8'],
      ['a@3', 'b@9', 'd@8'],
    ]);
    expect(cached()).toEqual(['a@3', 'b@9', 'd@8']);
  });

  it('keeps out of the cache a change the relist diff leaves out: a deletion it misses leaves a ghost', () => {
    const noDeletes: RelistDiff = (input) => REFERENCE_RELIST_DIFF(input).filter((n) => n.kind !== 'delete');
    const { seen, cached } = relistWith(noDeletes);
    expect(seen).toEqual(['update b 4->9', 'add d']);
    expect(cached()).toEqual(['a@3', 'b@9', 'c@5', 'd@8']);
  });

  it('refuses a relist diff that does not fit the two pictures: the cache stays, the reflector starts over after a backoff', () => {
    const addsOnly: RelistDiff = (input) => input.listed.map((o) => ({ kind: 'add' as const, key: `${o.metadata.namespace}/${o.metadata.name}` }));
    const { sim, client, seen, cached } = relistWith(addsOnly);
    expect(seen).toEqual([]);
    expect(cached()).toEqual(['a@3', 'b@4', 'c@5']);
    const said = sim.trace.all().find((e) => e.kind === 'error' && e.summary.includes('the store failed'));
    expect(said?.summary).toMatch(/reflector pods: the store failed on 'listed': the relist diff said 'add default\/a', but default\/a is both cached and listed: an update, or nothing; starting over in \d+ ms/);
    const lists = client.listRequests.length;
    sim.runFor(5_000);
    expect(client.listRequests.length, 'it lists again after the backoff').toBeGreaterThan(lists);
  });

  it('refuses a relist diff that tells one key twice', () => {
    const twice: RelistDiff = (input) => [...REFERENCE_RELIST_DIFF(input), ...(input.cached.length > 0 ? [{ kind: 'update' as const, key: 'default/b' }] : [])];
    const { seen, cached } = relistWith(twice);
    expect(seen).toEqual([]);
    expect(cached()).toEqual(['a@3', 'b@4', 'c@5']);
  });

  it('resync redelivers every cached object as onUpdate(obj, obj), each period, while watching', () => {
    const { sim, client, seen } = setUp({ resyncPeriodMs: 30_000 });
    client.answerList('10', [pod('a', '3'), pod('b', '4')]);
    seen.length = 0;
    sim.runFor(29_999);
    expect(seen).toEqual([]);
    sim.runFor(1);
    expect(seen).toEqual(['update a 3->3', 'update b 4->4']);
    sim.runFor(30_000);
    expect(seen).toHaveLength(4);
  });

  it('does not resync by default', () => {
    const { sim, client, seen } = setUp();
    client.answerList('10', [pod('a', '3')]);
    sim.runFor(600_000);
    expect(seen).toEqual(['add a']);
  });

  it('indexes pods by node (a custom index function) and lists by namespace through the built-in index', () => {
    const sim = new Simulation({ seed: 1 });
    const client = new FakeClient();
    const informer = new Informer<Pod>(sim, client as unknown as Client, { resource: 'pods' }, {
      indexers: { byNode: (p) => (p.spec.nodeName ? [p.spec.nodeName] : []) },
    });
    informer.start();
    client.answerList('10', [pod('a', '3', 'node-1'), pod('b', '4', 'node-2'), pod('c', '5')]);
    client.lastWatch.send({ type: 'MODIFIED', object: pod('c', '11', 'node-1') });
    expect(informer.indexer.byIndex('byNode', 'node-1').map((p) => p.metadata.name)).toEqual(['a', 'c']);
    expect(informer.lister.list('default').map((p) => p.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(informer.lister.list('kube-system')).toEqual([]);
  });
});
