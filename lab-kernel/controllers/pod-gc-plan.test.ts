import { describe, expect, it } from 'vitest';
import { timestamp } from '../api/time';
import type { Node, Pod, PodPhase } from '../api/types';
import { missingNodes, OUT_OF_SERVICE_TAINT, podGcPlan } from './pod-gc-plan';

const pod = (name: string, o: { phase?: PodPhase; reason?: string; node?: string; createdS?: number; deleting?: boolean } = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', creationTimestamp: timestamp((o.createdS ?? 0) * 1000), ...(o.deleting ? { deletionTimestamp: timestamp(99_000) } : {}) },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...(o.node ? { nodeName: o.node } : {}) },
  status: { phase: o.phase ?? 'Running', ...(o.reason ? { reason: o.reason } : {}) },
});
const node = (name: string, ready: boolean, outOfService = false): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name },
  spec: outOfService ? { taints: [{ key: OUT_OF_SERVICE_TAINT, value: 'nodeshutdown', effect: 'NoExecute' }] } : {},
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const plan = (pods: Pod[], nodes: Node[] = [node('node-1', true)], goneNodes: string[] = [], threshold = 12_500) =>
  podGcPlan({ pods, nodes, goneNodes: new Set(goneNodes), threshold }).map((d) => `${d.why}:${d.pod.metadata.name}`);

describe('podGcPlan: which pods one pass of the pod garbage collector deletes', () => {
  it('keeps terminated pods up to the threshold, then deletes the excess: evicted first, then the oldest, then by name', () => {
    const pods = [
      pod('done-new', { phase: 'Succeeded', createdS: 30, node: 'node-1' }),
      pod('done-old', { phase: 'Succeeded', createdS: 10, node: 'node-1' }),
      pod('evicted', { phase: 'Failed', reason: 'Evicted', createdS: 50, node: 'node-1' }),
      pod('b-failed', { phase: 'Failed', createdS: 20, node: 'node-1' }),
      pod('a-failed', { phase: 'Failed', createdS: 20, node: 'node-1' }),
      pod('running', { createdS: 0, node: 'node-1' }),
    ];
    expect(plan(pods, undefined, [], 5)).toEqual([]);
    expect(plan(pods, undefined, [], 3)).toEqual(['terminated:evicted', 'terminated:done-old']);
    expect(plan(pods, undefined, [], 2)).toEqual(['terminated:evicted', 'terminated:done-old', 'terminated:a-failed']);
    expect(plan(pods, undefined, [], 0), 'a threshold of 0 turns the pass off').toEqual([]);
  });

  it('deletes terminating pods on a node that is not Ready and tainted out-of-service, and only those', () => {
    const nodes = [node('dead', false, true), node('slow', false), node('tainted-ready', true, true)];
    const pods = [pod('a', { node: 'dead', deleting: true }), pod('b', { node: 'dead' }), pod('c', { node: 'slow', deleting: true }), pod('d', { node: 'tainted-ready', deleting: true })];
    expect(plan(pods, nodes)).toEqual(['outOfService:a']);
  });

  it('deletes pods bound to a node confirmed gone, with the DisruptionTarget condition DeletionByPodGC', () => {
    const pods = [pod('orphan', { node: 'node-9' }), pod('fine', { node: 'node-1' }), pod('pending')];
    expect(plan(pods, undefined, [])).toEqual([]);
    const [d] = podGcPlan({ pods, nodes: [node('node-1', true)], goneNodes: new Set(['node-9']), threshold: 12_500 });
    expect(d).toMatchObject({ why: 'orphaned', pod: { metadata: { name: 'orphan' } }, condition: { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' } });
    expect(missingNodes(pods, [node('node-1', true)])).toEqual(['node-9']);
  });

  it('deletes terminating pods that were never scheduled', () => {
    expect(plan([pod('never-bound', { phase: 'Pending', deleting: true }), pod('waiting', { phase: 'Pending' })])).toEqual(['unscheduled:never-bound']);
  });
});
