import { describe, expect, it } from 'vitest';
import type { Status } from '../../api/status';
import type { Pod, WatchEvent } from '../../api/types';
import { createInDefault as createPod, startApiServer as setup, testPod as pod } from '../api-server.fixture';

const fail = (status: Status) => {
  throw new Error(`watch failed: ${status.message}`);
};

describe('ApiServer: watch (T04.1)', () => {
  it('from an exact resourceVersion: every change after it, in order', () => {
    const { call, api, sim } = setup();
    const a = createPod(call, pod('a')).body as Pod;
    createPod(call, pod('b'));
    const seen: string[] = [];
    api.watch('test', { verb: 'watch', resource: 'pods', namespace: 'default', resourceVersion: a.metadata.resourceVersion }, (e: WatchEvent) => seen.push(`${e.type} ${e.object.metadata.name}`), fail);
    call({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'a' });
    expect(seen, 'changes reach watchers after the write is answered, not during it').toEqual([]);
    sim.runFor(0);
    expect(seen).toEqual(['ADDED b', 'DELETED a']);
  });

  it('without a resourceVersion: ADDED for what exists, then changes', () => {
    const { call, api, sim } = setup();
    createPod(call, pod('a'));
    const seen: string[] = [];
    api.watch('test', { verb: 'watch', resource: 'pods' }, (e) => seen.push(`${e.type} ${e.object.metadata.name}`), fail);
    createPod(call, pod('b'));
    sim.runFor(0);
    expect(seen).toEqual(['ADDED a', 'ADDED b']);
  });

  it('with a selector: an object that stops matching is DELETED for that watcher', () => {
    const { call, api, sim } = setup();
    const created = createPod(call, pod('a')).body as Pod;
    const seen: string[] = [];
    api.watch('test', { verb: 'watch', resource: 'pods', labelSelector: 'app=web' }, (e) => seen.push(`${e.type} ${e.object.metadata.name}`), fail);
    call({ verb: 'update', resource: 'pods', namespace: 'default', name: 'a', body: { ...created, metadata: { ...created.metadata, labels: { app: 'db' } } } });
    sim.runFor(0);
    expect(seen).toEqual(['ADDED a', 'DELETED a']);
  });
});
