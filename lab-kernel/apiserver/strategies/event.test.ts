import { describe, expect, it } from 'vitest';
import { startApiServer as setup } from '../api-server.fixture';
import { EVENT_TTL_SECONDS } from './event';

describe('Events expire (T03.9)', () => {
  it('an Event is stored under a lease of --event-ttl (1 h): etcd deletes it by itself after that', () => {
    const { call, store, sim } = setup();
    const event = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1' }, involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, reason: 'Test', message: 'hello', type: 'Normal' };
    expect(call({ verb: 'create', resource: 'events', namespace: 'default', body: event }).code).toBe(201);
    expect(store.get('/registry/events/default/web.1')?.lease).toBeGreaterThan(0);
    sim.runFor(EVENT_TTL_SECONDS * 1000 - 1000);
    expect(store.get('/registry/events/default/web.1')).toBeDefined();
    sim.runFor(2000);
    expect(store.get('/registry/events/default/web.1')).toBeUndefined();
  });
});
