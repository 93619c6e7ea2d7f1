import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { createCluster } from '../cluster/cluster';

/** A ReplicaSet whose selector uses every set-based operator besides matchLabels. */
const SET_BASED_RS = `apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: frontend }
spec:
  replicas: 2
  selector:
    matchLabels: { app: guestbook }
    matchExpressions:
      - { key: tier, operator: In, values: [frontend, edge] }
      - { key: environment, operator: NotIn, values: [prod] }
      - { key: track, operator: Exists }
      - { key: legacy, operator: DoesNotExist }
  template:
    metadata:
      labels: { app: guestbook, tier: frontend, track: stable }
    spec:
      containers: [{ name: php-redis, image: nginx:1.27 }]
`;

describe('the ReplicaSet controller', () => {
  it('runs a ReplicaSet with a set-based selector (In, NotIn, Exists, DoesNotExist), and kubectl selects and prints it', () => {
    const cluster = createCluster({ seed: 1 });
    expect(cluster.apply(SET_BASED_RS)).toBe('replicaset.apps/frontend created');
    const running = () => (cluster.apiServer.cache.list('pods', 'default') as Pod[]).filter((p) => p.status?.phase === 'Running').length === 2;
    expect(cluster.runUntil(running, 60_000)).toBe(true);
    expect(cluster.kubectl.get('pods', undefined, { selector: 'tier in (frontend,edge),environment notin (prod),track,!legacy' }).rows).toHaveLength(2);
    expect(cluster.kubectl.get('pods', undefined, { selector: '!track' }).rows).toHaveLength(0);
    const wide = cluster.kubectl.get('rs', undefined, { wide: true });
    expect(wide.rows[0].at(-1)).toBe('app=guestbook,environment notin (prod),!legacy,tier in (edge,frontend),track');
  });

  it("refuses a ReplicaSet whose set-based selector does not match its template's labels", () => {
    const cluster = createCluster({ seed: 1 });
    expect(() => cluster.apply(SET_BASED_RS.replace('track: stable', 'legacy: "yes", track: stable'))).toThrow(/selector.*does not match template `labels`/);
  });
});
