import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { decisionView } from './decision-view';

describe('decisionView', () => {
  const cluster = createCluster({ seed: 1, workers: 3 });
  cluster.apply('apiVersion: v1\nkind: Pod\nmetadata: { name: hello }\nspec:\n  containers: [{ name: app, image: nginx:1.27 }]\n');
  cluster.apply('apiVersion: v1\nkind: Pod\nmetadata: { name: huge }\nspec:\n  containers: [{ name: app, image: nginx:1.27, resources: { requests: { cpu: "16" } } }]\n');
  cluster.runFor(2_000);

  it('puts the columns in reading order: the node, the filters as they ran, the weighted scores, the total and the pick', () => {
    const view = decisionView(cluster.scheduler, 'hello')!;
    const filters = cluster.scheduler.frameworks.get('default-scheduler')!.plugins.filter.map((p) => p.name);
    const ranFilters = view.columns.slice(1).filter((c) => filters.includes(c));
    expect(view.columns[0]).toBe('node');
    expect(view.columns.slice(1, 1 + ranFilters.length)).toEqual(ranFilters);
    expect(ranFilters).toEqual(filters.filter((f) => ranFilters.includes(f)));
    expect(view.columns.slice(1 + ranFilters.length, -2).every((c) => c.startsWith('score:'))).toBe(true);
    expect(view.columns.slice(-2)).toEqual(['total', 'selected']);
    expect(view.rows.map((r) => r.node).sort(), 'every node, in the order tried').toEqual(['control-plane', 'node-1', 'node-2', 'node-3']);
    expect(view.rows.filter((r) => r.selected === '*')).toHaveLength(1);
    expect(view.message).toBeUndefined();
  });

  it("gives the FailedScheduling message when no node was picked, takes namespace/name too, and undefined for a pod it never saw", () => {
    const huge = decisionView(cluster.scheduler, 'default/huge')!;
    expect(huge.message).toMatch(/^0\/4 nodes are available: .*3 Insufficient cpu/);
    expect(huge.rows.every((r) => r.selected === '')).toBe(true);
    expect(decisionView(cluster.scheduler, 'nobody')).toBeUndefined();
  });
});
