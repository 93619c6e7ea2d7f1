import { describe, expect, it } from 'vitest';
import type { Node } from '../api/types';
import { hostGwRoute } from './host-gw-routes';

const node = (name: string, podCIDR?: string, ip?: string): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name },
  spec: podCIDR === undefined ? {} : { podCIDR },
  status: ip === undefined ? {} : { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }] },
});

describe("flannel's host-gw route for a node", () => {
  it("routes another node's pod CIDR via its InternalIP out of eth0", () => {
    expect(hostGwRoute('node-1', node('node-2', '10.244.2.0/24', '192.168.1.12'))).toEqual({ dst: '10.244.2.0/24', via: '192.168.1.12', dev: 'eth0' });
  });

  it('does not route its own pod CIDR (it is on cni0), nor a node without a pod CIDR or an InternalIP yet', () => {
    expect(hostGwRoute('node-1', node('node-1', '10.244.1.0/24', '192.168.1.11'))).toBeUndefined();
    expect(hostGwRoute('node-1', node('node-2', undefined, '192.168.1.12'))).toBeUndefined();
    expect(hostGwRoute('node-1', node('node-2', '10.244.2.0/24'))).toBeUndefined();
  });
});
