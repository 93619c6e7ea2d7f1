import { describe, expect, it } from 'vitest';
import { allocate } from '../../solutions/cni/host-local';
import { Rng } from '../sim/rng';
import { addNetworkList, delNetworkList } from './cni';
import { BridgePlugin, containerdNetwork } from './cni-bridge';
import { cniEnv } from './cni.fixture';
import { HostLocalIpam } from './host-local-ipam';


describe('the bridge CNI plugin over host-local', () => {
  it('answers a 1.0.0 Result: the bridge, the host veth, eth0 in the pod netns holding the address, the routes', () => {
    const ipam = new HostLocalIpam(allocate);
    const result = addNetworkList(containerdNetwork('10.244.0.0/24'), [new BridgePlugin(ipam, new Rng(1))], cniEnv('ADD', 'sb1'));
    expect(result.cniVersion).toBe('1.0.0');
    expect(result.interfaces.map((i) => [i.name.replace(/^veth[0-9a-f]{8}$/, 'veth*'), i.sandbox])).toEqual([['cni0', undefined], ['veth*', undefined], ['eth0', '/var/run/netns/cni-sb1']]);
    expect(result.interfaces.every((i) => /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(i.mac))).toBe(true);
    expect(result.ips).toEqual([{ interface: 2, address: '10.244.0.2/24', gateway: '10.244.0.1' }]);
    expect(result.routes).toEqual([{ dst: '0.0.0.0/0' }]);
  });

  it('gives the bridge the gateway address and keeps one veth per pod until DEL', () => {
    const bridge = new BridgePlugin(new HostLocalIpam(allocate), new Rng(1));
    const net = containerdNetwork('10.244.3.0/24');
    addNetworkList(net, [bridge], cniEnv('ADD', 'sb1'));
    addNetworkList(net, [bridge], cniEnv('ADD', 'sb2'));
    expect(bridge.links().bridge.address).toBe('10.244.3.1/24');
    expect(bridge.links().veths.map((v) => [v.containerId, v.peer.address])).toEqual([['sb1', '10.244.3.2/24'], ['sb2', '10.244.3.3/24']]);
    delNetworkList(net, [bridge], cniEnv('DEL', 'sb1'));
    expect(bridge.links().veths.map((v) => v.containerId)).toEqual(['sb2']);
  });
});
