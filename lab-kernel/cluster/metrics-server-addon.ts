import { resourceFor } from '../api/resources';
import type { ClusterRole, ClusterRoleBinding } from '../api/types';
import type { ApiServer } from '../apiserver/api-server';
import type { UserInfo } from '../apiserver/pipeline-types';
import type { Client } from '../client/client';
import type { Kubectl } from '../kubectl/kubectl';
import { MetricsServer } from '../metrics-server/metrics-server';
import type { Network } from '../sim/network';
import type { Simulation } from '../sim/simulation';

/**
 * Installing metrics-server, as `kubectl apply -f components.yaml` does (kubeadm installs no
 * metrics add-on; until one runs, `kubectl top` says "error: Metrics API not available"):
 * its ClusterRole system:metrics-server (read pods and nodes, get nodes/metrics) bound to its
 * service account kube-system/metrics-server, the process itself, and the APIService
 * v1beta1.metrics.k8s.io that has the API server proxy the Metrics API to it.
 *
 *   const ms = installMetricsServer({ sim, net, apiServer, kubectl, client, kubeletOf });
 *   // 15 s later its first scrape is stored; after the second, kubectl top works
 */
export const METRICS_SERVER_USER: UserInfo = {
  username: 'system:serviceaccount:kube-system:metrics-server',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system'],
};

export function metricsServerRbac(): [ClusterRole, ClusterRoleBinding] {
  const name = 'system:metrics-server';
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name, labels: { 'k8s-app': 'metrics-server' } },
      rules: [
        { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name, labels: { 'k8s-app': 'metrics-server' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name: 'metrics-server', namespace: 'kube-system' }],
    },
  ];
}

export interface MetricsServerDeps {
  sim: Simulation;
  net: Network;
  apiServer: ApiServer;
  /** The admin's kubectl, which applies the RBAC objects. */
  kubectl: Kubectl;
  /** A client authenticated as metrics-server's service account. */
  client: Client;
  /** Where a node's kubelet listens. */
  kubeletOf: ConstructorParameters<typeof MetricsServer>[3];
}

/** Applies the RBAC, waits until the API server's cache has it, then starts metrics-server and registers its APIService. */
export function installMetricsServer(deps: MetricsServerDeps): MetricsServer {
  const objects = metricsServerRbac();
  for (const obj of objects) deps.kubectl.request({ verb: 'create', resource: resourceFor(obj.kind).resource, body: obj });
  // Like the authorizer, metrics-server's first list must find its binding in the API server's cache.
  deps.sim.runUntil(() => objects.every((o) => deps.apiServer.cache.get(resourceFor(o.kind).resource, undefined, o.metadata.name!) !== undefined), 5_000);
  const ms = new MetricsServer(deps.sim, deps.net, deps.client, deps.kubeletOf);
  deps.apiServer.registerAPIService(ms.apiService());
  ms.start();
  return ms;
}
