import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { pipelineRows, stageLine, stagesOf, tracedRequest } from './request-trace';

/** A cluster on seed 1, and kubectl's create of the pod `hello` on it. */
function helloCreated() {
  const cluster = createCluster({ seed: 1 });
  const pod = { metadata: { name: 'hello' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } };
  return { cluster, created: tracedRequest(cluster.trace, cluster.kubectl, { verb: 'create', resource: 'pods', namespace: 'default', body: pod }) };
}

describe('tracedRequest', () => {
  it("keeps kubectl's request, then every stage of the API server, etcd's transaction and the answer", () => {
    const { created } = helloCreated();
    expect(created.code).toBe(201);
    expect(created.body.metadata.name).toBe('hello');
    expect(pipelineRows(created.events).map((r) => `${r.stage} | ${r['who -> whom']}`)).toEqual([
      'request | kubectl -> kube-apiserver',
      'authentication | kube-apiserver',
      'authorization | kube-apiserver',
      'mutating admission | kube-apiserver',
      'validation | kube-apiserver',
      'validating admission | kube-apiserver',
      'persistence | kube-apiserver -> etcd',
      'persistence | etcd -> kube-apiserver',
      'answer | kube-apiserver -> kubectl',
    ]);
    const rows = pipelineRows(created.events);
    expect(rows[0].what).toBe('create pods default');
    expect(rows[0].time).toMatch(/^\d+\.\d{3}s$/);
    expect(rows[3].what).toMatch(/^NamespaceLifecycle ok, .*ServiceAccount mutated/);
    expect(rows[6].what).toBe('txn create /registry/pods/default/hello');
    expect(rows[8].what).toBe('201 Created');
  });

  it('names the stages that ran, and the line of one stage without its name', () => {
    const { cluster, created } = helloCreated();
    expect(stagesOf(created.events)).toEqual(['authentication', 'authorization', 'mutating admission', 'validation', 'validating admission']);
    expect(stageLine(created.events, 'authentication')).toBe('user "kubernetes-admin" (groups kubeadm:cluster-admins, system:authenticated) by x509');
    const read = tracedRequest(cluster.trace, cluster.kubectl, { verb: 'get', resource: 'pods', namespace: 'default', name: 'hello' });
    expect(stagesOf(read.events)).toEqual(['authentication', 'authorization']);
    expect(stageLine(read.events, 'validation')).toBe('');
  });

  it('stops at authentication for a credential nobody accepts', () => {
    const cluster = createCluster({ seed: 1 });
    const r = tracedRequest(cluster.trace, cluster.kubectlWithToken('let-me-in'), { verb: 'list', resource: 'pods', namespace: 'default' });
    expect(r.code).toBe(401);
    expect(stagesOf(r.events)).toEqual(['authentication']);
    expect(stageLine(r.events, 'authentication')).toBe('rejected: Unauthorized');
  });
});
