import { describe, expect, it } from 'vitest';
import type { ReplicaSet } from '../../api/types';
import { createCluster } from '../../cluster/cluster';
import { MAX_REPLICAS_ANNOTATION } from './annotations';
import { proportionalSizes } from './proportional-scale';
import { NGINX_DEPLOYMENT, replicaSetsOf, rolledOut } from './rollout-watch.fixture';

function rs(name: string, replicas: number, maxReplicas: number | undefined, createdMinute: number): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, creationTimestamp: `2025-01-01T00:0${createdMinute}:00Z`, annotations: maxReplicas === undefined ? {} : { [MAX_REPLICAS_ANNOTATION]: String(maxReplicas) } },
    spec: { replicas, selector: { matchLabels: {} }, template: { spec: { containers: [] } } },
  };
}

describe('proportional scaling of a Deployment with several active ReplicaSets', () => {
  it.each<[string, Parameters<typeof proportionalSizes>[0], Record<string, number>]>([
    ["the docs' example: 10 -> 15 with the old at 8 and the new at 5 gives the old 3 more, the new 2", { replicas: 15, maxSurge: 3, statusReplicas: 13, replicaSets: [rs('old', 8, 13, 0), rs('new', 5, 13, 1)] }, { old: 11, new: 7 }],
    ['10 -> 5 takes from each in proportion', { replicas: 5, maxSurge: 3, statusReplicas: 13, replicaSets: [rs('old', 8, 13, 0), rs('new', 5, 13, 1)] }, { old: 5, new: 3 }],
    ['scaling to 0 takes every ReplicaSet to 0', { replicas: 0, maxSurge: 0, statusReplicas: 13, replicaSets: [rs('old', 8, 13, 0), rs('new', 5, 13, 1)] }, { old: 0, new: 0 }],
    ['what rounding leaves goes to the first: among equal sizes the newest when adding', { replicas: 4, maxSurge: 1, statusReplicas: 3, replicaSets: [rs('a', 1, 4, 0), rs('b', 1, 4, 1), rs('c', 1, 4, 2)] }, { a: 1, b: 1, c: 3 }],
    ['among equal sizes the oldest gives first when removing', { replicas: 1, maxSurge: 1, statusReplicas: 6, replicaSets: [rs('a', 2, 6, 0), rs('b', 2, 6, 1), rs('c', 2, 6, 2)] }, { a: 0, b: 1, c: 1 }],
    ['a missing max-replicas annotation counts the Deployment status.replicas instead', { replicas: 20, maxSurge: 0, statusReplicas: 10, replicaSets: [rs('old', 6, undefined, 0), rs('new', 4, undefined, 1)] }, { old: 12, new: 8 }],
  ])('%s', (_name, input, sizes) => {
    expect(proportionalSizes(input)).toEqual(sizes);
  });

  it('scales a stuck rollout in proportion: kubectl scale 4 -> 8 puts 2 more on the old ReplicaSet (3) and 2 on the new (2)', () => {
    const cluster = createCluster({ seed: 1 });
    const manifest = NGINX_DEPLOYMENT.replace('  replicas: 3\n', '  replicas: 4\n  strategy:\n    rollingUpdate: { maxSurge: 1, maxUnavailable: 1 }\n');
    cluster.apply(manifest);
    expect(cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', 'nginx:1.14.2'), 30_000)).toBe(true);
    // An image that cannot be pulled: the new pods never become ready, the rollout stops at 3 old + 2 new.
    cluster.apply(manifest.replace('nginx:1.14.2', 'nginx:9.9'));
    const sizes = () => replicaSetsOf(cluster, 'nginx-deployment').map((r) => `${r.spec.template.spec.containers[0].image}=${r.spec.replicas}`).sort();
    expect(cluster.runUntil(() => sizes().join() === 'nginx:1.14.2=3,nginx:9.9=2', 10_000)).toBe(true);
    cluster.kubectl.scale('deployment', 'nginx-deployment', 8);
    cluster.runFor(1_000);
    // allowed 8 + 1 = 9, 4 to add: old round(3 * 9 / 5) - 3 = 2, new round(2 * 9 / 5) - 2 = 2.
    expect(sizes()).toEqual(['nginx:1.14.2=5', 'nginx:9.9=4']);
    for (const r of replicaSetsOf(cluster, 'nginx-deployment')) expect(r.metadata.annotations?.[MAX_REPLICAS_ANNOTATION]).toBe('9');
  });
});
