import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { createCluster, type Cluster } from '../cluster/cluster';

/** A cluster with nginx pod `web` Running on node-1. */
function withWeb(): Cluster {
  const cluster = createCluster({ seed: 1 });
  cluster.apply('apiVersion: v1\nkind: Pod\nmetadata: { name: web, namespace: default }\nspec:\n  nodeName: node-1\n  containers: [{ name: nginx, image: nginx:1.27, ports: [{ containerPort: 80 }] }]\n');
  cluster.runUntil(() => (cluster.apiServer.cache.get('pods', 'default', 'web') as Pod | undefined)?.status?.phase === 'Running', 20_000);
  return cluster;
}

describe('kubectl port-forward', () => {
  it("forwards a local port to the pod's port through the API server's pods/portforward and the kubelet: what curl localhost:8080 shows", () => {
    const cluster = withWeb();
    const since = cluster.trace.length;
    expect(cluster.kubectl.portForward('pod/web', '8080:80')).toEqual({
      output: 'Forwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80\nHandling connection for 8080\n',
      response: '<title>Welcome to nginx!</title>',
    });
    const hop = cluster.trace.all().slice(since).find((e) => e.actor === 'kube-apiserver' && e.to === 'kubelet/node-1' && e.summary.startsWith('POST'));
    expect(hop?.summary).toBe('POST /portForward/default/web?port=80');
  });

  it("relays the runtime's error for a port nothing listens on, and kubectl loses the connection", () => {
    const cluster = withWeb();
    const { output, response } = cluster.kubectl.portForward('web', '8081:81');
    const lines = output.split('\n');
    expect(lines.slice(0, 3)).toEqual(['Forwarding from 127.0.0.1:8081 -> 81', 'Forwarding from [::1]:8081 -> 81', 'Handling connection for 8081']);
    expect(lines[3]).toMatch(
      /^"Unhandled Error" err="an error occurred forwarding 8081 -> 81: error forwarding port 81 to pod ([0-9a-f]{64}), uid : failed to execute portforward in network namespace \\"\/var\/run\/netns\/cni-[0-9a-f-]+\\": failed to connect to localhost:81 inside namespace \\"\1\\", IPv4: dial tcp4 127\.0\.0\.1:81: connect: connection refused IPv6 dial tcp6 \[::1\]:81: connect: connection refused "$/,
    );
    expect(lines.slice(4)).toEqual(['error: lost connection to pod', '']);
    expect(response).toBe('curl: (52) Empty reply from server');
  });

  it('refuses a pod that is not Running, and a user without create on pods/portforward', () => {
    const cluster = withWeb();
    cluster.apply('apiVersion: v1\nkind: Pod\nmetadata: { name: waiting, namespace: default }\nspec:\n  nodeName: node-9\n  containers: [{ name: app, image: nginx:1.27 }]\n');
    expect(() => cluster.kubectl.portForward('waiting', '80')).toThrow('error: unable to forward port because pod is not running. Current status=Pending');
    expect(() => cluster.kubectl.portForward('web', 'http:80')).toThrow(`error: error parsing local port 'http': strconv.ParseUint: parsing "http": invalid syntax`);
    cluster.apply(`apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: pod-reader, namespace: default }
rules: [{ apiGroups: [""], resources: [pods], verbs: [get] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: bob-reads, namespace: default }
subjects: [{ kind: User, name: bob }]
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader }
`);
    expect(() => cluster.kubectlAs({ username: 'bob', groups: [] }).portForward('web', '8080:80')).toThrow(
      'error: error upgrading connection: pods "web" is forbidden: User "bob" cannot create resource "pods/portforward" in API group "" in the namespace "default"',
    );
  });
});
