import { describe, expect, it } from 'vitest';
import type { Status } from '../api/status';
import type { Node, ReplicaSet } from '../api/types';
import type { ApiRequest, ApiResponse } from '../api/request';
import { createCluster } from '../cluster/cluster';
import { Simulation } from '../sim/simulation';
import { Client } from './client';
import { COMBINED_PREFIX } from './event-correlator';
import type { CoreEvent } from './core-event';
import { eventName, EventRecorder, MAX_QUEUED_EVENTS, MAX_TRIES_PER_EVENT, referenceTo, RETRY_SLEEP_MS } from './event-recorder';

/** Stands in for the API server's events endpoint: stores Events in a map and answers 1 ms later, or fails as told. */
class FakeEventsApi {
  readonly component = 'test-controller';
  readonly requests: ApiRequest[] = [];
  readonly stored = new Map<string, CoreEvent>();
  /** 'ok', a status code to answer with, or 'silent' (the request is lost). */
  mode: 'ok' | 'silent' | number = 'ok';
  private revision = 0;

  constructor(private readonly sim: Simulation) {}

  isClosed(): boolean {
    return false;
  }

  request(req: ApiRequest, onResponse: (res: ApiResponse) => void): void {
    this.requests.push(structuredClone(req));
    if (this.mode === 'silent') return;
    const res = typeof this.mode === 'number' ? { code: this.mode, body: failure(this.mode, 'etcdserver: request timed out') } : this.serve(req);
    this.sim.after(1, () => onResponse(res));
  }

  private serve(req: ApiRequest): ApiResponse {
    const name = req.verb === 'patch' ? req.name! : (req.body as CoreEvent).metadata.name;
    const stored = this.stored.get(name);
    if (req.verb === 'create' && stored) return { code: 409, body: failure(409, `events "${name}" already exists`) };
    if (req.verb === 'patch' && !stored) return { code: 404, body: failure(404, `events "${name}" not found`) };
    const event = structuredClone(req.verb === 'patch' ? { ...stored!, ...(req.body as Partial<CoreEvent>) } : (req.body as CoreEvent));
    event.metadata.resourceVersion = String(++this.revision);
    this.stored.set(event.metadata.name, event);
    return { code: req.verb === 'create' ? 201 : 200, body: event };
  }

  get events(): CoreEvent[] {
    return [...this.stored.values()];
  }
}

function failure(code: number, message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
}

const rs: ReplicaSet = {
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { namespace: 'default', name: 'web', uid: 'uid-web', resourceVersion: '7' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [] } } },
};

function setUp() {
  const sim = new Simulation({ seed: 1 });
  const api = new FakeEventsApi(sim);
  const recorder = new EventRecorder(sim, api as unknown as Client, { component: 'replicaset-controller' });
  return { sim, api, recorder };
}

