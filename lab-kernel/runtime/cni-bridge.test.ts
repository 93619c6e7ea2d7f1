import { describe, expect, it } from 'vitest';
import { allocate } from '../../solutions/cni/host-local';
import { iptablesSave } from '../net/iptables-save';
import { Rng } from '../sim/rng';
import { addNetworkList, delNetworkList } from './cni';
import { BridgePlugin, containerdNetwork } from './cni-bridge';
import { cniEnv, cniNode } from './cni.fixture';
import { HostLocalIpam } from './host-local-ipam';


describe('the bridge CNI plugin over host-local', () => {
  it('answers a 1.0.0 Result: the bridge, the host veth, eth0 in the pod netns holding the address, the routes', () => {
    const ipam = new HostLocalIpam(allocate);
    const result = addNetworkList(containerdNetwork('10.244.0.0/24'), [new BridgePlugin(ipam, new Rng(1), cniNode('sb1', 'sb2'))], cniEnv('ADD', 'sb1'));
    expect(result.cniVersion).toBe('1.0.0');
    expect(result.interfaces.map((i) => [i.name.replace(/^veth[0-9a-f]{8}$/, 'veth*'), i.sandbox])).toEqual([['cni0', undefined], ['veth*', undefined], ['eth0', '/var/run/netns/cni-sb1']]);
    expect(result.interfaces.every((i) => /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(i.mac))).toBe(true);
    expect(result.ips).toEqual([{ interface: 2, address: '10.244.0.2/24', gateway: '10.244.0.1' }]);
    expect(result.routes).toEqual([{ dst: '0.0.0.0/0' }]);
  });

  it('gives the bridge the gateway address and keeps one veth per pod until DEL', () => {
    const bridge = new BridgePlugin(new HostLocalIpam(allocate), new Rng(1), cniNode('sb1', 'sb2'));
    const net = containerdNetwork('10.244.3.0/24');
    addNetworkList(net, [bridge], cniEnv('ADD', 'sb1'));
    addNetworkList(net, [bridge], cniEnv('ADD', 'sb2'));
    expect(bridge.links().bridge.address).toBe('10.244.3.1/24');
    expect(bridge.links().veths.map((v) => [v.containerId, v.peer.address])).toEqual([['sb1', '10.244.3.2/24'], ['sb2', '10.244.3.3/24']]);
    delNetworkList(net, [bridge], cniEnv('DEL', 'sb1'));
    expect(bridge.links().veths.map((v) => v.containerId)).toEqual(['sb2']);
  });
});

describe('the bridge plugin on the packet network', () => {
  const net = containerdNetwork('10.244.3.0/24');
  const setUp = () => {
    const node = cniNode('sb1', 'sb2');
    const bridge = new BridgePlugin(new HostLocalIpam(allocate), new Rng(1), node);
    return { node, bridge, pod: (id: string) => node.net.namespace(`cni-${id}`) };
  };

  it("builds the pod's side on ADD: eth0 in the sandbox's namespace with its address and a default route via cni0, the host veth on cni0, cni0 with the gateway, ip_forward on", () => {
    const { node, bridge, pod } = setUp();
    const result = addNetworkList(net, [bridge], cniEnv('ADD', 'sb1'));
    const veth = result.interfaces[1].name;
    expect(pod('sb1').routes.show()).toEqual(['default via 10.244.3.1 dev eth0', '10.244.3.0/24 dev eth0 proto kernel scope link src 10.244.3.2']);
    expect(pod('sb1').device('eth0').describe()).toBe(`eth0 veth ${result.interfaces[2].mac} up mtu 1500 10.244.3.2/24`);
    expect(node.host.device(veth).describe()).toBe(`${veth} veth ${result.interfaces[1].mac} up mtu 1500 master cni0`);
    expect(node.host.device('cni0').describe()).toBe(`cni0 bridge ${result.interfaces[0].mac} up mtu 1500 10.244.3.1/24`);
    expect(node.host.ipForward).toBe(true);
  });

  it('lets two pods on the bridge reach each other, cni0 forwarding between their veths', () => {
    const { node, bridge, pod } = setUp();
    addNetworkList(net, [bridge], cniEnv('ADD', 'sb1'));
    addNetworkList(net, [bridge], cniEnv('ADD', 'sb2'));
    let outcome: string | undefined;
    node.net.ping(pod('sb1'), '10.244.3.3', {}, (r) => (outcome = r.outcome === 'response' ? r.trace.lines().filter((l) => l.includes('bridge')).length + ' bridge hops' : r.error));
    node.net.sim.runUntil(() => outcome !== undefined, 1000);
    expect(outcome).toBe('2 bridge hops');
  });

  it('masquerades as the plugin does: a CNI-<24 hex of SHA-512(network + id)> chain with the pod subnet accepted, then MASQUERADE but multicast, jumped to from POSTROUTING by the pod IP', () => {
    const { node, bridge } = setUp();
    addNetworkList(net, [bridge], cniEnv('ADD', 'sb1'));
    const comment = '-m comment --comment "name: \\"containerd-net\\" id: \\"sb1\\""';
    expect(iptablesSave(node.host.netfilter, 0, ['nat']).split('\n').filter((l) => l.startsWith('-A') || l.startsWith(':CNI'))).toEqual([
      ':CNI-806ee881ca0ae426ed11351f - [0:0]',
      `-A POSTROUTING -s 10.244.3.2/32 ${comment} -j CNI-806ee881ca0ae426ed11351f`,
      `-A CNI-806ee881ca0ae426ed11351f -d 10.244.3.0/24 ${comment} -j ACCEPT`,
      `-A CNI-806ee881ca0ae426ed11351f ! -d 224.0.0.0/4 ${comment} -j MASQUERADE`,
    ]);
  });

  it('on DEL deletes the pod end (the host veth goes with it), frees the address and removes the CNI chain and its jump', () => {
    const { node, bridge, pod } = setUp();
    const veth = addNetworkList(net, [bridge], cniEnv('ADD', 'sb1')).interfaces[1].name;
    delNetworkList(net, [bridge], cniEnv('DEL', 'sb1'));
    expect([pod('sb1').interfaces.has('eth0'), node.host.interfaces.has(veth), node.host.device('cni0').ports]).toEqual([false, false, []]);
    expect(iptablesSave(node.host.netfilter, 0, ['nat'])).not.toContain('CNI-');
    expect(addNetworkList(net, [bridge], cniEnv('ADD', 'sb2')).ips[0].address).toBe('10.244.3.3/24'); // round-robin: .2 was just freed
  });
});
