import { parse } from 'yaml';
import type { Pod } from '../api/types';
import type { UserInfo } from '../apiserver/pipeline-types';
import type { Client } from '../client/client';
import { nodeHostIP } from '../kubelet/node-agent';
import { formatIp } from '../net/ipv4';
import type { IptablesRulesFn } from '../proxy/iptables-rules-contract';
import { IpvsProxier } from '../proxy/ipvs-proxier';
import { kubeProxy } from '../proxy/kube-proxy';
import { namespaceNetfilter } from '../proxy/node-netfilter';
import type { Proxier } from '../proxy/service-watch';
import { UserspaceProxier } from '../proxy/userspace-proxier';
import type { AddOnContext, AddOnProgram } from '../runtime/add-on-program';
import { CLUSTER_CIDR } from '../runtime/cni-bridge';
import type { ProxyMode } from './pod-network';

/**
 * kube-proxy as kubeadm 1.32 installs it (its `addon/kube-proxy` phase,
 * cmd/kubeadm/app/phases/addons/proxy/proxy.go and manifests.go): ordinary objects in
 * kube-system, applied at cluster start, and the program its image runs on every node.
 *
 *   kubeProxyManifest('ipvs')   // the objects, the ConfigMap's config.conf saying `mode: ipvs`
 *   // ServiceAccount kube-proxy; ClusterRoleBinding kubeadm:node-proxier -> ClusterRole system:node-proxier;
 *   // Role and RoleBinding kube-proxy (get the ConfigMap); ConfigMap kube-proxy (config.conf, kubeconfig.conf);
 *   // DaemonSet kube-proxy: a hostNetwork, privileged pod on every node, tolerating every taint
 *
 * The program (kubeProxyProgram) is what `/usr/local/bin/kube-proxy --config=... --hostname-override=$(NODE_NAME)`
 * does in its pod: it reads the mounted config.conf, and runs the proxier of its `mode` ('' is
 * iptables, as on Linux) for its node, in the node's network namespace (the pod is hostNetwork),
 * through its own client (the pod's service account). The proxier's first sync is a full one,
 * so a restarted pod writes its node's rules again; when the container stops, its watches end.
 *
 * Simplified: config.conf is abridged (the conntrack, nftables, winkernel and logging sections
 * left out; the program reads mode and clusterCIDR only). The flags are not parsed: the program
 * reads the config at the path --config names and its node from NODE_NAME, what
 * --hostname-override=$(NODE_NAME) expands to (the lab's kubelet does not expand $(VAR)).
 * The xtables lock and /lib/modules are mounted but unused. `mode: userspace`, which kube-proxy
 * has refused since 1.26, still runs here, as history.
 */
export const KUBE_PROXY_IMAGE = 'registry.k8s.io/kube-proxy:v1.32.0';
export const KUBE_PROXY = 'kube-proxy';
/** Where the DaemonSet mounts the ConfigMap, and the key of the configuration in it (--config). */
export const KUBE_PROXY_CONFIG_PATH = '/var/lib/kube-proxy/config.conf';

/** The pod's identity: its service account's token. */
export const KUBE_PROXY_USER: UserInfo = {
  username: 'system:serviceaccount:kube-system:kube-proxy',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system'],
};

/**
 * kubeadm's objects, in the order it creates them (ServiceAccount, ConfigMap, DaemonSet, then
 * the RBAC rules), for an API server at `controlPlaneEndpoint` (kubeadm's: the control-plane
 * node's address, port 6443); `mode` is what the ConfigMap's KubeProxyConfiguration says
 * ('' by default: kube-proxy's default, iptables).
 */
