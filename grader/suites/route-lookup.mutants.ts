import type { Mutant } from '../mutants';

/** Realistic wrong routing decisions: each must fail grader/suites/route-lookup.test.ts (npm run mutants -- route-lookup). */
const file = 'net/route-lookup.ts';
const HOLDS = 'if (((dst & r.cidr.mask) >>> 0) !== r.cidr.ip) continue;';
const BETTER = 'if (best === undefined || r.cidr.len > best.cidr.len || (r.cidr.len === best.cidr.len && r.metric < best.metric)) best = r;';

export const MUTANTS: Mutant[] = [
  {
    name: 'takes the first route that holds the address instead of the longest prefix',
    file,
    find: BETTER,
    replace: 'if (best === undefined) best = r;',
  },
  {
    name: 'takes the shortest prefix',
    file,
    find: 'r.cidr.len > best.cidr.len ||',
    replace: 'r.cidr.len < best.cidr.len ||',
  },
  {
    name: 'ignores the metric: the first of two equal prefixes wins',
    file,
    find: ' || (r.cidr.len === best.cidr.len && r.metric < best.metric)',
    replace: '',
  },
  {
    name: 'prefers the highest metric',
    file,
    find: 'r.metric < best.metric',
    replace: 'r.metric > best.metric',
  },
  {
    name: 'compares lengths with >= : the last of two equal prefixes wins, whatever its metric',
    file,
    find: BETTER,
    replace: 'if (best === undefined || r.cidr.len >= best.cidr.len) best = r;',
  },
  {
    name: 'builds the netmask one bit too long (0xffffffff << (31 - len)): prefix + 1 bits compared',
    file,
    find: HOLDS,
    replace: 'if (((dst & (0xffffffff << (31 - r.cidr.len))) >>> 0) !== r.cidr.ip) continue;',
  },
  {
    name: 'builds the netmask as 0xffffffff << (32 - len): for /0 a shift by 32 shifts by 0, so the default route holds nothing',
    file,
    find: HOLDS,
    replace: 'if (((dst & (0xffffffff << (32 - r.cidr.len))) >>> 0) !== r.cidr.ip) continue;',
  },
  {
    name: 'skips the default route (0.0.0.0/0) as if it were no prefix at all',
    file,
    find: HOLDS,
    replace: 'if (r.cidr.len === 0 || ((dst & r.cidr.mask) >>> 0) !== r.cidr.ip) continue;',
  },
  {
    name: "compares addresses as text: 10.244.12.7 starts with 10.244.1, so 10.244.1.0/24 holds it",
    file,
    find: HOLDS,
    replace:
      "const text = (ip: number) => [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');\n" +
      "    if (!text(dst).startsWith(text(r.cidr.ip).split('.').slice(0, Math.ceil(r.cidr.len / 8)).join('.'))) continue;",
  },
  {
    name: 'returns a new object instead of the route (its gateway and source left out)',
    file,
    find: '  return best;\n',
    replace: "  return best === undefined ? undefined : ({ cidr: best.cidr, dev: best.dev, metric: best.metric, text: best.text } as Route);\n",
  },
  {
    name: "routes its own pod CIDR too (its own node included)",
    file,
    find: '    if (node.metadata.name === self) continue;\n',
    replace: '',
  },
  {
    name: 'forgets to skip a node without a pod CIDR',
    file,
    find: "if (podCIDR === undefined || podCIDR === '' || ip === undefined) continue;",
    replace: 'if (ip === undefined) continue;',
  },
  {
    name: 'forgets to skip a node without an InternalIP',
    file,
    find: "if (podCIDR === undefined || podCIDR === '' || ip === undefined) continue;",
    replace: "if (podCIDR === undefined || podCIDR === '') continue;",
  },
  {
    name: "routes via the other node's pod CIDR .1 (its cni0) instead of its InternalIP",
    file,
    find: 'routes.push({ dst: podCIDR, via: ip, dev: EXTERNAL_INTERFACE });',
    replace: "routes.push({ dst: podCIDR, via: podCIDR.replace(/\\.0\\/\\d+$/, '.1'), dev: EXTERNAL_INTERFACE });",
  },
  {
    name: "takes the Node's first address, whatever its type",
    file,
    find: "node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address",
    replace: 'node.status?.addresses?.[0]?.address',
  },
  {
    name: 'routes out of cni0 instead of eth0',
    file,
    find: 'routes.push({ dst: podCIDR, via: ip, dev: EXTERNAL_INTERFACE });',
    replace: "routes.push({ dst: podCIDR, via: ip, dev: 'cni0' });",
  },
];
