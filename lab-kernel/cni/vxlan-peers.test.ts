import { describe, expect, it } from 'vitest';
import type { Node } from '../api/types';
import { flannelAnnotations, vxlanPeer } from './vxlan-peers';

const node = (name: string, annotations?: Record<string, string>, podCIDR = '10.244.2.0/24'): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, ...(annotations === undefined ? {} : { annotations }) },
  spec: { podCIDR },
  status: { addresses: [{ type: 'InternalIP', address: '192.168.1.12' }] },
});

describe("flannel's vxlan backend decisions", () => {
  it('publishes the VTEP in the Node annotations flannel.alpha.coreos.com/backend-data ({"VNI":1,"VtepMAC":...}), backend-type, kube-subnet-manager and public-ip', () => {
    expect(flannelAnnotations('5a:0e:36:b1:7c:02', '192.168.1.12')).toEqual({
      'flannel.alpha.coreos.com/backend-data': '{"VNI":1,"VtepMAC":"5a:0e:36:b1:7c:02"}',
      'flannel.alpha.coreos.com/backend-type': 'vxlan',
      'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
      'flannel.alpha.coreos.com/public-ip': '192.168.1.12',
    });
  });

  it("keeps for another node a route to its pod CIDR via its subnet's .0 onlink on flannel.1, a permanent neighbour for that .0 and an FDB entry to its public IP", () => {
    expect(vxlanPeer('node-1', node('node-2', flannelAnnotations('5a:0e:36:b1:7c:02', '192.168.1.12')))).toEqual({
      route: { dst: '10.244.2.0/24', via: '10.244.2.0', dev: 'flannel.1', onlink: true },
      neighbour: { ip: '10.244.2.0', mac: '5a:0e:36:b1:7c:02' },
      fdb: { mac: '5a:0e:36:b1:7c:02', dst: '192.168.1.12' },
    });
  });

  it('keeps nothing for itself, a Node without the annotations, another backend or broken backend-data', () => {
    const a = flannelAnnotations('5a:0e:36:b1:7c:02', '192.168.1.12');
    expect(vxlanPeer('node-2', node('node-2', a))).toBeUndefined();
    expect(vxlanPeer('node-1', node('node-2'))).toBeUndefined();
    expect(vxlanPeer('node-1', node('node-2', { ...a, 'flannel.alpha.coreos.com/backend-type': 'host-gw' }))).toBeUndefined();
    expect(vxlanPeer('node-1', node('node-2', { ...a, 'flannel.alpha.coreos.com/backend-data': 'null' }))).toBeUndefined();
  });
});
