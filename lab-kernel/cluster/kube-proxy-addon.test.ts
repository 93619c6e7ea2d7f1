import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { ConfigMap, DaemonSet, KubeObject, Pod } from '../api/types';
import { iptablesSave } from '../net/iptables-save';
import { IpvsProxier } from '../proxy/ipvs-proxier';
import { findImage } from '../runtime/image-registry';
import { createCluster, type Cluster } from './cluster';
import { KUBE_PROXY_IMAGE, kubeProxyManifest, readKubeProxyConfig } from './kube-proxy-addon';

const objects = (mode?: Parameters<typeof kubeProxyManifest>[0]) => parseAllDocuments(kubeProxyManifest(mode)).map((d) => d.toJS() as KubeObject);
const find = <T extends KubeObject>(all: KubeObject[], kind: string) => all.find((o) => o.kind === kind) as T;

describe("kube-proxy's objects as kubeadm 1.32 creates them", () => {
  it('names ServiceAccount kube-proxy, ClusterRoleBinding kubeadm:node-proxier to system:node-proxier, Role and RoleBinding kube-proxy for the ConfigMap, ConfigMap and DaemonSet kube-proxy, all in kube-system', () => {
    const all = objects();
    expect(all.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'ServiceAccount kube-system/kube-proxy',
      'ConfigMap kube-system/kube-proxy',
      'DaemonSet kube-system/kube-proxy',
      'ClusterRoleBinding /kubeadm:node-proxier',
      'Role kube-system/kube-proxy',
      'RoleBinding kube-system/kube-proxy',
    ]);
    const crb = find<KubeObject & { roleRef: { name: string }; subjects: unknown[] }>(all, 'ClusterRoleBinding');
    expect(crb.roleRef.name).toBe('system:node-proxier');
    expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'kube-proxy', namespace: 'kube-system' }]);
    const role = find<KubeObject & { rules: unknown[] }>(all, 'Role');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['kube-proxy'], verbs: ['get'] }]);
  });

  it("runs the DaemonSet's pods on the host network, privileged, system-node-critical, tolerating every taint, on Linux nodes, with kube-proxy's command and NODE_NAME from spec.nodeName", () => {
    const ds = find<DaemonSet>(objects(), 'DaemonSet');
    const spec = ds.spec.template.spec!;
    const c = spec.containers[0];
    expect(ds.spec.updateStrategy?.type).toBe('RollingUpdate');
    expect(spec.hostNetwork).toBe(true);
    expect(spec.priorityClassName).toBe('system-node-critical');
    expect(spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(spec.serviceAccountName).toBe('kube-proxy');
    expect(c.image).toBe('registry.k8s.io/kube-proxy:v1.32.0');
    expect(c.command).toEqual(['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)']);
    expect(c.securityContext).toEqual({ privileged: true });
    expect(c.env).toEqual([{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]);
    expect(c.volumeMounts?.map((m) => m.mountPath)).toEqual(['/var/lib/kube-proxy', '/run/xtables.lock', '/lib/modules']);
    expect(spec.volumes?.map((v) => v.name)).toEqual(['kube-proxy', 'xtables-lock', 'lib-modules']);
  });

  it("writes the cluster's proxy mode into the ConfigMap's config.conf, and kubeconfig.conf with the service account's token", () => {
    const cm = find<ConfigMap>(objects('ipvs'), 'ConfigMap');
    expect(Object.keys(cm.data!)).toEqual(['kubeconfig.conf', 'config.conf']);
    expect(cm.data!['config.conf']).toContain('kind: KubeProxyConfiguration');
    expect(cm.data!['config.conf']).toContain('mode: "ipvs"');
    expect(cm.data!['kubeconfig.conf']).toContain('tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token');
    expect(find<ConfigMap>(objects(), 'ConfigMap').data!['config.conf']).toContain('mode: ""');
  });

  it('is an image the registry holds, whose containers run the kube-proxy add-on program', () => {
    expect(findImage(KUBE_PROXY_IMAGE)?.behaviour).toEqual({ kind: 'add-on', name: 'kube-proxy' });
  });
});

describe("kube-proxy's reading of its config.conf", () => {
  const config = (mode: string) => find<ConfigMap>(objects(), 'ConfigMap').data!['config.conf'].replace('mode: ""', `mode: ${mode}`);

  it("takes an empty mode as iptables, kube-proxy's default on Linux, and reads the cluster CIDR", () => {
    expect(readKubeProxyConfig(config('""'))).toEqual({ mode: 'iptables', clusterCIDR: '10.244.0.0/16' });
    expect(readKubeProxyConfig(config('ipvs'))).toEqual({ mode: 'ipvs', clusterCIDR: '10.244.0.0/16' });
  });

  it('refuses a mode the lab has no proxier for, a missing file, and a file that is not a KubeProxyConfiguration', () => {
    expect(readKubeProxyConfig(config('nftables'))).toBe('unsupported proxy mode "nftables"');
    expect(readKubeProxyConfig(undefined)).toBe('open /var/lib/kube-proxy/config.conf: no such file or directory');
    expect(readKubeProxyConfig('kind: Pod\n')).toBe('/var/lib/kube-proxy/config.conf is not a KubeProxyConfiguration');
  });
});

const proxyPod = (cluster: Cluster, node: string) =>
  cluster.kubectl.getObjects<Pod>('pods', undefined, { namespace: 'kube-system' }).find((p) => p.metadata.labels?.['k8s-app'] === 'kube-proxy' && p.spec.nodeName === node && p.metadata.deletionTimestamp === undefined);
