import { describe, expect, it } from 'vitest';
import { createCluster } from './cluster';
import { vtepOn } from './vtep-view';

describe("a node's flannel.1 as iproute2 shows it", () => {
  const cluster = createCluster({ seed: 1, podNetwork: 'vxlan' });
  cluster.runFor(10_000);
  const vtepMac = (node: string) => JSON.parse((cluster.kubectl.getObjects('nodes', node)[0] as any).metadata.annotations['flannel.alpha.coreos.com/backend-data']).VtepMAC as string;

  it("shows flannel.1 with VNI 1, dstport 8472 and MTU 1450, a PERMANENT neighbour per other node's subnet address at its VtepMAC, and an FDB entry from that MAC to the node's address", () => {
    const view = vtepOn(cluster, 'node-1');
    const [head, link, vxlan] = view['ip -d link show flannel.1'];
    expect(head).toMatch(/^\d+: flannel\.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue$/);
    expect(link).toBe(`    link/ether ${vtepMac('node-1')} brd ff:ff:ff:ff:ff:ff`);
    expect(vxlan).toBe('    vxlan id 1 local 192.168.1.11 dev eth0 dstport 8472 nolearning');
    expect(view['ip neigh show dev flannel.1'].sort()).toEqual([`10.244.0.0 lladdr ${vtepMac('control-plane')} PERMANENT`, `10.244.2.0 lladdr ${vtepMac('node-2')} PERMANENT`]);
    expect(view['bridge fdb show dev flannel.1'].sort()).toEqual(
      [`${vtepMac('control-plane')} dst 192.168.1.10 self permanent`, `${vtepMac('node-2')} dst 192.168.1.12 self permanent`].sort(),
    );
  });

  it('refuses a node without a vxlan device', () => {
    const hostGw = createCluster({ seed: 1 });
    expect(() => vtepOn(hostGw, 'node-1')).toThrow('node-1 has no vxlan device flannel.1');
  });
});
