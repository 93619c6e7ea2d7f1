import { describe, expect, it } from 'vitest';
import { allocate } from '../../solutions/cni/host-local';
import type { CniEnv, HostLocalIpamConfig } from './cni';
import { HostLocalIpam } from './host-local-ipam';

const env = (id: string): CniEnv => ({ CNI_COMMAND: 'ADD', CNI_CONTAINERID: id, CNI_NETNS: `/var/run/netns/${id}`, CNI_IFNAME: 'eth0', CNI_ARGS: '', CNI_PATH: '/opt/cni/bin' });
const ipam = (subnet: string): { name: string; ipam: HostLocalIpamConfig } => ({ name: 'containerd-net', ipam: { type: 'host-local', ranges: [[{ subnet }]], routes: [{ dst: '0.0.0.0/0' }] } });

describe('host-local IPAM', () => {
  it('hands out the pod CIDR in order from .2, the gateway .1 skipped, with the prefix and the gateway', () => {
    const plugin = new HostLocalIpam(allocate);
    const config = ipam('10.244.1.0/24');
    expect(plugin.add(env('a'), config)).toEqual({ ips: [{ address: '10.244.1.2/24', gateway: '10.244.1.1' }], routes: [{ dst: '0.0.0.0/0' }] });
    expect(['b', 'c'].map((id) => plugin.add(env(id), config).ips[0].address)).toEqual(['10.244.1.3/24', '10.244.1.4/24']);
    expect(plugin.allocations('containerd-net').map((a) => `${a.ip} ${a.containerId}`)).toEqual(['10.244.1.2 a', '10.244.1.3 b', '10.244.1.4 c']);
  });

  it('frees an address on DEL, and hands it out again only after the rest of the range (round-robin)', () => {
    const plugin = new HostLocalIpam(allocate);
    const config = ipam('10.0.0.0/29'); // .1 gateway, .2 to .6 for pods
    for (const id of ['a', 'b', 'c']) plugin.add(env(id), config);
    plugin.del(env('a'), config);
    expect(plugin.allocations('containerd-net').map((a) => a.ip)).toEqual(['10.0.0.3', '10.0.0.4']);
    expect(['d', 'e', 'f'].map((id) => plugin.add(env(id), config).ips[0].address)).toEqual(['10.0.0.5/29', '10.0.0.6/29', '10.0.0.2/29']);
  });

  it('fails with host-local\'s message when the range is full, and takes nothing', () => {
    const plugin = new HostLocalIpam(allocate);
    const config = ipam('10.0.0.0/29');
    for (const id of ['a', 'b', 'c', 'd', 'e']) plugin.add(env(id), config);
    expect(() => plugin.add(env('f'), config)).toThrow('failed to allocate for range 0: no IP addresses available in range set: 10.0.0.1-10.0.0.6');
    expect(plugin.allocations('containerd-net')).toHaveLength(5);
  });

  it('refuses a second address for the same container and interface', () => {
    const plugin = new HostLocalIpam(allocate);
    const config = ipam('10.244.0.0/24');
    plugin.add(env('a'), config);
    expect(() => plugin.add(env('a'), config)).toThrow('failed to allocate for range 0: 10.244.0.2 has been allocated to a, duplicate allocation is not allowed');
  });

  it('refuses a network too small to allocate from', () => {
    expect(() => new HostLocalIpam(allocate).add(env('a'), ipam('10.0.0.0/31'))).toThrow('Network 10.0.0.0/31 too small to allocate from');
  });
});
