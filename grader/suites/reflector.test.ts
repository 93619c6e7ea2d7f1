/**
 * Grader suite for exercise `reflector` (exercises/reflector/reflector.ts).
 *
 * The pure step function on table cases taken from client-go's reflector (list from "0", watch
 * from the list's resourceVersion, bookmarks, 410 => relist from the last resourceVersion, a
 * list's 410 => a consistent list, 429 => rewatch, resync); then an informer
 * on a whole simulated cluster, running the learner's step function, cut off by a network
 * partition while a pod is deleted.
 */
import { describe, expect, it } from 'vitest';
import type { Status } from '../../lab-kernel/api/status';
import type { KubeObject, Pod, WatchEvent } from '../../lab-kernel/api/types';
import { API_SERVER } from '../../lab-kernel/apiserver/api-server';
import { Client } from '../../lab-kernel/client/client';
import { Informer } from '../../lab-kernel/client/informer';
import { INITIAL_REFLECTOR_STATE, type ReflectorInput, type ReflectorState, type ReflectorStepResult } from '../../lab-kernel/client/reflector-contract';
import { createCluster, KUBECTL, type Cluster } from '../../lab-kernel/cluster/cluster';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const reflectorStep = slotUnderTest('reflector');

function pod(name: string, resourceVersion: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'default', name, resourceVersion }, spec: { containers: [] } };
}

