import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { ConfigMap, DaemonSet, KubeObject } from '../api/types';
import { findImage } from '../runtime/image-registry';
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
