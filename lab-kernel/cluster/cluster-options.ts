import type { StaticToken } from '../apiserver/auth/authenticators';
import type { SlotId, SlotSource } from '../slots/slots';
import type { EncryptionConfiguration } from '../store/encryption';
import type { AddOn } from './add-ons';
import type { PodNetworkMode, ProxyMode } from './pod-network';

/**
 * How createCluster builds a cluster (cluster.ts): its size, the code each exercise slot runs,
 * its etcd, its network modes, its add-ons. Every option has the default a kubeadm cluster
 * would have, so `createCluster()` is the cluster the chapters start from.
 *
 *   createCluster({ seed: 7, workers: 3, proxyMode: 'ipvs', addOns: ['coredns'] })
 */
export interface ClusterOptions {
  /** Seeds every random choice; the same seed gives the same run (default 1). */
  seed?: number;
  /** How many worker nodes besides the control-plane node (default 2). */
  workers?: number;
  /** Which code runs each exercise slot (default: 'solution' for all). */
  use?: Partial<Record<SlotId, SlotSource>>;
  /** How long one call of slot code may run before it counts as an endless loop (default 1000 ms). */
  slotTimeoutMs?: number;
  /**
   * etcd replicated over this many members (etcd-0, etcd-1, ...), each a Raft peer on its own
   * machine. Leave it out for one etcd inside the API server's process: simpler traces, and
   * a cluster that boots without an election.
   */
  etcdMembers?: number;
  /**
   * How Secrets are stored (kube-apiserver's --encryption-provider-config). Default: aesgcm
   * with a key generated from the seed, so a raw dump of etcd never shows a Secret in plain
   * text. `false`: stored as plain JSON, as a cluster without the flag does.
   */
  encryption?: EncryptionConfiguration | false;
  /** Static bearer tokens the API server accepts (its --token-auth-file). */
  tokens?: StaticToken[];
  /**
   * The size in bytes of each node's image filesystem, the disk the kubelet's image garbage
   * collection watches (default 20 GiB): a small one fills up with a few big images.
   */
  imageFsBytes?: number;
  /**
   * How many kube-controller-manager processes run (default 1). They elect a leader through
   * the Lease kube-system/kube-controller-manager: the first leads from boot, the others
   * (kube-controller-manager-2, ...) stand by and take over when it stops renewing.
   */
  controllerManagers?: number;
  /**
   * kube-controller-manager's and kube-scheduler's --leader-elect (default true, as kubeadm
   * runs them). false: each acts from its start and never touches a Lease. Then one cut off
   * from the API server keeps running and relists when it is back, where a leader would have
   * failed to renew its Lease within 10 s and exited.
   */
  leaderElect?: boolean;
  /**
   * GPUs per node name, each node's served by a simulated NVIDIA device plugin
   * (kubelet/gpu-device-plugin.ts): its Node reports nvidia.com/gpu, and a container that asks
   * for `limits: { nvidia.com/gpu: 1 }` gets one, named in NVIDIA_VISIBLE_DEVICES.
   *
   *   createCluster({ gpus: { 'node-1': 2 } })   // node-1 has 2 GPUs, node-2 none
   */
  gpus?: Record<string, number>;
  /**
   * Run in a simulated cloud (controllers/service/simulated-cloud.ts): the service controller
   * gives each LoadBalancer Service a load balancer and an IP from 203.0.113.0/24. Default
   * false, as on kind or minikube: EXTERNAL-IP stays <pending>.
   */
  cloud?: boolean;
  /**
   * The pod network's cross-node mode, flannel's backend (pod-network.ts). 'host-gw' (default):
   * each node routes the others' pod CIDRs via their addresses on the LAN. 'vxlan': through
   * flannel.1, each packet wrapped in UDP to port 8472 of the node that holds the pod (the
   * wrapping is the exercise vxlan-encap), the pods' MTU 1450.
   *
   *   createCluster({ podNetwork: 'vxlan' })
   */
  podNetwork?: PodNetworkMode;
  /**
   * kube-proxy's mode on every node: written as `mode` into the KubeProxyConfiguration of the
   * ConfigMap kube-system/kube-proxy, which its DaemonSet's pods read (kube-proxy-addon.ts;
   * left out, `mode: ""`, which kube-proxy takes as iptables). 'iptables': a chain of
   * rules per Service (the exercise kube-proxy-iptables). 'ipvs': an IPVS virtual service per
   * Service port, its ClusterIP bound to kube-ipvs0 (`cluster.network.ipvsadm('node-1')` prints
   * `ipvsadm -Ln`). 'userspace': kube-proxy listens on a port per Service port and relays each
   * connection itself (removed in Kubernetes 1.26; shown as history).
   *
   *   createCluster({ proxyMode: 'ipvs' })
   */
  proxyMode?: ProxyMode;
  /**
   * Add-ons applied as ordinary manifests once the cluster has booted (add-ons.ts);
   * createCluster returns when their Deployments are available. 'coredns': kubeadm's cluster
   * DNS behind kube-dns 10.96.0.10, so that pods find Services by name; 'ingress-nginx';
   * 'metrics-server': the Metrics API for `kubectl top` and the HPA. Default none: the
   * chapters before DNS run without it, as a cluster does before its DNS add-on is applied.
   *
   *   createCluster({ addOns: ['coredns'] })
   *   createCluster({ addOns: ['metrics-server'] })   // kubectl top works once it returns
   */
  addOns?: AddOn[];
}
