import { describe, expect, it } from 'vitest';
import type { Status } from '../api/status';
import type { KubeObject, Pod } from '../api/types';
import { Simulation } from '../sim/simulation';
import { loadSlot } from '../slots/slots';
import type { Client } from './client';
import { MIN_WATCH_TIMEOUT_MS, Reflector } from './reflector';
import type { ReflectorInput, ReflectorStep } from './reflector-contract';
import { FakeClient } from './fake-client.fixture';

function pod(name: string, resourceVersion: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name, resourceVersion }, spec: { containers: [] } };
}

const expired: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 10 (20)', reason: 'Expired', code: 410 };

function setUp(step?: ReflectorStep) {
  const sim = new Simulation({ seed: 1 });
  const client = new FakeClient(step);
  const store: string[] = [];
  const reflector = new Reflector<KubeObject>(sim, client as unknown as Client, { resource: 'pods' }, {
    replace: (items) => store.push(`replace ${items.map((i) => i.metadata.name).join(',')}`),
    apply: (event) => store.push(`${event.type} ${event.object.metadata.name}`),
    resync: () => store.push('resync'),
  });
  reflector.run();
  return { sim, client, reflector, store };
}

const reference = loadSlot('reflector', 'solution');

describe('Reflector runtime (client-go tools/cache/reflector.go, around a pure step function)', () => {
  it("runs the Client's reflectorStep when it has one, feeding it every answer as an input", () => {
    const inputs: string[] = [];
    const spy: ReflectorStep = (state, input: ReflectorInput) => {
      inputs.push(input.kind);
      return reference(state, input);
    };
    const { client, store } = setUp(spy);
    client.answerList('10', [pod('a', '3')]);
    client.lastWatch.send({ type: 'ADDED', object: pod('b', '11') });
    expect(inputs).toEqual(['start', 'listed', 'watch-event']);
    expect(store).toEqual(['replace a', 'ADDED b']);
  });

  it('ends each watch after its timeout (5..10 min) and watches again from the last resourceVersion, without relisting', () => {
    const { sim, client, reflector } = setUp();
    client.answerList('10', []);
    client.lastWatch.send({ type: 'BOOKMARK', object: { apiVersion: 'v1', kind: 'Pod', metadata: { resourceVersion: '37' } } });
    sim.runFor(MIN_WATCH_TIMEOUT_MS - 1);
    expect(client.watches).toHaveLength(1);
    sim.runFor(MIN_WATCH_TIMEOUT_MS);
    expect(client.watches).toHaveLength(2);
    expect(client.watches[0].open).toBe(false);
    expect(client.lastWatch.req.resourceVersion).toBe('37');
    expect(client.lists).toHaveLength(1);
    expect(reflector.lastSyncResourceVersion()).toBe('37');
  });

  it('lists from resourceVersion "0" first, from the last one synced after a watch\'s 410, and with "" (a consistent read) at once after a list\'s 410', () => {
    const { sim, client } = setUp();
    client.answerList('10', []);
    client.lastWatch.send({ type: 'ADDED', object: pod('b', '14') });
    client.lastWatch.fail(expired);
    sim.runFor(30_000);
    client.lists[client.lists.length - 1]({ code: 410, body: { ...expired, message: 'The resourceVersion for the provided list is too old.' } });
    expect(client.listRequests.map((r) => r.resourceVersion)).toEqual(['0', '14', undefined]);
  });

  it('ignores an error from a watch it has already closed', () => {
    const { sim, client } = setUp();
    client.answerList('10', []);
    const first = client.lastWatch;
    first.fail(expired);
    sim.runFor(1600);
    client.answerList('20', []);
    first.fail(expired);
    expect(client.watches[1].open).toBe(true);
    sim.runFor(60_000);
    expect(client.lists).toHaveLength(2);
  });

  it('survives a step function that throws: traces it, keeps the store, and starts over with a list after the backoff', () => {
    let broken = false;
    const flaky: ReflectorStep = (state, input) => {
      if (broken && input.kind === 'watch-event') throw new Error('boom');
      return reference(state, input);
    };
    const { sim, client, store } = setUp(flaky);
    client.answerList('10', [pod('a', '3')]);
    broken = true;
    client.lastWatch.send({ type: 'DELETED', object: pod('a', '12') });
    expect(store).toEqual(['replace a']);
    expect(client.lastWatch.open).toBe(false);
    const error = sim.trace.all().find((e) => e.kind === 'error')!;
    expect(error.summary).toMatch(/reflector pods: the step function failed on 'watch-event': boom; starting over in \d+ ms/);
    sim.runFor(1600);
    expect(client.lists).toHaveLength(2);
    client.answerList('12', []);
    expect(store).toEqual(['replace a', 'replace ']);
  });

  it('resyncs only while a watch is open, every period', () => {
    const sim = new Simulation({ seed: 1 });
    const client = new FakeClient();
    const store: string[] = [];
    new Reflector<KubeObject>(sim, client as unknown as Client, { resource: 'pods' }, { replace: () => undefined, apply: () => undefined, resync: () => store.push('resync') }, 10_000).run();
    sim.runFor(30_000);
    expect(store).toEqual([]);
    client.answerList('10', []);
    sim.runFor(30_000);
    expect(store).toEqual(['resync', 'resync', 'resync']);
    client.lastWatch.fail(expired);
    sim.runFor(1_000_000);
    expect(store).toHaveLength(3);
  });
});