export function kubeProxyManifest(mode: ProxyMode | '' = '', controlPlaneEndpoint = `https://${nodeHostIP(0)}:6443`): string {
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: kube-proxy
  namespace: kube-system
---
kind: ConfigMap
apiVersion: v1
metadata:
  name: kube-proxy
  namespace: kube-system
  labels:
    app: kube-proxy
data:
  kubeconfig.conf: |-
    apiVersion: v1
    kind: Config
    clusters:
    - cluster:
        certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
        server: ${controlPlaneEndpoint}
      name: default
    contexts:
    - context:
        cluster: default
        namespace: default
        user: default
      name: default
    current-context: default
    users:
    - name: default
      user:
        tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
  config.conf: |-
    apiVersion: kubeproxy.config.k8s.io/v1alpha1
    bindAddress: 0.0.0.0
    bindAddressHardFail: false
    clientConnection:
      acceptContentTypes: ""
      burst: 0
      contentType: ""
      kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
      qps: 0
    clusterCIDR: ${CLUSTER_CIDR}
    configSyncPeriod: 0s
    detectLocalMode: ""
    enableProfiling: false
    healthzBindAddress: ""
    hostnameOverride: ""
    iptables:
      localhostNodePorts: null
      masqueradeAll: false
      masqueradeBit: null
      minSyncPeriod: 0s
      syncPeriod: 0s
    ipvs:
      excludeCIDRs: null
      minSyncPeriod: 0s
      scheduler: ""
      strictARP: false
      syncPeriod: 0s
    kind: KubeProxyConfiguration
    metricsBindAddress: ""
    mode: "${mode}"
    nodePortAddresses: null
    oomScoreAdj: null
    portRange: ""
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  labels:
    k8s-app: kube-proxy
  name: kube-proxy
  namespace: kube-system
spec:
  selector:
    matchLabels:
      k8s-app: kube-proxy
  updateStrategy:
    type: RollingUpdate
  template:
    metadata:
      labels:
        k8s-app: kube-proxy
    spec:
      priorityClassName: system-node-critical
      containers:
      - name: kube-proxy
        image: ${KUBE_PROXY_IMAGE}
        imagePullPolicy: IfNotPresent
        command:
        - /usr/local/bin/kube-proxy
        - --config=${KUBE_PROXY_CONFIG_PATH}
        - --hostname-override=$(NODE_NAME)
        securityContext:
          privileged: true
        volumeMounts:
        - mountPath: /var/lib/kube-proxy
          name: kube-proxy
        - mountPath: /run/xtables.lock
          name: xtables-lock
          readOnly: false
        - mountPath: /lib/modules
          name: lib-modules
          readOnly: true
        env:
          - name: NODE_NAME
            valueFrom:
              fieldRef:
                fieldPath: spec.nodeName
      hostNetwork: true
      serviceAccountName: kube-proxy
      volumes:
      - name: kube-proxy
        configMap:
          name: kube-proxy
      - name: xtables-lock
        hostPath:
          path: /run/xtables.lock
          type: FileOrCreate
      - name: lib-modules
        hostPath:
          path: /lib/modules
      tolerations:
      - operator: Exists
      nodeSelector:
        kubernetes.io/os: linux
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: kubeadm:node-proxier
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: system:node-proxier
subjects:
- kind: ServiceAccount
  name: kube-proxy
  namespace: kube-system
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: kube-proxy
  namespace: kube-system
rules:
- apiGroups: [""]
  resources: [configmaps]
  resourceNames: [kube-proxy]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: kube-proxy
  namespace: kube-system
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: kube-proxy
subjects:
- kind: Group
  name: system:bootstrappers:kubeadm:default-node-token
`;
}

/** What the program is given by the composition root. */
export interface KubeProxyAddOnDeps {
  /** An API client for the pod's service account, named kube-proxy/<node> in the trace. */
  client: (component: string) => Client;
  /** kube-proxy's rule generator (exercise kube-proxy-iptables): the reference's or the learner's. */
  iptablesRules: IptablesRulesFn;
  /** Told of each node's running proxier, and of its end (ClusterNetwork.proxies). */
  running: Map<string, Proxier>;
}

/** What kube-proxy reads of its KubeProxyConfiguration. */
export interface KubeProxyConfig {
  mode: ProxyMode;
  clusterCIDR: string;
}

/**
 * The mode and cluster CIDR a config.conf says, or why it is refused:
 *   readKubeProxyConfig('...mode: ""...')     // => { mode: 'iptables', clusterCIDR: '10.244.0.0/16' }
 *   readKubeProxyConfig('...mode: nftables')  // => 'unsupported proxy mode "nftables"'
 */
export function readKubeProxyConfig(text: string | undefined): KubeProxyConfig | string {
  if (text === undefined) return `open ${KUBE_PROXY_CONFIG_PATH}: no such file or directory`;
  let doc: { kind?: unknown; mode?: unknown; clusterCIDR?: unknown };
  try {
    doc = (parse(text) ?? {}) as typeof doc;
  } catch (e) {
    return `failed to decode ${KUBE_PROXY_CONFIG_PATH}: ${(e as Error).message}`;
  }
  if (doc.kind !== 'KubeProxyConfiguration') return `${KUBE_PROXY_CONFIG_PATH} is not a KubeProxyConfiguration`;
  const mode = doc.mode === '' || doc.mode === undefined || doc.mode === null ? 'iptables' : doc.mode;
  if (mode !== 'iptables' && mode !== 'ipvs' && mode !== 'userspace') return `unsupported proxy mode ${JSON.stringify(mode)}`;
  return { mode, clusterCIDR: typeof doc.clusterCIDR === 'string' && doc.clusterCIDR !== '' ? doc.clusterCIDR : CLUSTER_CIDR };
}

/** What the kube-proxy image's process does in its pod (see the file's header). */
export function kubeProxyProgram(deps: KubeProxyAddOnDeps): AddOnProgram {
  return (ctx) => {
    const node = ctx.env.NODE_NAME;
    const config = readKubeProxyConfig(ctx.readFile(KUBE_PROXY_CONFIG_PATH));
    if (node === undefined || node === '') return failed(ctx, 'NODE_NAME is not set: no --hostname-override');
    if (typeof config === 'string') return failed(ctx, config);
    ctx.log(`"Using ${config.mode} Proxier"`);
    const proxier = newProxier(ctx, deps, node, config);
    deps.running.set(node, proxier);
    return () => {
      proxier.shutDown();
      if (deps.running.get(node) === proxier) deps.running.delete(node);
    };
  };
}

function newProxier(ctx: AddOnContext, deps: KubeProxyAddOnDeps, name: string, config: KubeProxyConfig): Proxier {
  const client = deps.client(`${KUBE_PROXY}/${name}`);
  const node = { name, clusterCIDR: config.clusterCIDR };
  const host = ctx.ns;
  const netfilter = namespaceNetfilter(host, () => ctx.sim.now());
  if (config.mode === 'ipvs') return new IpvsProxier(ctx.sim, client, node, { net: ctx.net, host }, netfilter);
  if (config.mode === 'userspace') return new UserspaceProxier(ctx.sim, client, node, { net: ctx.net, host, hostIP: eth0Address(ctx) }, netfilter);
  return kubeProxy(ctx.sim, client, node, netfilter, { iptablesRules: deps.iptablesRules });
}

/** The node's address on the LAN (the userspace proxier's portals listen on it). */
function eth0Address(ctx: AddOnContext): string {
  return formatIp(ctx.ns.device('eth0').addresses[0].ip);
}

/** kube-proxy exits on a bad configuration; the lab's process logs why and idles. */
function failed(ctx: AddOnContext, why: string): () => void {
  ctx.log(`"Error running ProxyServer" err=${JSON.stringify(why)}`);
  return () => {};
}

/** kube-proxy's pods pull their image (about 31 MB) and sync once, in a few seconds. */
const KUBE_PROXY_BOOT_LIMIT_MS = 30_000;

/** What applyKubeProxy needs of the cluster. */
export interface KubeProxyBootTarget {
  apply(yamlText: string): string;
  runUntil(done: () => boolean, limitMs: number): boolean;
  now(): number;
  readonly trace: { error(time: number, actor: string, summary: string): unknown };
  readonly kubelets: readonly { readonly node: { readonly name: string } }[];
  readonly network: { readonly proxies: ReadonlyMap<string, Proxier> };
  readonly apiServer: { readonly cache: { list(resource: string): readonly unknown[] } };
}

/**
 * kubeadm init's `addon/kube-proxy` phase on a booted control plane: applies kube-proxy's
 * objects, with `mode` in its config.conf, and runs the cluster until every node's kube-proxy
 * pod is Running and its proxier has synced once (its node's rules written). Returns whether
 * it got there.
 *
 *   applyKubeProxy(cluster, 'ipvs')   // => true: kube-proxy-xxxxx Running in kube-system on every node
 *
 * kubeadm itself applies the objects and does not wait; the lab waits so that Services work
 * everywhere once createCluster returns. A cluster whose scheduler, DaemonSet controller,
 * kubelet or kube-proxy runs unfinished exercise code may never get there: after 30 s of
 * virtual time the wait ends with an error in the trace (actor kubeadm), and the cluster is
 * handed over as it is, as `kubeadm init` would have.
 */
export function applyKubeProxy(cluster: KubeProxyBootTarget, mode: ProxyMode | undefined): boolean {
  cluster.apply(kubeProxyManifest(mode ?? ''));
  const nodes = () => cluster.kubelets.map((k) => k.node.name);
  const notSynced = () => nodes().filter((n) => (cluster.network.proxies.get(n)?.syncs ?? 0) === 0);
  const notRunning = () => {
    const on = new Set(
      (cluster.apiServer.cache.list('pods') as Pod[])
        .filter((p) => p.metadata.namespace === 'kube-system' && p.metadata.labels?.['k8s-app'] === KUBE_PROXY && p.status?.phase === 'Running')
        .map((p) => p.spec.nodeName),
    );
    return nodes().filter((n) => !on.has(n));
  };
  // Checked after every event of the boot: the cheap test first, without building lists; the pods' only once every proxier has synced.
  const synced = () => cluster.kubelets.every((k) => (cluster.network.proxies.get(k.node.name)?.syncs ?? 0) > 0);
  if (cluster.runUntil(() => synced() && notRunning().length === 0, KUBE_PROXY_BOOT_LIMIT_MS)) return true;
  cluster.trace.error(
    cluster.now(),
    'kubeadm',
    `addon/kube-proxy: after ${KUBE_PROXY_BOOT_LIMIT_MS / 1000} s kube-proxy is not Running on ${notRunning().join(', ') || 'no node'} and has not synced on ${notSynced().join(', ') || 'no node'}: Services will not work there`,
  );
  return false;
}
