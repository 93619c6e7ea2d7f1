import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import type { ApiRequest, ApiResponse } from '../api/request';
import { Simulation } from '../sim/simulation';
import { Kubectl, KubectlError, parseManifests } from './kubectl';

const rs = (replicas: number) => `apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: nginx, image: 'nginx:1.27' }] }
`;

function thrown(run: () => unknown): KubectlError {
  try {
    run();
  } catch (err) {
    if (err instanceof KubectlError) return err;
    throw err;
  }
  throw new Error('expected a KubectlError');
}

describe('kubectl', () => {
  it('apply removes an item dropped from a list that merges by key ($patch: delete), and keeps the others', () => {
    const cluster = createCluster({ seed: 1 });
    const withEnv = (env: string) => `apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web }
spec:
  replicas: 0
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: nginx, image: 'nginx:1.27', env: [${env}] }] }
`;
    cluster.apply(withEnv('{ name: A, value: "1" }, { name: B, value: "2" }'));
    expect(cluster.apply(withEnv('{ name: A, value: "1" }'))).toBe('replicaset.apps/web configured');
    const [rs] = cluster.kubectl.getObjects<import('../api/types').ReplicaSet>('rs', 'web');
    expect(rs.spec.template.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }]);
  });

  it('apply undoes drift: after kubectl scale, applying the same manifest again sets replicas back (configured)', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(rs(2));
    cluster.kubectl.scale('rs', 'web', 1);
    expect(cluster.apply(rs(2))).toBe('replicaset.apps/web configured');
    expect(cluster.kubectl.getObjects<import('../api/types').ReplicaSet>('rs', 'web')[0].spec.replicas).toBe(2);
    expect(cluster.apply(rs(2))).toBe('replicaset.apps/web unchanged');
  });

  it('apply patches a running pod: a new image lands, a dropped label goes, what admission added stays', () => {
    const cluster = createCluster({ seed: 1 });
    const pod = (image: string, labels: string) => `apiVersion: v1\nkind: Pod\nmetadata: { name: web, labels: { ${labels} } }\nspec: { containers: [{ name: web, image: '${image}' }] }\n`;
    cluster.apply(pod('nginx:1.26', 'app: web, tier: fe'));
    cluster.runFor(3_000);
    expect(cluster.apply(pod('nginx:1.27', 'app: web'))).toBe('pod/web configured');
    const [live] = cluster.kubectl.getObjects<import('../api/types').Pod>('pods', 'web');
    expect(live.spec.containers[0].image).toBe('nginx:1.27');
    expect(live.metadata.labels).toEqual({ app: 'web' });
    expect(live.spec.serviceAccountName).toBe('default');
    expect(live.spec.nodeName).toBeDefined();
  });

  it('apply says created, then unchanged, then configured', () => {
    const cluster = createCluster({ seed: 1 });
    expect(cluster.apply(rs(2))).toBe('replicaset.apps/web created');
    expect(cluster.apply(rs(2))).toBe('replicaset.apps/web unchanged');
    expect(cluster.apply(rs(3))).toBe('replicaset.apps/web configured');
  });

  it('applies several documents separated by ---', () => {
    const cluster = createCluster({ seed: 1 });
    const out = cluster.apply(`apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n---\n${rs(1)}`);
    expect(out).toBe('namespace/shop created\nreplicaset.apps/web created');
  });

  it("words server errors like kubectl: Error from server (Reason): ...", () => {
    const cluster = createCluster({ seed: 1 });
    expect(thrown(() => cluster.kubectl.delete('pod', 'nope')).message).toBe('Error from server (NotFound): pods "nope" not found');
    const invalid = thrown(() => cluster.apply(rs(-1)));
    expect(invalid.message).toBe('Error from server (Invalid): error when creating "STDIN": ReplicaSet.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    expect(invalid.status?.code).toBe(422);
  });

  it('rejects unknown kinds and broken YAML before sending anything', () => {
    const cluster = createCluster({ seed: 1 });
    expect(thrown(() => cluster.apply('apiVersion: v1\nkind: Gizmo\nmetadata: { name: g }')).message).toMatch(/no matches for kind "Gizmo" in version "v1"/);
    expect(() => parseManifests('kind: [oops')).toThrow(/error parsing STDIN/);
    expect(() => parseManifests('metadata: { name: x }')).toThrow(/kind not set/);
  });

  it('prints tables with kubectl columns, and kubectl\'s message when there is nothing to list', () => {
    const cluster = createCluster({ seed: 1 });
    expect(cluster.kubectl.get('pods').toString()).toBe('No resources found in default namespace.');
    cluster.apply(rs(1));
    cluster.runFor(3_000);
    const table = cluster.kubectl.get('pods', undefined, { wide: true });
    expect(table.columns).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE']);
    expect(table.rows[0].slice(1, 4)).toEqual(['1/1', 'Running', '0']);
    expect(table.toString().split('\n')[0]).toMatch(/^NAME\s{3,}READY   STATUS    RESTARTS   AGE   IP\s+NODE$/);
  });

  it('waits as long as the answer takes by default (--request-timeout 0), and gives up only when a timeout is set', () => {
    const sim = new Simulation({ seed: 1 });
    const slow = { request: (_req: ApiRequest, reply: (res: ApiResponse) => void) => void sim.after(45_000, () => reply({ code: 200, body: { kind: 'Status' } })), watch: () => () => undefined };
    expect(new Kubectl(sim, slow).request({ verb: 'get', resource: 'pods', namespace: 'default', name: 'web' }).code, 'answered after 45 s').toBe(200);
    const impatient = new Kubectl(sim, slow, { requestTimeoutMs: 30_000 });
    expect(thrown(() => impatient.request({ verb: 'get', resource: 'pods', namespace: 'default', name: 'web' })).message).toBe('Unable to connect to the server: the request timed out after 30s');
  });

  it('scale reads the object, then sends a merge patch of its scale subresource: deployment.apps/web scaled', () => {
    const sim = new Simulation({ seed: 1 });
    const sent: ApiRequest[] = [];
    const recording = { request: (req: ApiRequest, reply: (res: ApiResponse) => void) => void (sent.push(req), reply({ code: 200, body: {} })), watch: () => () => undefined };
    expect(new Kubectl(sim, recording).scale('deploy', 'web', 3)).toBe('deployment.apps/web scaled');
    expect(sent.map((r) => [r.verb, r.resource, r.subresource, r.patchType, r.body])).toEqual([
      ['get', 'deployments', undefined, undefined, undefined],
      ['patch', 'deployments', 'scale', 'application/merge-patch+json', { spec: { replicas: 3 } }],
    ]);
  });
});
