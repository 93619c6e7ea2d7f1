import { describe, expect, it } from 'vitest';
import { startApiServer as setup } from '../api-server.fixture';
import { EVENT_TTL_SECONDS } from './event';

describe('Events expire (T03.9)', () => {
  const event = (name: string) => ({ apiVersion: 'v1', kind: 'Event', metadata: { name }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, reason: 'Test', message: 'hello', type: 'Normal' });

  it('an Event is stored under a lease of --event-ttl (1 h) plus the 60 s reuse window: etcd deletes it by itself 1 h to 1 h 01 min after', () => {
    const { call, store, sim } = setup();
    expect(call({ verb: 'create', resource: 'events', namespace: 'default', body: event('web.1') }).code).toBe(201);
    expect(store.get('/registry/events/default/web.1')?.lease).toBeGreaterThan(0);
    sim.runFor(EVENT_TTL_SECONDS * 1000);
    expect(store.get('/registry/events/default/web.1'), 'an hour is the least it lives').toBeDefined();
    sim.runFor(61_000);
    expect(store.get('/registry/events/default/web.1')).toBeUndefined();
  });

  it('Events written within a minute share one lease; one written later gets a new lease (kube-apiserver\'s lease manager)', () => {
    const { call, store, sim } = setup();
    const leaseOf = (name: string) => store.get(`/registry/events/default/${name}`)?.lease;
    call({ verb: 'create', resource: 'events', namespace: 'default', body: event('a') });
    sim.runFor(30_000);
    call({ verb: 'create', resource: 'events', namespace: 'default', body: event('b') });
    sim.runFor(31_000);
    call({ verb: 'create', resource: 'events', namespace: 'default', body: event('c') });
    expect(leaseOf('b')).toBe(leaseOf('a'));
    expect(leaseOf('c')).not.toBe(leaseOf('a'));
  });
});

describe('Events by field selector', () => {
  it('lists the Events of one object by involvedObject fields, as kubectl describe asks for them', () => {
    const { call } = setup();
    const event = (name: string, about: string) => ({ apiVersion: 'v1', kind: 'Event', metadata: { name }, involvedObject: { kind: 'Pod', name: about, namespace: 'default', uid: `uid-${about}` }, reason: 'Test', type: 'Normal' });
    call({ verb: 'create', resource: 'events', namespace: 'default', body: event('a.1', 'web') });
    call({ verb: 'create', resource: 'events', namespace: 'default', body: event('b.1', 'db') });
    const res = call({ verb: 'list', resource: 'events', namespace: 'default', fieldSelector: 'involvedObject.name=web,involvedObject.namespace=default,involvedObject.uid=uid-web' });
    expect((res.body as { items: { metadata: { name: string } }[] }).items.map((e) => e.metadata.name)).toEqual(['a.1']);
  });
});
