import { describe, expect, it } from 'vitest';
import { parseRuleSpec, tokenize } from './rule-parse';

const KNOWN = new Set(['KUBE-SVC-ABC', 'KUBE-MARK-MASQ']);
/** A rule spec as iptables would store and print it again (`iptables -S`). */
const roundTrip = (spec: string) => parseRuleSpec(tokenize(spec), (c) => KNOWN.has(c)).text;

describe('reading an iptables rule specification', () => {
  it('splits arguments as a shell does: double quotes group words, backslashes escape', () => {
    expect(tokenize('-m comment --comment "default/web:http cluster IP" -j KUBE-SVC-ABC')).toEqual(['-m', 'comment', '--comment', 'default/web:http cluster IP', '-j', 'KUBE-SVC-ABC']);
    expect(tokenize('--comment a\\ b')).toEqual(['--comment', 'a b']);
  });

  it.each([
    ['-s 10.244.0.0/16 ! -o cni0 -j MASQUERADE', '-s 10.244.0.0/16 ! -o cni0 -j MASQUERADE'],
    ['-p tcp --dport 80 -j ACCEPT', '-p tcp -m tcp --dport 80 -j ACCEPT'],
    ['-d 10.96.0.10 -p udp --dport 53 -j KUBE-SVC-ABC', '-d 10.96.0.10/32 -p udp -m udp --dport 53 -j KUBE-SVC-ABC'],
    ['-m statistic --mode random --probability 0.5 -j KUBE-SVC-ABC', '-m statistic --mode random --probability 0.50000000000 -j KUBE-SVC-ABC'],
    ['-m mark --mark 0x4000/0x4000 -j MASQUERADE --random-fully', '-m mark --mark 0x4000/0x4000 -j MASQUERADE --random-fully'],
    ['-j MARK --or-mark 0x4000', '-j MARK --set-xmark 0x4000/0x4000'],
  ])('reads %s back as iptables prints it: %s', (spec, printed) => {
    expect(roundTrip(spec)).toBe(printed);
  });

  it("refuses a jump to a chain that does not exist, and a port without a protocol, with iptables' messages", () => {
    expect(() => roundTrip('-j KUBE-SVC-NOPE')).toThrow("Couldn't load target `KUBE-SVC-NOPE':No such file or directory");
    expect(() => roundTrip('--dport 53 -j ACCEPT')).toThrow('unknown option "--dport"');
  });
});

describe('-m recent (the session affinity kube-proxy writes)', () => {
  it('reads --set and --rcheck --seconds --reap back in libxt_recent\'s save order', () => {
    expect(roundTrip('-m recent --name KUBE-SEP-A --set -j KUBE-SVC-ABC')).toBe('-m recent --set --name KUBE-SEP-A --mask 255.255.255.255 --rsource -j KUBE-SVC-ABC');
    expect(roundTrip('-m recent --name KUBE-SEP-A --rcheck --seconds 10800 --reap -j KUBE-SVC-ABC')).toBe('-m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-A --mask 255.255.255.255 --rsource -j KUBE-SVC-ABC');
  });
});
