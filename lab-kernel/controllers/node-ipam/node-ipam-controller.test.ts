import { describe, expect, it } from 'vitest';
import type { Node } from '../../api/types';
import { createCluster } from '../../cluster/cluster';

const podCIDRs = (nodes: Node[]) => Object.fromEntries(nodes.map((n) => [n.metadata.name, n.spec.podCIDR]));

describe('the node IPAM controller (range allocator, --cluster-cidr=10.244.0.0/16, /24 per node)', () => {
  it("gives every registered Node the next free /24 of the cluster CIDR in spec.podCIDR and spec.podCIDRs, so that flanneld has its node's subnet", () => {
    const cluster = createCluster({ seed: 1 });
    const nodes = cluster.kubectl.getObjects<Node>('nodes');
    expect(podCIDRs(nodes)).toEqual({ 'control-plane': '10.244.0.0/24', 'node-1': '10.244.1.0/24', 'node-2': '10.244.2.0/24' });
    expect(nodes.map((n) => n.spec.podCIDRs)).toEqual([['10.244.0.0/24'], ['10.244.1.0/24'], ['10.244.2.0/24']]);
    expect(cluster.trace.all().some((e) => e.summary === 'node-ipam-controller: set Node node-2 PodCIDR 10.244.2.0/24')).toBe(true);
  });

  it('skips a CIDR a Node was created with, and gives a joining node the next one', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply('apiVersion: v1\nkind: Node\nmetadata: { name: static-1 }\nspec: { podCIDR: 10.244.3.0/24 }\n');
    const joined = cluster.joinNode('node-3');
    cluster.runUntil(() => joined.node.network.podSubnet() !== undefined, 30_000);
    expect(joined.node.network.podSubnet()).toBe('10.244.4.0/24');
  });

  it("leaves a Node without a CIDR once the range is used up, with the Event 'Node <name> status is now: CIDRNotAvailable'", () => {
    const cluster = createCluster({ seed: 1 });
    const manifest = Array.from({ length: 253 }, (_, i) => `apiVersion: v1\nkind: Node\nmetadata: { name: filler-${i} }\n`).join('---\n');
    cluster.apply(manifest);
    cluster.apply('apiVersion: v1\nkind: Node\nmetadata: { name: one-too-many }\n');
    cluster.runFor(5_000);
    const last = cluster.kubectl.getObjects<Node>('nodes', 'one-too-many')[0];
    expect(last.spec.podCIDR).toBeUndefined();
    expect(cluster.kubectl.get('events').toString()).toMatch(/CIDRNotAvailable\s+node\/one-too-many\s+Node one-too-many status is now: CIDRNotAvailable/);
  });
});
