import type { Pod } from '../api/types';

/**
 * The control plane's static pod manifests, as kubeadm writes them to
 * /etc/kubernetes/manifests on a control-plane node. The kubelet there runs them without the
 * API server (it is one of them) and posts a read-only "mirror pod" for each.
 */
const CONTROL_PLANE: { name: string; image: string; port: number }[] = [
  { name: 'etcd', image: 'registry.k8s.io/etcd:3.5.16-0', port: 2379 },
  { name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.32.0', port: 6443 },
  { name: 'kube-controller-manager', image: 'registry.k8s.io/kube-controller-manager:v1.32.0', port: 10257 },
  { name: 'kube-scheduler', image: 'registry.k8s.io/kube-scheduler:v1.32.0', port: 10259 },
];

export function controlPlaneStaticPods(): Pod[] {
  return CONTROL_PLANE.map(({ name, image, port }) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'kube-system', labels: { component: name, tier: 'control-plane' } },
    spec: {
      hostNetwork: true,
      containers: [{ name, image, ports: [{ containerPort: port, name: 'probe-port' }] }],
      tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
    },
  }));
}
