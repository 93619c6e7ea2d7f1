/**
 * Grader suite for exercise `vxlan-encap` (exercises/cni/vxlan-encap.ts).
 *
 * Part by part through encapsulate, on cases after Linux's vxlan driver (vxlan_xmit's FDB lookup
 * and all-zeros default, vxlan_xmit_one's outer header, udp_flow_src_port's source port) and
 * flannel's device (VNI 1, the kernel's port 8472), then a request between two nodes of a
 * cluster whose flannel.1 devices run your decision.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../lab-kernel/api/types';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import { parseIp } from '../../lab-kernel/net/ipv4';
import type { ExchangeResult } from '../../lab-kernel/net/sockets';
import type { VxlanEncapInput, VxlanEncapResult } from '../../lab-kernel/net/vxlan-contract';
import { encapInput, FLANNEL1, NODE2_MAC, NODE3_MAC, OTHER_MAC, SYN, SYN_SPORT } from '../../lab-kernel/net/vxlan-encap.fixture';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const encapsulate = slotUnderTest('vxlan-encap');

const outer = (r: VxlanEncapResult) => ('outer' in r ? r.outer : undefined);
const drop = (r: VxlanEncapResult) => ('drop' in r ? r.drop : undefined);
const ZEROS = '00:00:00:00:00:00';
/** The outer source port of the flow, everything else as in encapInput(). */
const portOf = (packet: Partial<VxlanEncapInput['packet']>, more: Parameters<typeof encapInput>[0] = {}) => outer(encapsulate(encapInput({ ...more, packet })))?.sport;

describe('Part 1: the remote VTEP (the FDB lookup)', () => {
  it("is the outer destination the address of the FDB entry for the packet's destination MAC (node-2's VTEP => 192.168.1.12)?", () => {
    expect(outer(encapsulate(encapInput()))?.dst).toBe('192.168.1.12');
  });

  it('does a packet to the same pod IP but framed for node-3\'s VTEP MAC go to node-3 (the MAC decides, not the inner address)?', () => {
    expect(outer(encapsulate(encapInput({ packet: { dstMac: NODE3_MAC } })))?.dst).toBe('192.168.1.13');
  });

  it('does a MAC without an entry of its own go to the all-zeros default entry?', () => {
    const fdb = [{ mac: NODE2_MAC, dst: '192.168.1.12' }, { mac: ZEROS, dst: '192.168.1.99' }];
    expect(outer(encapsulate(encapInput({ packet: { dstMac: OTHER_MAC }, fdb })))?.dst).toBe('192.168.1.99');
  });

  it('does an exact entry win over the all-zeros default, wherever the default is listed?', () => {
    const fdb = [{ mac: ZEROS, dst: '192.168.1.99' }, { mac: NODE2_MAC, dst: '192.168.1.12' }];
    expect(outer(encapsulate(encapInput({ fdb })))?.dst).toBe('192.168.1.12');
  });
});

describe('Part 2: the outer source port (udp_flow_src_port)', () => {
  it(`is the flow 10.244.1.2:43512 > 10.244.2.3:80 tcp given the port the kernel's formula makes of its hash (${SYN_SPORT})?`, () => {
    expect(portOf({})).toBe(SYN_SPORT);
  });

  it('does one flow always get one port, and another flow (another source port, another pod) another one?', () => {
    expect(portOf({})).toBe(portOf({}));
    expect(portOf({ sport: 43513 })).toBe(53312);
    expect(portOf({ dst: '10.244.2.4' })).not.toBe(portOf({}));
  });

  it('does the port depend on the flow only: the same with another VTEP, device port or VNI?', () => {
    expect(portOf({ dstMac: NODE3_MAC })).toBe(SYN_SPORT);
    expect(portOf({}, { device: { dstport: 4789, vni: 7 } })).toBe(SYN_SPORT);
  });

  it('do 500 flows spread over the local port range, never leaving 32768-60998?', () => {
    const ports = Array.from({ length: 500 }, (_, i) => portOf({ sport: 32768 + i * 7, proto: i % 2 === 0 ? 'tcp' : 'udp' })!);
    expect(Math.min(...ports)).toBeGreaterThanOrEqual(32768);
    expect(Math.max(...ports)).toBeLessThanOrEqual(60998);
    expect(new Set(ports).size).toBeGreaterThan(400);
    expect(ports.filter((p) => p < 46883).length).toBeGreaterThan(150);
    expect(ports.filter((p) => p >= 46883).length).toBeGreaterThan(150);
  });
});

