import { describe, expect, it } from 'vitest';
import { createCluster } from './cluster';
import { networkLabels, onNode, pingFromPod } from './pod-network-view';

const sleeper = (name: string, node: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name} }\nspec:\n  nodeName: ${node}\n  containers: [{ name: app, image: busybox:1.36, command: [sleep, infinity] }]\n`;

describe('the pod network seen from outside the pods', () => {
  const cluster = createCluster({ seed: 2 });
  cluster.apply(`${sleeper('a', 'node-1')}---\n${sleeper('c', 'node-2')}`);
  cluster.runFor(10_000);
  const ipOf = (pod: string) => (cluster.kubectl.getObjects('pods', pod)[0] as any).status.podIP as string;

  it("a node's ip route holds its own pod CIDR on cni0 and every other node's via that node", () => {
    const routes = onNode(cluster, 'node-1').ip('route').split('\n');
    expect(routes).toContain('10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1');
    expect(routes).toContain('10.244.2.0/24 via 192.168.1.12 dev eth0');
    expect(onNode(cluster, 'node-1').ip('addr')).toContain('scope global cni0');
  });

  it("a node's iptables-save -t nat holds flanneld's FLANNEL-POSTRTG chain, and only the nat table", () => {
    const nat = onNode(cluster, 'node-1').iptablesSave('nat');
    expect(nat).toMatch(/^-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG$/m);
    expect(nat).not.toContain('*filter');
  });

  it("a node's conntrack -L shows a pod's echo to the LAN's router masqueraded behind the node's address, and its echo to another node's pod as it was", () => {
    pingFromPod(cluster, 'a', '192.168.1.1');
    pingFromPod(cluster, 'a', ipOf('c'));
    const lines = onNode(cluster, 'node-1').conntrack().split('\n');
    expect(lines.find((l) => l.includes(' dst=192.168.1.1 '))).toMatch(/ src=192\.168\.1\.1 dst=192\.168\.1\.11 type=0 /);
    expect(lines.find((l) => l.includes(` dst=${ipOf('c')} `))).toContain(` src=${ipOf('c')} dst=${ipOf('a')} type=0 `);
    expect(lines[lines.length - 1]).toBe(`conntrack v1.4.6 (conntrack-tools): ${lines.length - 1} flow entries have been shown.`);
  });

  it('names each pod namespace after its pod, nodes after themselves, and the underlay as the LAN switch', () => {
    const labels = networkLabels(cluster);
    expect(Object.values(labels)).toEqual(expect.arrayContaining(['default/a', 'default/c', 'node-1', 'node-2', 'LAN switch']));
  });

  it('pings from a pod to a pod on another node, across the LAN, and the reply comes back', () => {
    const r = pingFromPod(cluster, 'a', ipOf('c'));
    expect(r.outcome).toBe('response');
    expect(r.trace.path().map((h) => h.ns)).toContain('underlay');
    expect(() => pingFromPod(cluster, 'nosuch', ipOf('c'))).toThrow('pod default/nosuch has no running sandbox');
  });
});
