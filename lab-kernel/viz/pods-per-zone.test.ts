import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { podsPerZone } from './pods-per-zone';

describe('podsPerZone', () => {
  it('counts the pods on each zone and node, sorted, with a row for the pending ones', () => {
    const cluster = createCluster({ seed: 3, workers: 3 });
    const zoneOf = { 'node-1': 'zone-a', 'node-2': 'zone-a', 'node-3': 'zone-b' };
    cluster.apply(`apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web }
spec:
  replicas: 5
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: nginx, image: nginx:1.27 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: lost }
spec: { nodeSelector: { disktype: ssd }, containers: [{ name: app, image: nginx:1.27 }] }
`);
    cluster.runFor(3_000);
    const pods = cluster.kubectl.getObjects<Pod>('pods');
    const rows = podsPerZone(pods, zoneOf);
    expect(rows[0]).toEqual({ 'zone / node': '(pending)', pods: 1, names: 'lost' });
    expect(rows.slice(1).map((r) => r['zone / node'])).toEqual(
      ['node-1', 'node-2', 'node-3'].filter((n) => pods.some((p) => p.spec.nodeName === n)).map((n) => `${zoneOf[n as keyof typeof zoneOf]} / ${n}`),
    );
    expect(rows.reduce((sum, r) => sum + r.pods, 0)).toBe(6);
    for (const r of rows) expect(r.names.split(' ')).toHaveLength(r.pods);
  });
});
