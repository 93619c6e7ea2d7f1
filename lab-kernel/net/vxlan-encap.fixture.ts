import type { FdbEntry, InnerPacket, VxlanDeviceInfo, VxlanEncapInput } from './vxlan-contract';

/**
 * Cases for the vxlan-encap decision, shared by the reference's kernel test (vxlan-encap.test.ts)
 * and the grader's suite: node-1's flannel.1 as flanneld makes it, node-2's and node-3's VTEPs
 * in its FDB, and a pod's packet to node-2.
 *
 *   encapInput()                                 // => the TCP SYN 10.244.1.2:43512 > 10.244.2.3:80 to node-2's VTEP MAC
 *   encapInput({ packet: { dstMac: OTHER_MAC } }) // => the same, to a MAC the FDB does not hold
 */
export const FLANNEL1: VxlanDeviceInfo = { name: 'flannel.1', vni: 1, local: '192.168.1.11', dstport: 8472 };
export const NODE2_MAC = '5a:0e:36:b1:7c:02';
export const NODE3_MAC = '9e:41:d7:05:aa:03';
export const OTHER_MAC = '4e:11:22:33:44:55';
export const FDB: FdbEntry[] = [
  { mac: NODE2_MAC, dst: '192.168.1.12' },
  { mac: NODE3_MAC, dst: '192.168.1.13' },
];
export const SYN: InnerPacket = { src: '10.244.1.2', dst: '10.244.2.3', proto: 'tcp', sport: 43512, dport: 80, dstMac: NODE2_MAC };
/** The source port udp_flow_src_port gives SYN's flow (flowHash 1891471428). */
export const SYN_SPORT = 57577;

export function encapInput(more: { packet?: Partial<InnerPacket>; device?: Partial<VxlanDeviceInfo>; fdb?: FdbEntry[] } = {}): VxlanEncapInput {
  return { packet: { ...SYN, ...more.packet }, device: { ...FLANNEL1, ...more.device }, fdb: more.fdb ?? FDB };
}
