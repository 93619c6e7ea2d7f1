import { describe, expect, it } from 'vitest';
import type { ApiRequest, ApiResponse } from '../api/request';
import type { Pod, PodStatus } from '../api/types';
import { Simulation } from '../sim/simulation';
import { StatusManager, type StatusManagerOptions, type StatusWrites } from './status-manager';

/** A status manager whose API server is the test: each request waits until the test answers it. */
function harness() {
  const sent: { req: ApiRequest; answer: (res: ApiResponse) => void }[] = [];
  const client = { request: (req: ApiRequest, answer: (res: ApiResponse) => void) => sent.push({ req, answer }) };
  const options = { sim: new Simulation({ seed: 1 }), client, component: 'kubelet/node-1', node: 'node-1', isStatic: () => false } as unknown as StatusManagerOptions;
  return { manager: new StatusManager(options), sent };
}

const pod = (rv: number, status: PodStatus = { phase: 'Pending' }): Pod =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: String(rv) }, spec: { containers: [] }, status }) as Pod;
const running: PodStatus = { phase: 'Running' };
const ready: PodStatus = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
const bodyOf = (req: ApiRequest) => req.body as Pod;

describe('the kubelet status manager: one write at a time per pod, from the newest copy', () => {
  it('holds a status made while a write is on its way, then writes it from the pod that write returned', () => {
    const { manager, sent } = harness();
    const worker: StatusWrites = {};
    manager.send(pod(5), 'default/web', running, worker);
    manager.send(pod(5), 'default/web', ready, worker);
    expect(sent, 'the second status waits for the first write').toHaveLength(1);
    sent[0].answer({ code: 200, body: pod(6, running) });
    expect(sent).toHaveLength(2);
    expect(bodyOf(sent[1].req).metadata.resourceVersion, 'from the pod the first write returned, not the informer\'s rv 5').toBe('6');
    expect(bodyOf(sent[1].req).status).toEqual(ready);
  });

  it('starts from the informer\'s copy once it is the newer one', () => {
    const { manager, sent } = harness();
    const worker: StatusWrites = {};
    manager.send(pod(5), 'default/web', running, worker);
    sent[0].answer({ code: 200, body: pod(6, running) });
    manager.send(pod(9, running), 'default/web', ready, worker); // someone else wrote since (a label, a deletionTimestamp)
    expect(bodyOf(sent[1].req).metadata.resourceVersion).toBe('9');
  });

  it('keeps only the newest of the statuses made while a write is on its way', () => {
    const { manager, sent } = harness();
    const worker: StatusWrites = {};
    manager.send(pod(5), 'default/web', { phase: 'Pending', reason: 'first' } as PodStatus, worker);
    manager.send(pod(5), 'default/web', running, worker);
    manager.send(pod(5), 'default/web', ready, worker);
    sent[0].answer({ code: 200, body: pod(6) });
    expect(sent.map((s) => bodyOf(s.req).status)).toEqual([{ phase: 'Pending', reason: 'first' }, ready]);
  });

  it('after a failed write with nothing waiting, sends the same status again at the next sync', () => {
    const { manager, sent } = harness();
    const worker: StatusWrites = {};
    manager.send(pod(5), 'default/web', running, worker);
    sent[0].answer({ code: 409, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 409 } });
    manager.send(pod(7), 'default/web', running, worker);
    expect(sent).toHaveLength(2);
    expect(bodyOf(sent[1].req).metadata.resourceVersion).toBe('7');
  });
});
