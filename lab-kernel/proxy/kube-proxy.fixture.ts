import { expect } from 'vitest';
import { createCluster, type Cluster } from '../cluster/cluster';
import { iptablesSave } from '../net/iptables-save';
import { exchange, nodeLab, type NodeLab } from '../net/scenario.fixture';
import type { IptablesRulesFn } from './iptables-rules-contract';
import { kubeProxy, type KubeProxy } from './kube-proxy';
import { namespaceNetfilter } from './node-netfilter';

/**
 * kube-proxy on a bare node of the packet network (net/scenario.fixture.ts: node "node", pods
 * a..e on cni0 at 10.244.1.2..6), its API from a cluster's control plane: a selector-less
 * Service web (ClusterIP 10.96.0.50, port 80) with a hand-made EndpointSlice of pods b, c and d
 * on port 8080, so that no controller rewrites it.
 */
export const WEB = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: 10.96.0.50
  ports:
    - name: http
      port: 80
      targetPort: 8080
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-1
  labels:
    kubernetes.io/service-name: web
addressType: IPv4
ports:
  - name: http
    port: 8080
    protocol: TCP
endpoints:
  - addresses: [10.244.1.3]
    nodeName: node
  - addresses: [10.244.1.4]
    nodeName: node
  - addresses: [10.244.1.5]
    nodeName: node
`;

export interface ProxyLab {
  cluster: Cluster;
  lab: NodeLab;
  proxy: KubeProxy;
}

export function proxyLab(seed: number, rules: IptablesRulesFn): ProxyLab {
  const cluster = createCluster({ seed: 1 });
  const lab = nodeLab(seed);
  const netfilter = namespaceNetfilter(lab.node, () => cluster.sim.now());
  const proxy = kubeProxy(cluster.sim, cluster.client('kube-proxy'), { name: 'node', clusterCIDR: '10.244.0.0/16' }, netfilter, { iptablesRules: rules });
  for (const pod of lab.pods.slice(1, 4)) lab.net.listen(pod, 'tcp', 8080, (_req, reply) => reply({ length: 100, payload: pod.name }));
  return { cluster, lab, proxy };
}

/** The nat table's rules as iptables-save prints them. */
export const natRules = (p: ProxyLab) => iptablesSave(p.lab.node.netfilter, 0, ['nat']).split('\n').filter((l) => l.startsWith('-A '));

/** Applies web and its slice, and runs until the node has its rules. */
export function applyWeb(p: ProxyLab): void {
  p.cluster.apply(WEB);
  const arrived = p.cluster.runUntil(() => natRules(p).some((r) => r.includes('10.244.1.5:8080')), 5000);
  expect(arrived, `web's rules never reached the node; kube-proxy logged:\n${p.proxy.log.join('\n')}`).toBe(true);
}

/** Which pod answered each of n TCP requests from pod a to web's ClusterIP (or the error). */
export function endpointsChosen(p: ProxyLab, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = exchange(p.lab, (done) => p.lab.net.request(p.lab.pods[0], { proto: 'tcp', dst: '10.96.0.50', port: 80 }, done));
    out.push(r.outcome === 'response' ? String(r.response.payload) : r.error);
  }
  return out;
}
