import type { Cluster } from '../../cluster/cluster';
import { Kubelet } from '../../kubelet/kubelet';
import { PlaceholderKubelet } from '../../kubelet/placeholder-kubelet';

/**
 * For tests: a worker node joining a running cluster, as `kubeadm join` brings one: a kubelet
 * of the kind the cluster's workers run, on a machine of its own (the next index: addresses
 * and pod CIDR of its own), registering its Node with the API server.
 *
 *   const kubelet = joinNode(cluster, 'node-3');
 *   cluster.runUntil(() => kubelet.isRegistered());   // the Node is there, Ready
 */
export function joinNode(cluster: Cluster, name: string): Kubelet | PlaceholderKubelet {
  const node = { name, index: cluster.kubelets.length, controlPlane: false };
  const client = cluster.client(`kubelet/${name}`, { username: `system:node:${name}`, groups: ['system:nodes'] });
  const kubelet = cluster.kubelets[1] instanceof Kubelet ? new Kubelet(cluster.sim, client, node, cluster.code['pod-actions']) : new PlaceholderKubelet(cluster.sim, client, node);
  cluster.kubelets.push(kubelet);
  cluster.apiServer.registerKubelet(name, kubelet);
  kubelet.start();
  return kubelet;
}