describe('EventRecorder (client-go record.EventRecorder)', () => {
  it('creates a core/v1 Event named <object>.<Unix nanoseconds in hex> in the object namespace', () => {
    const { sim, api, recorder } = setUp();
    sim.runFor(90_000);
    recorder.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-x7k2p');
    sim.runFor(100);
    expect(api.events).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: eventName('web', 90_000, 0), namespace: 'default', resourceVersion: '1' },
        involvedObject: { kind: 'ReplicaSet', namespace: 'default', name: 'web', uid: 'uid-web', apiVersion: 'apps/v1', resourceVersion: '7' },
        reason: 'SuccessfulCreate',
        message: 'Created pod: web-x7k2p',
        type: 'Normal',
        source: { component: 'replicaset-controller' },
        firstTimestamp: '2025-01-01T00:01:30Z',
        lastTimestamp: '2025-01-01T00:01:30Z',
        count: 1,
        reportingComponent: 'replicaset-controller',
        reportingInstance: '',
      },
    ]);
    expect(eventName('web', 0, 0)).toBe('web.1816687ec0570000');
  });

  it('puts events about cluster-scoped objects in the default namespace, and names the host of a per-node source', () => {
    const sim = new Simulation({ seed: 1 });
    const api = new FakeEventsApi(sim);
    const kubelet = new EventRecorder(sim, api as unknown as Client, { component: 'kubelet', host: 'node-1' });
    const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'node-1' }, spec: {} };
    kubelet.event(node, 'Normal', 'Starting', 'Starting kubelet.');
    sim.runFor(100);
    expect(api.events[0]).toMatchObject({ metadata: { namespace: 'default' }, source: { component: 'kubelet', host: 'node-1' }, reportingInstance: 'node-1' });
    expect(api.events[0].involvedObject).toEqual({ kind: 'Node', name: 'node-1', uid: 'node-1', apiVersion: 'v1' });
  });

  it('drops an event, with a note in the trace, once 1,000 wait in its queue (client-go maxQueuedEvents, DropIfChannelFull)', () => {
    const { sim, recorder } = setUp();
    for (let i = 0; i <= MAX_QUEUED_EVENTS; i++) recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: web-${i}`);
    const drops = sim.trace.all().filter((e) => e.kind === 'error' && e.summary.includes('event queue full'));
    expect(MAX_QUEUED_EVENTS).toBe(1000);
    expect(drops.map((e) => e.summary)).toEqual(['replicaset-controller: event queue full (1000); dropped Normal SuccessfulCreate for replicaset/web']);
  });

  it('returns at once: the Event is written later, from the event queue', () => {
    const { sim, api, recorder } = setUp();
    recorder.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-a');
    expect(api.requests).toHaveLength(0);
    sim.runFor(10);
    expect(api.requests.map((r) => r.verb)).toEqual(['create']);
  });

  it('the same event twice is one Event with count 2 and a later lastTimestamp', () => {
    const { sim, api, recorder } = setUp();
    recorder.event(rs, 'Warning', 'FailedCreate', 'Error creating: pods "web-a" is forbidden');
    sim.runFor(5000);
    recorder.event(rs, 'Warning', 'FailedCreate', 'Error creating: pods "web-a" is forbidden');
    sim.runFor(100);
    expect(api.requests.map((r) => r.verb)).toEqual(['create', 'patch']);
    expect(api.requests[1]).toMatchObject({
      name: eventName('web', 0, 0),
      patchType: 'application/strategic-merge-patch+json',
      body: { count: 2, lastTimestamp: '2025-01-01T00:00:05Z', message: 'Error creating: pods "web-a" is forbidden' },
    });
    expect(api.events).toHaveLength(1);
    expect(api.events[0]).toMatchObject({ count: 2, firstTimestamp: '2025-01-01T00:00:00Z', lastTimestamp: '2025-01-01T00:00:05Z' });
  });

  it('the same event at the same instant as another still gets a name of its own', () => {
    const { sim, api, recorder } = setUp();
    recorder.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-a');
    recorder.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-b');
    sim.runFor(100);
    expect(api.events.map((e) => e.metadata.name)).toEqual([eventName('web', 0, 0), eventName('web', 0, 1)]);
  });

  it('from the 10th similar event (same reason, another message) in 10 minutes on, writes one combined Event', () => {
    const { sim, api, recorder } = setUp();
    for (let i = 1; i <= 12; i++) {
      recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: web-${i}`);
      sim.runFor(1000);
    }
    const messages = api.events.map((e) => e.message);
    expect(messages.slice(0, 9)).toEqual(Array.from({ length: 9 }, (_, i) => `Created pod: web-${i + 1}`));
    expect(api.events).toHaveLength(10);
    expect(api.events[9]).toMatchObject({ message: `${COMBINED_PREFIX}Created pod: web-12`, count: 3 });
  });

  it('similar events more than 10 minutes apart are not combined', () => {
    const { sim, api, recorder } = setUp();
    for (let i = 1; i <= 12; i++) {
      recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: web-${i}`);
      sim.runFor(601_000);
    }
    expect(api.events.filter((e) => e.message.startsWith(COMBINED_PREFIX))).toHaveLength(0);
  });

  it('lets a source burst 25 events about one object, then one more every 5 minutes', () => {
    const { sim, api, recorder } = setUp();
    for (let i = 1; i <= 30; i++) recorder.event(rs, 'Normal', `Reason${i}`, 'something happened');
    sim.runFor(1000);
    expect(api.events.map((e) => e.reason)).toEqual(Array.from({ length: 25 }, (_, i) => `Reason${i + 1}`));
    sim.runFor(300_000);
    recorder.event(rs, 'Normal', 'Reason31', 'something happened');
    recorder.event(rs, 'Normal', 'Reason32', 'something happened');
    sim.runFor(1000);
    expect(api.events.map((e) => e.reason).slice(25)).toEqual(['Reason31']);
  });

  it('a write the API server rejects is dropped and noted in the trace; later events still get written', () => {
    const { sim, api, recorder } = setUp();
    api.mode = 500;
    recorder.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-a');
    sim.runFor(100);
    api.mode = 'ok';
    recorder.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-b');
    sim.runFor(100);
    expect(api.requests).toHaveLength(2);
    expect(api.events.map((e) => e.message)).toEqual(['Created pod: web-b']);
    const notes = sim.trace.all().filter((e) => e.kind === 'error').map((e) => e.summary);
    expect(notes).toEqual([
      'replicaset-controller: Server rejected event Normal SuccessfulCreate replicaset/web (will not retry!): etcdserver: request timed out',
    ]);
  });

  it('retries an unanswered write 10 s apart, 12 tries in all, then drops it; the queue moves on', () => {
    const { sim, api, recorder } = setUp();
    api.mode = 'silent';
    recorder.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-a');
    recorder.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-b');
    sim.runFor(30 * 60_000);
    const firstEventTries = api.requests.filter((r) => (r.body as CoreEvent).message === 'Created pod: web-a');
    expect(firstEventTries).toHaveLength(MAX_TRIES_PER_EVENT);
    expect(sim.trace.all().some((e) => e.summary.includes('Normal SuccessfulCreate replicaset/web (retry limit exceeded!)'))).toBe(true);
    expect(api.requests.length).toBe(2 * MAX_TRIES_PER_EVENT);
    expect(RETRY_SLEEP_MS).toBe(10_000);
  });

  it('writes the event once the API server answers again', () => {
    const { sim, api, recorder } = setUp();
    api.mode = 'silent';
    recorder.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-a');
    sim.runFor(60_000);
    expect(api.events).toHaveLength(0);
    api.mode = 'ok';
    sim.runFor(60_000);
    expect(api.events.map((e) => e.message)).toEqual(['Created pod: web-a']);
  });

  it('creates an Event again when a repeat finds it gone (expired after its TTL)', () => {
    const { sim, api, recorder } = setUp();
    recorder.event(rs, 'Normal', 'SuccessfulDelete', 'Deleted pod: web-a');
    sim.runFor(100);
    api.stored.clear();
    recorder.event(rs, 'Normal', 'SuccessfulDelete', 'Deleted pod: web-a');
    sim.runFor(100);
    expect(api.requests.map((r) => r.verb)).toEqual(['create', 'patch', 'create']);
    expect(api.events).toHaveLength(1);
    expect(api.events[0].count).toBe(2);
  });

  it('refers to a part of an object with a fieldPath', () => {
    expect(referenceTo({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name: 'web-a', uid: 'u1' } }, 'spec.containers{web}')).toEqual({
      kind: 'Pod',
      namespace: 'default',
      name: 'web-a',
      uid: 'u1',
      apiVersion: 'v1',
      fieldPath: 'spec.containers{web}',
    });
  });

  it('against the API server: a repeat is a strategic merge patch, and one Event counts both', () => {
    const cluster = createCluster({ seed: 1 });
    const credentials = { clientCertificate: { commonName: 'system:kube-controller-manager', organizations: [] } };
    const client = new Client('test-controller', cluster.net, cluster.apiServer, { credentials });
    const recorder = new EventRecorder(cluster.sim, client, { component: 'test-controller' });
    recorder.event(rs, 'Warning', 'FailedCreate', 'Error creating: quota exceeded');
    cluster.runFor(2000);
    recorder.event(rs, 'Warning', 'FailedCreate', 'Error creating: quota exceeded');
    cluster.runFor(2000);
    const stored = cluster.kubectl.getObjects<CoreEvent>('events').filter((e) => e.reason === 'FailedCreate');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ count: 2, involvedObject: { name: 'web' } });
    expect(stored[0].lastTimestamp > stored[0].firstTimestamp).toBe(true);
    expect(cluster.trace.all().some((e) => e.actor === 'test-controller' && e.summary.startsWith('patch events default/web.'))).toBe(true);
  });
});
