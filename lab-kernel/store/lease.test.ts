import { describe, expect, it } from 'vitest';
import { Simulation } from '../sim/simulation';
import { Lessor } from './lessor';
import { MvccStore, type StoreEvent } from './mvcc-store';
import { StoreError } from './store-errors';

describe('MvccStore leases: etcd Lease API', () => {
  it.each<[number, number]>([
    [10, 10],
    [2, 2],
    [1, 2],
    [0, 2],
  ])('grants a lease asked for %i s with TTL %i s (never below the minimum TTL, 2 s as in etcd by default)', (asked, granted) => {
    expect(new MvccStore().leaseGrant(asked, 0).ttl).toBe(granted);
  });

  it('refuses a TTL above etcd’s maximum: etcdserver: too large lease TTL', () => {
    expect(() => new MvccStore().leaseGrant(9_000_000_001, 0)).toThrow(new StoreError('lease-ttl-too-large', 'etcdserver: too large lease TTL'));
  });

  it('chooses ids from a counter when asked for id 0, skipping ids already taken', () => {
    const s = new MvccStore();
    expect(s.leaseGrant(10, 0, 2).id).toBe(2);
    expect([s.leaseGrant(10, 0).id, s.leaseGrant(10, 0).id]).toEqual([1, 3]);
    expect(s.leases()).toEqual([1, 2, 3]);
  });

  it('refuses an id already in use: etcdserver: lease already exists', () => {
    const s = new MvccStore();
    s.leaseGrant(10, 0, 7);
    expect(() => s.leaseGrant(10, 0, 7)).toThrow(new StoreError('lease-exists', 'etcdserver: lease already exists'));
  });

  it('attaches keys put with the lease; timeToLive reports seconds left (rounded down), the granted TTL and the keys', () => {
    const s = new MvccStore();
    const { id } = s.leaseGrant(10, 1_000);
    s.put('/b', '', { lease: id });
    s.put('/a', '', { lease: id });
    expect(s.get('/a')?.lease).toBe(id);
    expect(s.leaseTimeToLive(id, 4_500)).toEqual({ id, ttl: 6, grantedTtl: 10, keys: ['/a', '/b'] });
  });

  it('answers timeToLive of an unknown lease with TTL -1, as etcd does', () => {
    expect(new MvccStore().leaseTimeToLive(42, 0)).toEqual({ id: 42, ttl: -1, grantedTtl: 0, keys: [] });
  });

  it('fails a transaction that puts with an unknown lease: etcdserver: requested lease not found (nothing is written)', () => {
    const s = new MvccStore();
    expect(() => s.txn([], [{ type: 'put', key: '/a', value: '' }, { type: 'put', key: '/b', value: '', lease: 42 }])).toThrow(
      new StoreError('lease-not-found', 'etcdserver: requested lease not found'),
    );
    expect(s.revision).toBe(1);
    expect(s.get('/a')).toBeUndefined();
  });

  it('revokes a lease by deleting all its keys in ONE transaction: one revision, DELETE events, one watch call', () => {
    const s = new MvccStore();
    const { id } = s.leaseGrant(10, 0);
    s.put('/l/b', '', { lease: id });
    s.put('/l/a', '', { lease: id });
    s.put('/l/other', '');
    const batches: Array<[number, string[]]> = [];
    s.watch('/l/', { prefix: true }, (events: StoreEvent[], rev) => batches.push([rev, events.map((e) => `${e.type} ${e.kv.key}`)]));
    expect(s.leaseRevoke(id)).toEqual({ id, keys: ['/l/a', '/l/b'], revision: 5 });
    expect(batches).toEqual([[5, ['DELETE /l/a', 'DELETE /l/b']]]);
    expect(s.range('/l/', { prefix: true }).kvs.map((kv) => kv.key)).toEqual(['/l/other']);
    expect(s.leases()).toEqual([]);
    expect(() => s.leaseRevoke(id)).toThrow('etcdserver: requested lease not found');
  });

  it('revokes a lease with no keys without a new revision', () => {
    const s = new MvccStore();
    const { id } = s.leaseGrant(10, 0);
    expect(s.leaseRevoke(id)).toEqual({ id, keys: [], revision: 1 });
  });

  it('unties a key from its lease when it is put without the lease, or deleted, or put with another lease', () => {
    const s = new MvccStore();
    const one = s.leaseGrant(10, 0).id;
    const two = s.leaseGrant(10, 0).id;
    for (const k of ['/plain', '/deleted', '/moved', '/kept']) s.put(k, '', { lease: one });
    s.put('/plain', '');
    s.delete('/deleted');
    s.put('/moved', '', { lease: two });
    expect(s.get('/plain')?.lease).toBeUndefined();
    expect(s.leaseTimeToLive(one, 0).keys).toEqual(['/kept']);
    expect(s.leaseTimeToLive(two, 0).keys).toEqual(['/moved']);
    s.leaseRevoke(one);
    expect(s.range('/', { prefix: true }).kvs.map((kv) => kv.key)).toEqual(['/moved', '/plain']);
  });

  it('keeps a lease alive for a full TTL from each keep-alive; fails once it has expired', () => {
    const s = new MvccStore();
    const { id } = s.leaseGrant(10, 0);
    expect(s.leaseKeepAlive(id, 6_000)).toBe(10);
    expect(s.expireLeases(10_000)).toEqual([]);
    expect(() => s.leaseKeepAlive(id, 16_000)).toThrow(new StoreError('lease-not-found', 'etcdserver: requested lease not found'));
  });

  it('expires exactly the leases whose time is up, each in its own transaction, soonest first', () => {
    const s = new MvccStore();
    const long = s.leaseGrant(30, 0).id;
    const short = s.leaseGrant(5, 0).id;
    const medium = s.leaseGrant(10, 0).id;
    s.put('/short', '', { lease: short });
    s.put('/medium', '', { lease: medium });
    s.put('/long', '', { lease: long });
    expect(s.nextLeaseExpiry()).toBe(5_000);
    expect(s.expireLeases(4_999)).toEqual([]);
    expect(s.expireLeases(10_000)).toEqual([
      { id: short, keys: ['/short'], revision: 5 },
      { id: medium, keys: ['/medium'], revision: 6 },
    ]);
    expect(s.range('/', { prefix: true }).kvs.map((kv) => kv.key)).toEqual(['/long']);
    expect(s.nextLeaseExpiry()).toBe(30_000);
  });
});