const rules = (cluster: Cluster, node: string) => iptablesSave(cluster.network.net.namespace(node).netfilter, cluster.now(), ['nat', 'filter']);
const WEB2 = `apiVersion: v1
kind: Service
metadata: { name: web2, namespace: default }
spec:
  clusterIP: 10.96.0.222
  selector: { app: web }
  ports: [{ port: 80 }]
`;

describe("kube-proxy as kubeadm's DaemonSet, applied at cluster start", () => {
  it("boots once every node's kube-proxy pod is Running and its proxier has synced: each node's nat table already jumps from PREROUTING and OUTPUT into KUBE-SERVICES", () => {
    const cluster = createCluster({ seed: 1 });
    for (const node of ['control-plane', 'node-1', 'node-2']) {
      expect(proxyPod(cluster, node)?.status?.phase, node).toBe('Running');
      expect(cluster.network.proxies.get(node)!.syncs, node).toBeGreaterThan(0);
      expect(rules(cluster, node), node).toContain('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
      expect(rules(cluster, node), node).toContain('-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
    }
  });

  it("runs the proxier of the mode its mounted config.conf says: the cluster's proxyMode is written into the ConfigMap kube-proxy", () => {
    const cluster = createCluster({ seed: 1, proxyMode: 'ipvs' });
    const cm = cluster.kubectl.getObjects<ConfigMap>('configmaps', undefined, { namespace: 'kube-system' }).find((c) => c.metadata.name === 'kube-proxy')!;
    expect(cm.data!['config.conf']).toContain('mode: "ipvs"');
    expect(cluster.network.proxies.get('node-1')).toBeInstanceOf(IpvsProxier);
    expect(cluster.kubectl.logs(proxyPod(cluster, 'node-1')!.metadata.name!, { namespace: 'kube-system' })).toContain('"Using ipvs Proxier"');
  });

  it("stops its proxier's watches when its container stops; the replacement pod writes the node's rules again in a full sync", () => {
    const cluster = createCluster({ seed: 1 });
    const old = cluster.network.proxies.get('node-1')!;
    cluster.kubectl.delete('pods', proxyPod(cluster, 'node-1')!.metadata.name!, { namespace: 'kube-system' });
    expect(cluster.runUntil(() => cluster.network.proxies.get('node-1') !== old, 60_000)).toBe(true);
    const oldSyncs = old.syncs;
    // A Service created after the old proxier stopped: the replacement's first sync brings its rules.
    cluster.apply(WEB2);
    cluster.runFor(5_000);
    expect(old.syncs, 'the stopped proxier no longer syncs').toBe(oldSyncs);
    expect(proxyPod(cluster, 'node-1')?.status?.phase).toBe('Running');
    expect(cluster.network.proxies.get('node-1')!.syncs).toBeGreaterThan(0);
    // web2 has no endpoints: its ClusterIP is rejected in the filter table.
    expect(rules(cluster, 'node-1')).toMatch(/-A KUBE-SERVICES -d 10\.96\.0\.222\/32 .*-j REJECT/);
    expect(rules(cluster, 'node-2')).toMatch(/-A KUBE-SERVICES -d 10\.96\.0\.222\/32 .*-j REJECT/);
  });

  it("hands over a cluster whose scheduler cannot place kube-proxy's pods (an unfinished exercise) after 30 s, with kubeadm's error in the trace", () => {
    const cluster = createCluster({ seed: 1, use: { 'node-resources-fit': 'exercise' } });
    const errors = cluster.trace.all().filter((e) => e.kind === 'error' && e.actor === 'kubeadm').map((e) => e.summary);
    expect(errors).toEqual(['addon/kube-proxy: after 30 s kube-proxy is not Running on control-plane, node-1, node-2 and has not synced on control-plane, node-1, node-2: Services will not work there']);
    expect(cluster.network.proxies.size).toBe(0);
  });

  it("runs a joining node's kube-proxy from the DaemonSet: a pod is made for the new node and its proxier syncs", () => {
    const cluster = createCluster({ seed: 1 });
    cluster.joinNode('node-3');
    expect(cluster.runUntil(() => (cluster.network.proxies.get('node-3')?.syncs ?? 0) > 0, 60_000)).toBe(true);
    cluster.runFor(2_000);
    expect(proxyPod(cluster, 'node-3')?.status?.phase).toBe('Running');
  });
});

describe("a node's 110 pods (the kubelet's default maxPods) with kube-proxy's pod among them", () => {
  it('fits 109 more pods beside its kube-proxy pod: the 110th of a ReplicaSet stays Pending, Too many pods', () => {
    const cluster = createCluster({ seed: 1, workers: 1 });
    cluster.apply(`apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: full, namespace: default }
spec:
  replicas: 110
  selector: { matchLabels: { app: full } }
  template:
    metadata: { labels: { app: full } }
    spec: { containers: [{ name: app, image: registry.k8s.io/pause:3.10 }] }
`);
    const phases = () => (cluster.apiServer.cache.list('pods', 'default') as Pod[]).map((p) => p.status?.phase);
    // Checked every 500 ms of virtual time: after every event would cost more than the node.
    for (let t = 0; t < 120_000 && phases().filter((p) => p === 'Running').length < 109; t += 500) cluster.runFor(500);
    cluster.runFor(5_000);
    expect(phases().filter((p) => p === 'Running')).toHaveLength(109);
    expect(phases().filter((p) => p === 'Pending')).toHaveLength(1);
    const events = cluster.kubectl.getObjects<KubeObject & { reason: string; message: string }>('events').filter((e) => e.reason === 'FailedScheduling');
    expect(events.at(-1)?.message).toContain('Too many pods');
  });
});
