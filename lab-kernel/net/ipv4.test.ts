import { describe, expect, it } from 'vitest';
import { cidrContains, cidrsOverlap, formatCidr, formatIp, isIp, longestPrefixMatch, parseCidr, parseIp } from './ipv4';

describe('IPv4 addresses and prefixes', () => {
  it.each([
    ['0.0.0.0', 0],
    ['10.0.0.1', 167772161],
    ['10.244.1.2', 183763202],
    ['255.255.255.255', 4294967295],
  ])('parses %s and formats it back', (text, value) => {
    expect(parseIp(text)).toBe(value);
    expect(formatIp(value)).toBe(text);
  });

  it.each(['10.0.0', '10.0.0.256', '10.0.0.-1', 'a.b.c.d', '10.0.0.1.2'])('refuses %s', (text) => {
    expect(() => parseIp(text)).toThrow(`invalid IPv4 address "${text}"`);
    expect(isIp(text)).toBe(false);
  });

  it.each([
    ['10.244.1.7/24', '10.244.1.0/24'],
    ['10.244.1.7', '10.244.1.7/32'],
    ['default', '0.0.0.0/0'],
    ['192.168.255.1/16', '192.168.0.0/16'],
  ])('reads the prefix %s as %s (host bits cleared)', (text, canonical) => {
    expect(formatCidr(parseCidr(text))).toBe(canonical);
  });

  it('refuses a prefix length over 32', () => {
    expect(() => parseCidr('10.0.0.0/33')).toThrow('invalid prefix "10.0.0.0/33"');
  });

  it.each([
    ['10.244.0.0/16', '10.244.3.9', true],
    ['10.244.0.0/16', '10.245.0.1', false],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['10.96.0.10/32', '10.96.0.10', true],
    ['10.96.0.10/32', '10.96.0.11', false],
  ])('does %s contain %s? %s', (cidr, ip, expected) => {
    expect(cidrContains(parseCidr(cidr), parseIp(ip))).toBe(expected);
  });

  it('tells overlapping prefixes from disjoint ones', () => {
    expect(cidrsOverlap(parseCidr('10.244.0.0/16'), parseCidr('10.244.1.0/24'))).toBe(true);
    expect(cidrsOverlap(parseCidr('10.244.1.0/24'), parseCidr('10.244.2.0/24'))).toBe(false);
  });

  it.each([
    ['10.244.1.5', '10.244.1.0/24'],
    ['10.244.2.5', '10.244.0.0/16'],
    ['8.8.8.8', '0.0.0.0/0'],
  ])('picks the longest prefix holding %s: %s', (ip, expected) => {
    const routes = ['0.0.0.0/0', '10.244.0.0/16', '10.244.1.0/24'].map((c) => ({ cidr: parseCidr(c) }));
    expect(formatCidr(longestPrefixMatch(routes, parseIp(ip))!.cidr)).toBe(expected);
  });

  it('finds nothing when no prefix holds the address', () => {
    expect(longestPrefixMatch([{ cidr: parseCidr('10.0.0.0/8') }], parseIp('192.168.0.1'))).toBeUndefined();
  });
});