function failure(code: number, reason: Status['reason'], message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

const EXPIRED = failure(410, 'Expired', 'too old resource version: 40 (52)');
const TOO_MANY = failure(429, 'TooManyRequests', 'Too many requests, please try again later.');
const INTERNAL = failure(500, 'InternalError', 'Internal error occurred: etcdserver: request timed out');

/** Feeds the inputs one after the other from the initial state; the last result. */
function afterInputs(...inputs: ReflectorInput[]): ReflectorStepResult {
  let result: ReflectorStepResult = { state: INITIAL_REFLECTOR_STATE, actions: [] };
  for (const input of inputs) result = reflectorStep(result.state, input);
  return result;
}

const START: ReflectorInput = { kind: 'start' };
const LISTED_40: ReflectorInput = { kind: 'listed', items: [pod('a', '12'), pod('b', '31')], resourceVersion: '40' };
const event = (e: WatchEvent): ReflectorInput => ({ kind: 'watch-event', event: e });
const bookmark = (rv: string) => event({ type: 'BOOKMARK', object: { apiVersion: 'v1', kind: 'Pod', metadata: { resourceVersion: rv } } });
const watchFailed = (status: Status): ReflectorInput => ({ kind: 'watch-failed', status });
const WATCHING: ReflectorState = { phase: 'watching', lastSyncResourceVersion: '40', lastSyncResourceVersionUnavailable: false };
const LIST_EXPIRED = failure(410, 'Expired', 'The resourceVersion for the provided list is too old.');
const TOO_LARGE: Status = {
  ...failure(504, 'Timeout', 'Timeout: Too large resource version: 90, current: 57'),
  details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version', field: '' }], retryAfterSeconds: 1 },
};

describe('Parts 1-2: list, then watch from the list', () => {
  it('lists first, from resourceVersion "0" (the watch cache answers) (start => phase listing, [list from "0"])', () => {
    expect(afterInputs(START)).toEqual({ state: { phase: 'listing', lastSyncResourceVersion: '', lastSyncResourceVersionUnavailable: false }, actions: [{ kind: 'list', resourceVersion: '0' }] });
  });

  it("replaces the store with the list, then watches from the list's resourceVersion, with bookmarks", () => {
    const r = afterInputs(START, LISTED_40);
    expect(r.actions, 'first replace with the listed items, then a watch from rv 40').toEqual([
      { kind: 'replace', items: [pod('a', '12'), pod('b', '31')] },
      { kind: 'watch', resourceVersion: '40', allowWatchBookmarks: true },
    ]);
    expect(r.state).toEqual(WATCHING);
  });

  it('backs off then relists when the list fails', () => {
    const r = afterInputs(START, { kind: 'list-failed', status: INTERNAL });
    expect(r.actions, 'no watch is open to close: only the backoff').toEqual([{ kind: 'backoff', then: 'relist' }]);
    expect(r.state.phase).toBe('waiting-to-relist');
    expect(reflectorStep(r.state, { kind: 'backoff-over' }).actions, 'when the backoff is over: list again, still from "0"').toEqual([{ kind: 'list', resourceVersion: '0' }]);
  });

  it.each<[string, Status]>([
    ['410 Expired', LIST_EXPIRED],
    ['504 Too large resource version', TOO_LARGE],
  ])('after a list fails %s, lists again at once with "" (a consistent read), and keeps "" until a list succeeds', (_what, status) => {
    const watched = afterInputs(START, LISTED_40, watchFailed(EXPIRED), { kind: 'backoff-over' });
    expect(watched.actions, 'the relist after the watch ended asks for rv 40').toEqual([{ kind: 'list', resourceVersion: '40' }]);
    const r = reflectorStep(watched.state, { kind: 'list-failed', status });
    expect(r.actions, 'no backoff: the consistent list goes out at once').toEqual([{ kind: 'list', resourceVersion: '' }]);
    expect(r.state).toEqual({ phase: 'listing', lastSyncResourceVersion: '40', lastSyncResourceVersionUnavailable: true });
    const again = reflectorStep(r.state, { kind: 'list-failed', status: INTERNAL });
    expect(reflectorStep(again.state, { kind: 'backoff-over' }).actions, 'still "" after a further failure').toEqual([{ kind: 'list', resourceVersion: '' }]);
    const listed = reflectorStep(reflectorStep(again.state, { kind: 'backoff-over' }).state, { kind: 'listed', items: [], resourceVersion: '61' });
    expect(listed.state, 'a list that worked makes the resourceVersion available again').toEqual({ phase: 'watching', lastSyncResourceVersion: '61', lastSyncResourceVersionUnavailable: false });
  });
});

describe('Part 3: watch events and bookmarks', () => {
  it.each<[string, WatchEvent]>([
    ['ADDED', { type: 'ADDED', object: pod('c', '41') }],
    ['MODIFIED', { type: 'MODIFIED', object: pod('a', '41') }],
    ['DELETED', { type: 'DELETED', object: pod('b', '41') }],
  ])('applies a %s event to the store and moves lastSyncResourceVersion to its resourceVersion', (_type, e) => {
    const r = reflectorStep(WATCHING, event(e));
    expect(r.actions).toEqual([{ kind: 'apply', event: e }]);
    expect(r.state).toEqual({ phase: 'watching', lastSyncResourceVersion: '41', lastSyncResourceVersionUnavailable: false });
  });

  it('moves lastSyncResourceVersion on a BOOKMARK but applies nothing to the store', () => {
    const r = reflectorStep(WATCHING, bookmark('60'));
    expect(r.actions, 'a bookmark carries no object to store').toEqual([]);
    expect(r.state.lastSyncResourceVersion, 'a bookmark says: you have seen everything up to 60').toBe('60');
  });
});

describe('Part 4: when the watch ends', () => {
  it.each<[string, Status]>([
    ['410 Expired (the events are gone)', EXPIRED],
    ['500 Internal Error', INTERNAL],
  ])('closes the watch, backs off, then relists after %s', (_what, status) => {
    const r = reflectorStep(WATCHING, watchFailed(status));
    expect(r.actions).toEqual([{ kind: 'close-watch' }, { kind: 'backoff', then: 'relist' }]);
    expect(r.state.phase).toBe('waiting-to-relist');
    expect(reflectorStep(r.state, { kind: 'backoff-over' }).actions, 'from the last resourceVersion synced, not "0" nor ""').toEqual([{ kind: 'list', resourceVersion: '40' }]);
  });

  it('after 429 Too Many Requests, backs off then watches again from the last resourceVersion, without relisting', () => {
    const moved = afterInputs(START, LISTED_40, event({ type: 'MODIFIED', object: pod('a', '44') }));
    const r = reflectorStep(moved.state, watchFailed(TOO_MANY));
    expect(r.actions).toEqual([{ kind: 'close-watch' }, { kind: 'backoff', then: 'rewatch' }]);
    expect(r.state).toEqual({ phase: 'waiting-to-rewatch', lastSyncResourceVersion: '44', lastSyncResourceVersionUnavailable: false });
    expect(reflectorStep(r.state, { kind: 'backoff-over' }).actions, 'the watch resumes at rv 44, the last event seen').toEqual([
      { kind: 'watch', resourceVersion: '44', allowWatchBookmarks: true },
    ]);
  });

  it('after a watch that could not connect (503 from the client), backs off then watches again from the last resourceVersion', () => {
    const moved = afterInputs(START, LISTED_40, event({ type: 'MODIFIED', object: pod('a', '45') }));
    const r = reflectorStep(moved.state, watchFailed(failure(503, 'ServiceUnavailable', 'the connection to kube-apiserver was lost: the request or its answer did not arrive')));
    expect(r.actions).toEqual([{ kind: 'close-watch' }, { kind: 'backoff', then: 'rewatch' }]);
    expect(r.state).toEqual({ phase: 'waiting-to-rewatch', lastSyncResourceVersion: '45', lastSyncResourceVersionUnavailable: false });
  });

  it('after a watch timeout, watches again at once from the last resourceVersion (a bookmark counts)', () => {
    const seen = afterInputs(START, LISTED_40, bookmark('57'));
    const r = reflectorStep(seen.state, { kind: 'watch-timed-out' });
    expect(r.actions).toEqual([{ kind: 'close-watch' }, { kind: 'watch', resourceVersion: '57', allowWatchBookmarks: true }]);
    expect(r.state.phase).toBe('watching');
  });

  it('relists from scratch after a 410: the new list and its resourceVersion replace the old', () => {
    const r = afterInputs(START, LISTED_40, watchFailed(EXPIRED), { kind: 'backoff-over' }, { kind: 'listed', items: [pod('a', '55')], resourceVersion: '58' });
    expect(r.actions).toEqual([
      { kind: 'replace', items: [pod('a', '55')] },
      { kind: 'watch', resourceVersion: '58', allowWatchBookmarks: true },
    ]);
    expect(r.state).toEqual({ phase: 'watching', lastSyncResourceVersion: '58', lastSyncResourceVersionUnavailable: false });
  });
});

describe('Part 5: resync and late inputs', () => {
  it('resyncs while watching', () => {
    expect(reflectorStep(WATCHING, { kind: 'resync-due' })).toEqual({ state: WATCHING, actions: [{ kind: 'resync' }] });
  });

  it('does not resync while listing or backing off', () => {
    expect(afterInputs(START, { kind: 'resync-due' }).actions, 'while listing').toEqual([]);
    expect(afterInputs(START, LISTED_40, watchFailed(EXPIRED), { kind: 'resync-due' }).actions, 'while backing off').toEqual([]);
  });

  it('ignores an input that does not belong to the phase (a late event while backing off, a list answer while watching)', () => {
    const waiting = afterInputs(START, LISTED_40, watchFailed(EXPIRED)).state;
    expect(reflectorStep(waiting, event({ type: 'MODIFIED', object: pod('a', '77') })), 'a late watch event while waiting to relist').toEqual({ state: waiting, actions: [] });
    expect(reflectorStep(WATCHING, LISTED_40), 'a list answer while watching').toEqual({ state: WATCHING, actions: [] });
  });
});

describe(`An informer on a whole cluster, running your reflector (seed ${SEED})`, () => {
  const INFORMER = 'test-informer';
  const configMap = (name: string, version = 0) => `
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  version: "${version}"
`;

  /**
   * A cluster whose every informer runs the reflector under test, three ConfigMaps, and one more
   * informer on them, for the test to watch (as a member of system:masters: allowed everything).
   */
  function start() {
    const cluster = createCluster({ seed: SEED, use: { reflector: SOURCE } });
    for (const name of ['web-1', 'web-2', 'web-3']) cluster.apply(configMap(name));
    const credentials = { clientCertificate: { commonName: INFORMER, organizations: ['system:masters'] } };
    const client = new Client(INFORMER, cluster.net, cluster.apiServer, { credentials, reflectorStep, relistDiff: cluster.code.relist });
    const informer = new Informer<KubeObject>(cluster.sim, client, { resource: 'configmaps', namespace: 'default' });
    const heard: string[] = [];
    informer.addEventHandler({ onDelete: (cm, state) => heard.push(`delete ${cm.metadata.name} (${state})`) });
    informer.start();
    const synced = cluster.runUntil(() => informer.hasSynced(), 10_000);
    expect(synced, `the informer should have listed the ConfigMaps within 10 s${lastReflectorError(cluster)}`).toBe(true);
    /** name => resourceVersion, on the server and in the cache. */
    const onServer = () => versions(cluster.kubectl.getObjects('configmaps'));
    const cached = () => versions(informer.lister.list('default'));
    const inStep = () => JSON.stringify(cached()) === JSON.stringify(onServer());
    return { cluster, heard, onServer, cached, inStep };
  }

  function versions(objects: readonly KubeObject[]): [string, string][] {
    return objects.map((o): [string, string] => [o.metadata.name ?? '', o.metadata.resourceVersion ?? '']).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  }

  function lastReflectorError(cluster: Cluster): string {
    const e = [...cluster.trace.all()].reverse().find((x) => x.kind === 'error' && x.actor === INFORMER);
    return e === undefined ? '' : `; its reflector last said: ${e.summary}`;
  }

  it('keeps its cache equal to the server while the watch works', () => {
    const { cluster, onServer, cached, inStep } = start();
    cluster.kubectl.delete('configmaps', 'web-3');
    cluster.apply(configMap('web-1', 1));
    cluster.runUntil(inStep, 30_000);
    expect(cached(), `the cache should match the server (name, resourceVersion)${lastReflectorError(cluster)}`).toEqual(onServer());
  });

  it('misses a deletion during a network partition, then relists after healing and ends with exactly the server’s objects', () => {
    const { cluster, heard, onServer, cached, inStep } = start();
    cluster.net.partition([[INFORMER], [API_SERVER, KUBECTL]]);
    cluster.kubectl.delete('configmaps', 'web-2');
    // 150 more changes, one a second: the API server's watch cache (100 events, 75 s) forgets the deletion.
    for (let i = 1; i <= 150; i++) {
      cluster.apply(configMap('web-1', i));
      cluster.runFor(1_000);
    }
    expect(cached().map(([name]) => name), 'cut off, the informer cannot have heard of the deletion').toContain('web-2');
    cluster.net.heal();
    // Within its 5..10 min timeout the watch is replaced; from the old resourceVersion that is 410 Expired => relist.
    cluster.runUntil(inStep, 11 * 60_000);
    expect(cached(), `after healing, the cache should be exactly the server's objects${lastReflectorError(cluster)}`).toEqual(onServer());
    expect(heard, 'the deletion was only found by the relist: its final state is unknown').toEqual(['delete web-2 (final-state-unknown)']);
    const relisted = cluster.trace.all().some((e) => e.kind === 'error' && e.actor === INFORMER && /410 .*relisting in \d+ ms/.test(e.summary));
    expect(relisted, 'the reflector should have relisted after a 410 Expired').toBe(true);
  });
});
