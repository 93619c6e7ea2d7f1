import type { Mutant } from '../mutants';

/** Realistic wrong VXLAN encapsulations: each must fail grader/suites/vxlan-encap.test.ts (npm run mutants -- vxlan-encap). */
const file = 'cni/vxlan-encap.ts';

export const MUTANTS: Mutant[] = [
  {
    name: "sends to IANA's VXLAN port 4789 instead of the device's dstport (8472 for flannel.1)",
    file,
    find: 'dport: device.dstport,',
    replace: 'dport: 4789,',
  },
  {
    name: "takes the outer source from the inner packet (the pod's IP) instead of the device's local address",
    file,
    find: 'src: device.local,',
    replace: 'src: packet.src,',
  },
  {
    name: 'forgets the FDB miss: sends to the inner destination when no entry names the MAC',
    file,
    find: 'if (vtep === undefined) return { drop: `no FDB entry for ${packet.dstMac} on ${device.name}` };',
    replace: 'if (vtep === undefined) return { outer: { src: device.local, dst: packet.dst, sport: sourcePort(packet), dport: device.dstport, vni: device.vni } };',
  },
  {
    name: "hard-codes flannel's VNI 1 instead of the device's",
    file,
    find: 'vni: device.vni }',
    replace: 'vni: 1 }',
  },
  {
    name: 'uses a constant source port (the start of the range) for every flow',
    file,
    find: 'sport: sourcePort(packet),',
    replace: 'sport: LOCAL_PORT_RANGE.min,',
  },
  {
    name: "copies the inner packet's source port to the outer header",
    file,
    find: 'sport: sourcePort(packet),',
    replace: 'sport: packet.sport,',
  },
  {
    name: 'leaves out the fold of the hash (hash ^= hash << 16)',
    file,
    find: 'const folded = (hash ^ (hash << 16)) >>> 0;',
    replace: 'const folded = hash;',
  },
  {
    name: 'folds in signed 32-bit arithmetic: half the hashes turn negative and the port falls below the range',
    file,
    find: 'const folded = (hash ^ (hash << 16)) >>> 0;',
    replace: 'const folded = hash ^ (hash << 16);',
  },
  {
    name: 'scales with a modulo instead of the kernel\'s multiply-and-shift',
    file,
    find: 'return LOCAL_PORT_RANGE.min + Math.floor((folded * (LOCAL_PORT_RANGE.max - LOCAL_PORT_RANGE.min)) / 2 ** 32);',
    replace: 'return LOCAL_PORT_RANGE.min + (folded % (LOCAL_PORT_RANGE.max - LOCAL_PORT_RANGE.min));',
  },
  {
    name: 'never falls back to the all-zeros default entry',
    file,
    find: 'return fdb.find((e) => e.mac === ALL_ZEROS_MAC)?.dst;',
    replace: 'return undefined;',
  },
  {
    name: 'takes the first entry that is the MAC or the all-zeros default, so a default listed first wins over an exact entry',
    file,
    find: 'const exact = fdb.find((e) => e.mac === mac);',
    replace: 'const exact = fdb.find((e) => e.mac === mac || e.mac === ALL_ZEROS_MAC);',
  },
  {
    name: 'drops without naming the device',
    file,
    find: 'return { drop: `no FDB entry for ${packet.dstMac} on ${device.name}` };',
    replace: 'return { drop: `no FDB entry for ${packet.dstMac}` };',
  },
];
