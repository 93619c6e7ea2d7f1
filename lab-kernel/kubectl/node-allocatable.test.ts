import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { setAllocatable } from './node-allocatable';

describe('setAllocatable', () => {
  it("writes the node's capacity and allocatable through nodes/status, keeps the other resources, and the scheduler places by it", () => {
    const cluster = createCluster({ seed: 2 });
    expect(setAllocatable(cluster.kubectl, 'node-1', { cpu: '8' })).toBe('node/node-1 status updated: allocatable cpu 4 -> 8');
    const [node] = cluster.kubectl.getObjects<Node>('nodes', 'node-1');
    expect(node.status?.allocatable).toEqual({ cpu: '8', memory: '8Gi', pods: '110' });
    expect(node.status?.capacity?.cpu).toBe('8');
    const update = cluster.trace.all().filter((e) => e.actor === 'kubectl' && e.flow === 'request' && e.summary.includes('nodes/status node-1'));
    expect(update.map((e) => e.data?.verb)).toEqual(['update']);
    cluster.runFor(100);
    const info = cluster.scheduler.cache.updateSnapshot().nodeInfos().find((n) => n.node.metadata.name === 'node-1');
    expect(info?.allocatable.milliCPU).toBe(8000);
    cluster.apply('apiVersion: v1\nkind: Pod\nmetadata: { name: big }\nspec:\n  containers: [{ name: app, image: nginx:1.27, resources: { requests: { cpu: "6" } } }]\n');
    cluster.runFor(1_000);
    expect(cluster.kubectl.getObjects<Pod>('pods', 'big')[0].spec.nodeName).toBe('node-1');
  });
});
