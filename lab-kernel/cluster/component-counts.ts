import type { ComponentInfo } from './cluster';

/**
 * How many instances of each component a cluster runs, beside how many of them are active at
 * once in a highly available cluster (several control-plane machines).
 *
 *   componentCounts(createCluster({ etcdMembers: 3 }).components())
 *   // => [{ component: 'etcd', 'instances in this cluster': 3,
 *   //       'active at once in an HA cluster': 'all members (one Raft leader orders the writes)' },
 *   //     { component: 'kube-apiserver', 'instances in this cluster': 1, ... }, ...]
 *
 * A component's kind is its trace name up to the first "/": kubelet/node-1 and kubelet/node-2
 * are two kubelets; etcd-1, etcd-2 and etcd-3 count as etcd.
 */
const ACTIVE_AT_ONCE: Readonly<Record<string, string>> = {
  etcd: 'all members (one Raft leader orders the writes)',
  'kube-apiserver': 'all instances',
  'kube-controller-manager': 'one: the Lease holder',
  'kube-scheduler': 'one: the Lease holder',
  kubelet: 'one per node (not replicas)',
  containerd: 'one per node (not replicas)',
  flanneld: 'one per node (not replicas)',
  'kube-proxy': 'one per node (a DaemonSet pod each, not replicas)',
  kubectl: '(a client, not part of the cluster)',
};

export interface ComponentCount {
  readonly component: string;
  readonly 'instances in this cluster': number;
  readonly 'active at once in an HA cluster': string;
}

export function componentCounts(components: readonly Pick<ComponentInfo, 'name'>[]): ComponentCount[] {
  const counts = new Map<string, number>();
  for (const { name } of components) {
    const kind = name.split('/')[0].replace(/-\d+$/, '');
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([component, count]) => ({
    component,
    'instances in this cluster': count,
    'active at once in an HA cluster': ACTIVE_AT_ONCE[component] ?? '',
  }));
}
