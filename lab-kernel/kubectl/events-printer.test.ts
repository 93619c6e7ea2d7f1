import { describe, expect, it } from 'vitest';
import { timestamp } from '../api/time';
import type { CoreEvent } from '../client/core-event';
import { createCluster } from '../cluster/cluster';
import { printEvents } from './events-printer';

function event(name: string, reason: string, message: string, atMs: number, resourceVersion: string, extra: Partial<CoreEvent> = {}): CoreEvent {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { namespace: 'default', name, resourceVersion },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-x7k2p', fieldPath: 'spec.containers{web}' },
    reason,
    message,
    type: 'Normal',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: timestamp(atMs),
    lastTimestamp: timestamp(atMs),
    count: 1,
    reportingComponent: 'kubelet',
    reportingInstance: 'node-1',
    ...extra,
  };
}

describe('kubectl get events', () => {
  it('prints LAST SEEN, TYPE, REASON, OBJECT, MESSAGE, latest last', () => {
    const started = event('web-x7k2p.b', 'Started', 'Started container web', 9000, '12');
    const pulling = event('web-x7k2p.a', 'Pulling', 'Pulling image "nginx"', 2000, '10');
    expect(printEvents([started, pulling], 14_000).toString()).toBe(
      [
        'LAST SEEN   TYPE     REASON    OBJECT          MESSAGE',
        '12s         Normal   Pulling   pod/web-x7k2p   Pulling image "nginx"',
        '5s          Normal   Started   pod/web-x7k2p   Started container web',
      ].join('\n'),
    );
  });

  it('orders Events of the same second the way the API server stored them', () => {
    const created = event('web-x7k2p.z', 'Created', 'Created container: web', 1000, '11');
    const pulled = event('web-x7k2p.y', 'Pulled', 'pulled', 1400, '10');
    expect(printEvents([created, pulled], 2000).records().map((r) => r.REASON)).toEqual(['Pulled', 'Created']);
  });

  it('-o wide adds SUBOBJECT, SOURCE, FIRST SEEN, COUNT and NAME; -A adds NAMESPACE', () => {
    const repeated = event('web-x7k2p.a', 'Pulling', 'Pulling image "nginx"', 0, '10', { count: 3, lastTimestamp: timestamp(60_000) });
    const [row] = printEvents([repeated], 90_000, { wide: true, withNamespace: true }).records();
    expect(row).toEqual({
      NAMESPACE: 'default',
      'LAST SEEN': '30s',
      TYPE: 'Normal',
      REASON: 'Pulling',
      OBJECT: 'pod/web-x7k2p',
      SUBOBJECT: 'spec.containers{web}',
      SOURCE: 'kubelet, node-1',
      MESSAGE: 'Pulling image "nginx"',
      'FIRST SEEN': '90s',
      COUNT: '3',
      NAME: 'web-x7k2p.a',
    });
  });

  it('says so when a namespace has no Events', () => {
    expect(printEvents([], 0, { namespace: 'shop' }).toString()).toBe('No resources found in shop namespace.');
  });

  it('applying a ReplicaSet: SuccessfulCreate, Scheduled, then Pulling, Pulled, Created, Started for each pod', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(`apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
`);
    cluster.runFor(5000);
    const events = cluster.kubectl.getObjects<CoreEvent>('events');
    const rows = printEvents(events, cluster.now()).records();
    const pods = rows.filter((r) => r.REASON === 'SuccessfulCreate').map((r) => r.MESSAGE.replace('Created pod: ', ''));
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      const story = rows.filter((r) => r.MESSAGE === `Created pod: ${pod}` || r.OBJECT === `pod/${pod}`);
      // The ReplicaSet's event and the scheduler's come from two components within the same second: either may print first.
      expect(story.slice(0, 2).map((r) => `${r.TYPE} ${r.REASON}`).sort()).toEqual(['Normal Scheduled', 'Normal SuccessfulCreate']);
      expect(story.slice(2).map((r) => `${r.TYPE} ${r.REASON}`)).toEqual(['Normal Pulling', 'Normal Pulled', 'Normal Created', 'Normal Started']);
      const node = cluster.kubectl.getObjects('pods', pod)[0].spec as { nodeName: string };
      expect(story.find((r) => r.REASON === 'Scheduled')!.MESSAGE).toBe(`Successfully assigned default/${pod} to ${node.nodeName}`);
      expect(story[2].MESSAGE).toBe('Pulling image "nginx"');
      expect(story[3].MESSAGE).toMatch(/^Successfully pulled image "nginx" in [\d.]+m?s \([\d.]+m?s including waiting\)\. Image size: 72195292 bytes\.$/); // docker.io/library/nginx:latest in the registry
      expect(story.slice(4).map((r) => r.MESSAGE)).toEqual(['Created container: web', 'Started container web']);
    }
    expect(rows[0]['LAST SEEN']).toMatch(/^\d+s$/);
    expect(rows.find((r) => r.REASON === 'SuccessfulCreate')?.OBJECT).toBe('replicaset/web');
  });

  it('scaling down records SuccessfulDelete about the ReplicaSet', () => {
    const cluster = createCluster({ seed: 3 });
    const rs = (n: number) => `apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web }
spec:
  replicas: ${n}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
`;
    cluster.apply(rs(2));
    cluster.runFor(3000);
    cluster.apply(rs(1));
    cluster.runFor(3000);
    const rows = printEvents(cluster.kubectl.getObjects('events'), cluster.now()).records();
    const deleted = rows.filter((r) => r.REASON === 'SuccessfulDelete');
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatchObject({ TYPE: 'Normal', OBJECT: 'replicaset/web' });
    expect(deleted[0].MESSAGE).toMatch(/^Deleted pod: web-[a-z0-9]{5}$/);
  });

  it('each kubelet says Starting kubelet. about its Node', () => {
    const cluster = createCluster({ seed: 3 });
    const rows = printEvents(cluster.kubectl.getObjects('events'), cluster.now()).records();
    const starting = rows.filter((r) => r.REASON === 'Starting').map((r) => `${r.OBJECT}: ${r.MESSAGE}`);
    expect(starting.sort()).toEqual(cluster.kubelets.map((k) => `node/${k.node.name}: Starting kubelet.`).sort());
  });
});
