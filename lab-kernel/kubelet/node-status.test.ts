import { describe, expect, it } from 'vitest';
import { timestamp } from '../api/time';
import type { Node, NodeStatus } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { traceQuery } from '../viz/trace-query';
import { NODE_STATUS_REPORT_FREQUENCY_MS, NodeStatusReporter, nodeStatusChanged, withTimes, type ConditionState } from './node-status';

const ready: ConditionState = { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' };

describe("the kubelet's node status", () => {
  it('keeps lastTransitionTime while a condition holds, and moves every lastHeartbeatTime to now', () => {
    const before = withTimes(undefined, [ready], 1_000);
    expect(before).toEqual([{ ...ready, lastHeartbeatTime: timestamp(1_000), lastTransitionTime: timestamp(1_000) }]);
    expect(withTimes(before, [ready], 300_000)).toEqual([{ ...ready, lastHeartbeatTime: timestamp(300_000), lastTransitionTime: timestamp(1_000) }]);
    const notReady = { ...ready, status: 'False' as const, reason: 'KubeletNotReady' };
    expect(withTimes(before, [notReady], 310_000)[0]).toMatchObject({ status: 'False', lastTransitionTime: timestamp(310_000) });
  });

  it('counts as changed only what is more than a later heartbeat', () => {
    const held: NodeStatus = { capacity: { cpu: '4' }, conditions: withTimes(undefined, [ready], 1_000) };
    expect(nodeStatusChanged(held, { ...held, conditions: withTimes(held.conditions, [ready], 60_000) })).toBe(false);
    expect(nodeStatusChanged(held, { ...held, capacity: { cpu: '8' } })).toBe(true);
    expect(nodeStatusChanged(held, { ...held, conditions: withTimes(held.conditions, [{ ...ready, status: 'False' }], 60_000) })).toBe(true);
    expect(nodeStatusChanged(held, { ...held, conditions: withTimes(held.conditions, [{ ...ready, message: 'kubelet is posting ready status, again' }], 60_000) }), 'a new message').toBe(true);
    expect(nodeStatusChanged(held, { ...held, conditions: [] }), 'a condition gone').toBe(true);
    expect(nodeStatusChanged(held, { capacity: { cpu: '4' } }), 'no conditions at all').toBe(true);
    expect(nodeStatusChanged(undefined, held), 'nothing held yet').toBe(true);
  });

  it('is sent every 5 minutes while nothing changes, and within 10.4 s of a change', () => {
    const cluster = createCluster({ seed: 3 });
    const kubelet = cluster.kubelets[1];
    kubelet.agent.nodeStatus.stop(); // the test reports node-1's status itself, with conditions it controls (the lease still beats)
    // What the kubelet registered, unchanged.
    const { conditions: registered, ...rest } = (cluster.apiServer.cache.get('nodes', undefined, 'node-1') as Node).status!;
    let conditions: ConditionState[] = registered!.map(({ type, status, reason, message }) => ({ type, status, reason, message }));
    const reporter = new NodeStatusReporter(cluster.sim, cluster.client('kubelet/node-1', { username: 'system:node:node-1', groups: ['system:nodes'] }), {
      node: 'node-1',
      observed: () => cluster.apiServer.cache.get('nodes', undefined, 'node-1') as Node | undefined,
      compute: () => ({ ...rest, conditions }),
    });
    const t0 = cluster.now();
    reporter.start(t0);
    const patches = (since: number) => traceQuery(cluster.trace, { since, actor: 'kubelet/node-1', flow: 'request', summary: 'patch nodes/status node-1' });
    cluster.runFor(NODE_STATUS_REPORT_FREQUENCY_MS - 500);
    expect(patches(t0), 'nothing changed: nothing sent').toHaveLength(0);
    cluster.runFor(11_000);
    expect(patches(t0), '5 minutes since the last report').toHaveLength(1);
    const t1 = t0;
    const heartbeat = (cluster.apiServer.cache.get('nodes', undefined, 'node-1') as Node).status!.conditions!.find((c) => c.type === 'Ready')!;
    expect(heartbeat.lastHeartbeatTime).toBe(timestamp(patches(t1)[0].time));
    const t2 = cluster.now();
    conditions = conditions.map((c) => (c.type === 'MemoryPressure' ? { ...c, status: 'True', reason: 'KubeletHasInsufficientMemory' } : c));
    cluster.runFor(10_400 + 10);
    expect(patches(t2)).toHaveLength(1);
  });
});
