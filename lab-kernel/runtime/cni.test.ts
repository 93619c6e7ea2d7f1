import { describe, expect, it } from 'vitest';
import { allocate } from '../../solutions/cni/host-local';
import { Rng } from '../sim/rng';
import { addNetworkList, delNetworkList, podCniArgs, type CniPlugin, type CniResult, type PluginInput } from './cni';
import { BridgePlugin, containerdNetwork } from './cni-bridge';
import { cniEnv, cniNode } from './cni.fixture';
import { HostLocalIpam } from './host-local-ipam';


describe('CNI: a network list run as a runtime runs it', () => {
  it('runs ADD in order, handing each plugin the previous result, and DEL in reverse', () => {
    const calls: string[] = [];
    const recorder: CniPlugin = {
      type: 'bridge',
      add: (_env, input: PluginInput) => {
        calls.push(`ADD ${input.bridge} ${input.name} ${input.cniVersion} prev=${input.prevResult?.interfaces[0].name ?? 'none'}`);
        return { cniVersion: '1.0.0', interfaces: [{ name: input.bridge, mac: '02:00:00:00:00:01' }], ips: [], routes: [], dns: {} } satisfies CniResult;
      },
      del: (_env, input) => void calls.push(`DEL ${input.bridge}`),
    };
    const two = { ...containerdNetwork('10.0.0.0/24'), plugins: [{ ...containerdNetwork('10.0.0.0/24').plugins[0], bridge: 'first' }, { ...containerdNetwork('10.0.0.0/24').plugins[0], bridge: 'second' }] };
    expect(addNetworkList(two, [recorder], cniEnv('ADD', 'sb1')).interfaces[0].name).toBe('second');
    delNetworkList(two, [recorder], cniEnv('DEL', 'sb1'));
    expect(calls).toEqual(['ADD first containerd-net 1.0.0 prev=none', 'ADD second containerd-net 1.0.0 prev=first', 'DEL second', 'DEL first']);
  });

  it("names the failing plugin as libcni does when the range is full", () => {
    const bridge = new BridgePlugin(new HostLocalIpam(allocate), new Rng(1), cniNode('sb1', 'sb2'));
    const net = containerdNetwork('10.0.0.0/30'); // one pod address: .2
    addNetworkList(net, [bridge], cniEnv('ADD', 'sb1'));
    expect(() => addNetworkList(net, [bridge], cniEnv('ADD', 'sb2'))).toThrow(
      'plugin type="bridge" name="containerd-net" failed (add): failed to allocate for range 0: no IP addresses available in range set: 10.0.0.1-10.0.0.2',
    );
  });

  it('passes the pod to the plugins in CNI_ARGS, as containerd does', () => {
    expect(podCniArgs('default', 'web', 'sb1', 'a1b2')).toBe('IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web;K8S_POD_INFRA_CONTAINER_ID=sb1;K8S_POD_UID=a1b2');
  });
});
