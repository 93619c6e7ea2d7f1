import type { Service } from '../api/types';

/**
 * The API server's own Service, `kubernetes` in `default`, which kube-apiserver's bootstrap
 * controller (pkg/controlplane/controller/kubernetesservice, 1.32) creates once the default
 * namespace exists: pods reach the API server at its cluster IP, the first address of the
 * service range, on port 443.
 *
 *   kubernetesService('10.96.0.1')
 *   // => { metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
 *   //      spec: { type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], ... } }
 *
 * It has no selector: no controller gives it endpoints (kube-apiserver writes them itself, from
 * the API servers' leases; the lab does not yet).
 */
export const KUBERNETES_SERVICE = 'kubernetes';
/** The bootstrap controller's loop: it tries again every 10 s (DefaultEndpointReconcilerInterval). */
export const KUBERNETES_SERVICE_INTERVAL_MS = 10_000;

export function kubernetesService(clusterIP: string, securePort = 6443): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: KUBERNETES_SERVICE, namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP,
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: securePort }],
      sessionAffinity: 'None',
    },
  };
}