describe('Lessor: leases on the simulation clock', () => {
  function setup() {
    const sim = new Simulation({ seed: 1 });
    const store = new MvccStore();
    return { sim, store, lessor: new Lessor(sim, store) };
  }

  it('deletes a lease’s keys exactly at its deadline, and traces it', () => {
    const { sim, store, lessor } = setup();
    const { id } = lessor.grant(10);
    store.put('/registry/events/default/web.1', '{}', { lease: id });
    sim.runFor(9_999);
    expect(store.get('/registry/events/default/web.1')).toBeDefined();
    sim.runFor(1);
    expect(store.get('/registry/events/default/web.1')).toBeUndefined();
    expect(lessor.timeToLive(id).ttl).toBe(-1);
    const expired = sim.trace.all().filter((e) => e.actor === 'etcd');
    expect(expired.map((e) => `${e.time} ${e.summary}`)).toEqual([`10000 lease ${id} expired; deleted /registry/events/default/web.1 at revision 3`]);
  });

  it('moves the deadline with each keep-alive', () => {
    const { sim, store, lessor } = setup();
    const { id } = lessor.grant(10);
    store.put('/k', '', { lease: id });
    sim.runFor(6_000);
    lessor.keepAlive(id);
    sim.runFor(9_000);
    expect(lessor.timeToLive(id)).toMatchObject({ ttl: 1, keys: ['/k'] });
    sim.runFor(1_000);
    expect(store.get('/k')).toBeUndefined();
  });

  it('keeps up with several leases, revoked or not', () => {
    const { sim, store, lessor } = setup();
    const a = lessor.grant(5).id;
    const b = lessor.grant(3).id;
    const c = lessor.grant(8).id;
    for (const [key, id] of [['/a', a], ['/b', b], ['/c', c]] as const) store.put(key, '', { lease: id });
    lessor.revoke(b);
    sim.runFor(5_000);
    expect(store.range('/', { prefix: true }).kvs.map((kv) => kv.key)).toEqual(['/c']);
    sim.runFor(3_000);
    expect(store.range('/', { prefix: true }).kvs).toEqual([]);
    expect(store.leases()).toEqual([]);
  });
});