describe('Part 3: the outer header, or the drop', () => {
  it("is the whole outer header flannel.1's: from the node's address 192.168.1.11 to the VTEP, UDP to 8472, VNI 1?", () => {
    expect(encapsulate(encapInput())).toEqual({ outer: { src: '192.168.1.11', dst: '192.168.1.12', sport: SYN_SPORT, dport: 8472, vni: 1 } });
  });

  it("is the outer source the device's local address, never the pod's (from another pod on the node too)?", () => {
    expect(outer(encapsulate(encapInput({ packet: { src: '10.244.1.7' } })))?.src).toBe('192.168.1.11');
    expect(outer(encapsulate(encapInput({ device: { local: '10.0.0.5' } })))?.src).toBe('10.0.0.5');
  });

  it("are the destination port and the VNI the device's (a device made with IANA's port 4789 and VNI 42)?", () => {
    expect(outer(encapsulate(encapInput({ device: { dstport: 4789, vni: 42 } })))).toMatchObject({ dport: 4789, vni: 42 });
    expect(outer(encapsulate(encapInput({ device: { vni: 0 } })))?.vni).toBe(0);
  });

  it("with no entry for the MAC and no default, is the packet dropped, saying 'no FDB entry for <mac> on flannel.1'?", () => {
    expect(encapsulate(encapInput({ packet: { dstMac: OTHER_MAC } }))).toEqual({ drop: `no FDB entry for ${OTHER_MAC} on flannel.1` });
  });

  it('with an empty FDB, is every packet dropped, the reason naming the device?', () => {
    expect(drop(encapsulate({ packet: SYN, device: { ...FLANNEL1, name: 'vxlan0' }, fdb: [] }))).toBe(`no FDB entry for ${NODE2_MAC} on vxlan0`);
  });
});

describe('Part 4: two nodes whose flannel.1 runs your decision', () => {
  it('does a request from a pod on node-1 reach nginx on node-2, wrapped from 192.168.1.11 to 192.168.1.12:8472 with VNI 1 across the LAN?', () => {
    const cluster = createCluster({ seed: SEED, podNetwork: 'vxlan', use: { 'vxlan-encap': SOURCE } });
    const pod = (name: string, node: string, image: string, command = '') =>
      `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name} }\nspec:\n  nodeName: ${node}\n  containers: [{ name: main, image: ${image}${command} }]\n`;
    cluster.apply(pod('web', 'node-2', 'nginx:1.27'));
    cluster.apply(pod('client', 'node-1', 'busybox:1.36', ', command: [sleep, infinity]'));
    const pods = () => cluster.kubectl.getObjects<Pod>('pods');
    expect(cluster.runUntil(() => pods().filter((p) => p.status?.phase === 'Running').length === 2, 60_000), 'the pods did not start').toBe(true);
    const ip = (name: string) => pods().find((p) => p.metadata.name === name)!.status!.podIP!;
    const from = [...cluster.network.net.namespaces.values()].find((ns) => !ns.root && ns.isLocal(parseIp(ip('client'))))!;
    let r: ExchangeResult | undefined;
    cluster.network.net.request(from, { proto: 'tcp', dst: ip('web'), port: 80, payload: { method: 'GET', path: '/' } }, (x) => (r = x));
    cluster.runUntil(() => r !== undefined, 5_000);
    const drops = r!.trace.lines().filter((l) => l.includes(' drop: '));
    expect(r!.outcome, `the request was dropped: ${drops.join('; ')}`).toBe('response');
    expect(r!.trace.tcpdump('eth0', 'node-2', false)[0]).toMatch(/^IP 192\.168\.1\.11\.\d+ > 192\.168\.1\.12\.8472: OTV, flags \[I\] \(0x08\), overlay 0, instance 1$/);
    expect(cluster.kubectl.exec('client', ['wget', '-qO-', `http://${ip('web')}/`])).toBe('<title>Welcome to nginx!</title>\n');
  });
});
