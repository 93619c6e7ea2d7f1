import type { Mutant } from '../mutants';

/** Realistic wrong host-local allocators: each must fail grader/suites/host-local-ipam.test.ts (npm run mutants -- host-local-ipam). */
const file = 'cni/host-local.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'starts the search at the last reserved address instead of after it',
    file,
    find: 'return [...all.slice(at + 1), ...all.slice(0, at + 1)];',
    replace: 'return [...all.slice(Math.max(at, 0)), ...all.slice(0, Math.max(at, 0))];',
  },
  {
    name: 'always searches from the start (lowest free address), not round-robin',
    file,
    find: 'const at = lastReserved === undefined ? -1 : all.indexOf(lastReserved);',
    replace: 'const at = -1;',
  },
  {
    name: 'does not wrap around: after the last reserved address, only the rest of the range',
    file,
    find: 'return [...all.slice(at + 1), ...all.slice(0, at + 1)];',
    replace: 'return at === all.length - 1 ? all : all.slice(at + 1);',
  },
  {
    name: 'hands out the gateway',
    file,
    find: 'if (!gateways.has(ip) && !taken.has(ip)) return { ip };',
    replace: 'if (!taken.has(ip)) return { ip };',
  },
  {
    name: 'skips only the first range\'s gateway',
    file,
    find: 'const gateways = new Set(input.ranges.map((r) => r.gateway));',
    replace: 'const gateways = new Set([input.ranges[0].gateway]);',
  },
  {
    name: 'excludes the range\'s end (an off-by-one on the last address)',
    file,
    find: 'n <= ipToNumber(r.rangeEnd); n++',
    replace: 'n < ipToNumber(r.rangeEnd); n++',
  },
  {
    name: 'searches only the first range of a set',
    file,
    find: 'for (const r of ranges) {',
    replace: 'for (const r of ranges.slice(0, 1)) {',
  },
  {
    name: 'returns the address already held instead of refusing a duplicate ADD',
    file,
    find: 'if (held !== undefined) throw new Error(`${held} has been allocated to ${input.containerId}, duplicate allocation is not allowed`);',
    replace: 'if (held !== undefined) return { ip: held };',
  },
  {
    name: 'checks duplicates by container ID only, ignoring the interface',
    file,
    find: 'r.containerId === input.containerId && r.ifname === input.ifname && inRanges(input.ranges, r.ip)',
    replace: 'r.containerId === input.containerId && inRanges(input.ranges, r.ip)',
  },
  {
    name: 'counts an address in another network as a duplicate',
    file,
    find: 'r.containerId === input.containerId && r.ifname === input.ifname && inRanges(input.ranges, r.ip)',
    replace: 'r.containerId === input.containerId && r.ifname === input.ifname',
  },
  {
    name: 'names only the first range in the exhaustion error',
    file,
    find: "input.ranges.map((r) => `${r.rangeStart}-${r.rangeEnd}`).join(',')",
    replace: '`${input.ranges[0].rangeStart}-${input.ranges[0].rangeEnd}`',
  },
  {
    name: 'treats the last reserved address as free again',
    file,
    find: 'const taken = new Set(input.reserved.map((r) => r.ip));',
    replace: 'const taken = new Set(input.reserved.filter((r) => r.ip !== input.lastReserved).map((r) => r.ip));',
  },
];
