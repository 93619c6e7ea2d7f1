import { describe, expect, it } from 'vitest';
import { encapsulate } from '../../solutions/cni/vxlan-encap';
import { encapInput, OTHER_MAC, SYN_SPORT } from './vxlan-encap.fixture';

/** The reference decision (exercise vxlan-encap) on the cases the fidelity table names; the grader's suite has the rest. */
describe("a vxlan device's encapsulation decision", () => {
  it("wraps flannel.1's packet from the node's address to the VTEP of its MAC, UDP to port 8472 with VNI 1", () => {
    expect(encapsulate(encapInput())).toEqual({ outer: { src: '192.168.1.11', dst: '192.168.1.12', sport: SYN_SPORT, dport: 8472, vni: 1 } });
  });

  it('drops a packet whose destination MAC has no FDB entry (and no all-zeros default), saying so', () => {
    expect(encapsulate(encapInput({ packet: { dstMac: OTHER_MAC } }))).toEqual({ drop: `no FDB entry for ${OTHER_MAC} on flannel.1` });
  });

  it('sends a MAC without an entry of its own to the all-zeros default entry', () => {
    const fdb = [{ mac: '00:00:00:00:00:00', dst: '192.168.1.99' }];
    expect(encapsulate(encapInput({ packet: { dstMac: OTHER_MAC }, fdb }))).toMatchObject({ outer: { dst: '192.168.1.99' } });
  });

  it("derives the source port from the inner flow, as udp_flow_src_port does: the same flow the same port, within 32768-60998", () => {
    const port = (sport: number) => {
      const r = encapsulate(encapInput({ packet: { sport } }));
      return 'outer' in r ? r.outer.sport : -1;
    };
    const ports = Array.from({ length: 200 }, (_, i) => port(40000 + i));
    expect(port(43512)).toBe(port(43512));
    expect(Math.min(...ports)).toBeGreaterThanOrEqual(32768);
    expect(Math.max(...ports)).toBeLessThanOrEqual(60998);
    expect(new Set(ports).size).toBeGreaterThan(150);
  });
});
