/**
 * IPv4 addresses and prefixes. Addresses are unsigned 32-bit numbers inside the network (fast to
 * compare and mask, no allocation per packet) and dotted quads at its edges:
 *
 *   parseIp('10.244.1.2')                               // => 183763202
 *   formatIp(183763202)                                 // => '10.244.1.2'
 *   parseCidr('10.244.1.7/24')                          // => { ip: 10.244.1.0, len: 24, mask: 0xffffff00 } (host bits cleared)
 *   cidrContains(parseCidr('10.244.0.0/16'), parseIp('10.244.3.9'))   // => true
 *   longestPrefixMatch([{ cidr: '0.0.0.0/0' }, { cidr: '10.244.1.0/24' }], '10.244.1.5') // => the /24
 */
export type Ip = number;

export interface Cidr {
  /** The network address (host bits cleared). */
  readonly ip: Ip;
  /** The prefix length, 0..32. */
  readonly len: number;
  readonly mask: number;
}

/** '10.0.0.1' => 167772161; throws on anything that is not four decimal octets. */
export function parseIp(text: string): Ip {
  const parts = text.split('.');
  if (parts.length !== 4) throw new Error(`invalid IPv4 address "${text}"`);
  let ip = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) throw new Error(`invalid IPv4 address "${text}"`);
    ip = ip * 256 + Number(part);
  }
  return ip;
}

/** 167772161 => '10.0.0.1'. */
export function formatIp(ip: Ip): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** Whether text is a dotted quad: '10.0.0.1' => true, '10.0.0' => false. */
export function isIp(text: string): boolean {
  return /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(text) && text.split('.').every((p) => Number(p) <= 255);
}

/** The netmask of a prefix length: 24 => 0xffffff00 (as an unsigned number). */
export function maskOf(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** '10.244.1.7/24' => 10.244.1.0/24; 'default' => 0.0.0.0/0; a bare address is a /32. */
export function parseCidr(text: string): Cidr {
  if (text === 'default') return { ip: 0, len: 0, mask: 0 };
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  const lenText = slash < 0 ? '32' : text.slice(slash + 1);
  const len = Number(lenText);
  if (!/^\d{1,2}$/.test(lenText) || len > 32) throw new Error(`invalid prefix "${text}"`);
  const mask = maskOf(len);
  return { ip: (ip & mask) >>> 0, len, mask };
}

/** 10.244.1.0/24 => '10.244.1.0/24'. */
export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr.ip)}/${cidr.len}`;
}

/** Whether the prefix holds the address: (10.244.0.0/16, 10.244.3.9) => true. */
export function cidrContains(cidr: Cidr, ip: Ip): boolean {
  return ((ip & cidr.mask) >>> 0) === cidr.ip;
}

/** Whether two prefixes share any address: (10.244.0.0/16, 10.244.1.0/24) => true. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b.ip) || cidrContains(b, a.ip);
}

/**
 * The item whose prefix is the longest one holding the address (ties: the first listed), or
 * undefined: ([0.0.0.0/0, 10.244.1.0/24], 10.244.1.5) => the /24; ([10.0.0.0/8], 192.168.0.1) => undefined.
 */
export function longestPrefixMatch<T extends { readonly cidr: Cidr }>(items: readonly T[], ip: Ip): T | undefined {
  let best: T | undefined;
  for (const item of items) {
    if (cidrContains(item.cidr, ip) && (best === undefined || item.cidr.len > best.cidr.len)) best = item;
  }
  return best;
}
