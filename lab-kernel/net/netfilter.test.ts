import { evaluateTable } from '../../solutions/net/netfilter-eval';
import { describe, expect, it } from 'vitest';
import { Rng } from '../sim/rng';
import { parseIp } from './ipv4';
import { iptablesRestore } from './iptables-restore';
import { Netfilter } from './netfilter';
import { CT, type MatchContext } from './netfilter-rule';
import type { Packet } from './packet';
import { PacketTrace } from './packet-trace';

function udp(dst: string, dport: number, mark = 0): Packet {
  return { id: 1, srcMac: '', dstMac: '', src: parseIp('10.244.1.2'), dst: parseIp(dst), proto: 'udp', sport: 40000, dport, ttl: 64, length: 40, flags: '', icmpType: 0, icmpCode: 0, seq: 0, inner: undefined, mark, payload: undefined };
}

function run(nf: Netfilter, table: 'nat' | 'filter', hook: 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING', pkt: Packet, extra: Partial<MatchContext> = {}) {
  const trace = new PacketTrace();
  const ctx: MatchContext = { pkt, inDev: 'cni0', outDev: 'eth0', ctState: CT.NEW, local: new Set([parseIp('192.168.1.10')]), rng: nf.rng, ...extra };
  const target = nf.evaluate(table, hook, ctx, { trace, at: 0, ns: 'node' }, trace);
  return { target, rules: trace.hops.map((h) => (h.kind === 'rule' ? h.rule : '')), mark: pkt.mark };
}

describe('netfilter: one packet through one table, in iptables order', () => {
  it('jumps to a user chain, comes back on RETURN, and goes on to the next rule', () => {
    const nf = new Netfilter(new Rng(1), evaluateTable);
    nf.newChain('filter', 'CHECK');
    nf.append('filter', 'FORWARD', '-j CHECK');
    nf.append('filter', 'FORWARD', '-p udp --dport 53 -j ACCEPT');
    nf.append('filter', 'CHECK', '-d 10.96.0.0/12 -j RETURN');
    nf.append('filter', 'CHECK', '-j DROP');
    const r = run(nf, 'filter', 'FORWARD', udp('10.96.0.10', 53));
    expect(r.target.t).toBe('ACCEPT');
    expect(r.rules).toEqual(['-A FORWARD -j CHECK', '-A CHECK -d 10.96.0.0/12 -j RETURN', '-A FORWARD -p udp -m udp --dport 53 -j ACCEPT']);
    expect(run(nf, 'filter', 'FORWARD', udp('8.8.8.8', 53)).target.t).toBe('DROP');
  });

  it('returns from a goto to the chain that jumped, not to the one that went', () => {
    const nf = new Netfilter(new Rng(1), evaluateTable);
    for (const c of ['A', 'B']) nf.newChain('filter', c);
    nf.append('filter', 'FORWARD', '-j A');
    nf.append('filter', 'FORWARD', '-j DROP');
    nf.append('filter', 'A', '-g B');
    nf.append('filter', 'A', '-j ACCEPT');
    const r = run(nf, 'filter', 'FORWARD', udp('10.0.0.1', 1));
    expect(r.target.t).toBe('DROP');
    expect(r.rules).toEqual(['-A FORWARD -j A', '-A A -g B', '-A FORWARD -j DROP']);
  });

  it('falls through to the built-in chain policy', () => {
    const nf = new Netfilter(new Rng(1), evaluateTable);
    nf.tables.filter.get('INPUT')!.policy = 'DROP';
    nf.append('filter', 'INPUT', '-p tcp -j ACCEPT');
    const r = run(nf, 'filter', 'INPUT', udp('192.168.1.10', 53));
    expect([r.target.t, r.rules]).toEqual(['DROP', ['policy DROP']]);
  });

  it('marks with MARK and goes on; matches the mark with a mask, and its negation (KUBE-POSTROUTING)', () => {
    const nf = new Netfilter(new Rng(1), evaluateTable);
    nf.newChain('nat', 'KUBE-POSTROUTING');
    nf.append('nat', 'POSTROUTING', '-j KUBE-POSTROUTING');
    nf.append('nat', 'KUBE-POSTROUTING', '-m mark ! --mark 0x4000/0x4000 -j RETURN');
    nf.append('nat', 'KUBE-POSTROUTING', '-j MARK --xor-mark 0x4000');
    nf.append('nat', 'KUBE-POSTROUTING', '-j MASQUERADE --random-fully');
    expect(run(nf, 'nat', 'POSTROUTING', udp('10.0.0.1', 1)).target.t).toBe('ACCEPT');
    const marked = run(nf, 'nat', 'POSTROUTING', udp('10.0.0.1', 1, 0x4001));
    expect([marked.target.t, marked.mark]).toEqual(['MASQUERADE', 0x1]);
    expect(marked.rules[1]).toBe('-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0');
  });

  it.each<[string, Partial<MatchContext>, Packet, boolean]>([
    ['-s 10.244.0.0/16', {}, udp('1.1.1.1', 1), true],
    ['! -s 10.244.0.0/16', {}, udp('1.1.1.1', 1), false],
    ['-i cni0', {}, udp('1.1.1.1', 1), true],
    ['-i veth+', { inDev: 'vethab12' }, udp('1.1.1.1', 1), true],
    ['! -o eth0', {}, udp('1.1.1.1', 1), false],
    ['-p tcp', {}, udp('1.1.1.1', 1), false],
    ['-p udp --sport 40000:40010', {}, udp('1.1.1.1', 1), true],
    ['-p udp ! --dport 53', {}, udp('1.1.1.1', 53), false],
    ['-m comment --comment "kubernetes service portals"', {}, udp('1.1.1.1', 1), true],
    ['-m conntrack --ctstate RELATED,ESTABLISHED', {}, udp('1.1.1.1', 1), false],
    ['-m conntrack --ctstate NEW', {}, udp('1.1.1.1', 1), true],
    ['-m conntrack --ctstate INVALID', { ctState: CT.INVALID }, udp('1.1.1.1', 1), true],
    ['-m addrtype --dst-type LOCAL', {}, udp('192.168.1.10', 30080), true],
    ['-m addrtype --dst-type LOCAL', {}, udp('10.96.0.10', 80), false],
  ])('%s matches? (case %#)', (spec, extra, pkt, expected) => {
    const nf = new Netfilter(new Rng(1), evaluateTable);
    nf.append('filter', 'FORWARD', `${spec} -j DROP`);
    expect(run(nf, 'filter', 'FORWARD', pkt, extra).target.t).toBe(expected ? 'DROP' : 'ACCEPT');
  });

  it('matches -m statistic --probability 0.25 about a quarter of the time, the same draws for the same seed', () => {
    const hits = (seed: number) => {
      const nf = new Netfilter(new Rng(seed), evaluateTable);
      nf.append('filter', 'FORWARD', '-m statistic --mode random --probability 0.25 -j DROP');
      return Array.from({ length: 4000 }, () => run(nf, 'filter', 'FORWARD', udp('1.1.1.1', 1)).target.t === 'DROP');
    };
    const a = hits(7);
    expect(a.filter(Boolean).length).toBeGreaterThan(900);
    expect(a.filter(Boolean).length).toBeLessThan(1100);
    expect(hits(7)).toEqual(a);
  });

  it('refuses a jump to a chain the table does not have, and an option no loaded match owns', () => {
    const nf = new Netfilter(new Rng(1), evaluateTable);
    expect(() => nf.append('nat', 'PREROUTING', '-j KUBE-SERVICES')).toThrow("Couldn't load target `KUBE-SERVICES':No such file or directory");
    expect(() => nf.append('nat', 'PREROUTING', '--dport 53 -j ACCEPT')).toThrow('unknown option "--dport"');
    expect(() => nf.append('nat', 'PREROUTING', '-m hashlimit -j ACCEPT')).toThrow("Couldn't load match `hashlimit':No such file or directory");
  });
});

describe('-m recent', () => {
  it('matches --rcheck for a source --set recorded, within --seconds only, and forgets old entries with --reap', () => {
    const nf = new Netfilter(new Rng(1), evaluateTable);
    nf.newChain('nat', 'KUBE-SEP-A');
    nf.append('nat', 'PREROUTING', '-m recent --name KUBE-SEP-A --rcheck --seconds 10 --reap -j KUBE-SEP-A');
    nf.append('nat', 'PREROUTING', '-j KUBE-SEP-A');
    nf.append('nat', 'KUBE-SEP-A', '-m recent --name KUBE-SEP-A --set -j DNAT --to-destination 10.244.2.5:80');
    const at = (nowMs: number) => run(nf, 'nat', 'PREROUTING', udp('10.96.0.10', 80), { recent: nf.recent, nowMs }).rules[0];
    expect(at(0)).toBe('-A PREROUTING -j KUBE-SEP-A');
    expect(at(5_000)).toMatch(/--rcheck/);
    expect(at(14_000)).toMatch(/--rcheck/); // 9 s after the last --set at 5 s
    expect(at(30_000)).toBe('-A PREROUTING -j KUBE-SEP-A'); // 16 s after: too old, reaped
    expect([...nf.recent.get('KUBE-SEP-A')!.keys()]).toEqual([parseIp('10.244.1.2')]);
  });

  it('deletes a rule given as it was written (iptables -D), and refuses to delete a chain that has rules or is jumped to (-X)', () => {
    const nf = new Netfilter(new Rng(1), evaluateTable);
    nf.newChain('nat', 'CNI-X');
    nf.append('nat', 'CNI-X', '-d 10.244.1.2/24 -j ACCEPT');
    nf.append('nat', 'POSTROUTING', '-s 10.244.1.2 -j CNI-X');
    expect(() => nf.deleteChain('nat', 'CNI-X')).toThrow('Directory not empty.');
    nf.flush('nat', 'CNI-X');
    expect(() => nf.deleteChain('nat', 'CNI-X')).toThrow('Too many links.');
    nf.delete('nat', 'POSTROUTING', '-s 10.244.1.2/32 -j CNI-X');
    expect(() => nf.delete('nat', 'POSTROUTING', '-s 10.244.1.2 -j CNI-X')).toThrow('Bad rule (does a matching rule exist in that chain?).');
    nf.deleteChain('nat', 'CNI-X');
    expect(nf.tables.nat.has('CNI-X')).toBe(false);
  });

  it('appends a rule only once with appendUnique, as go-iptables does', () => {
    const nf = new Netfilter(new Rng(1), evaluateTable);
    nf.appendUnique('nat', 'POSTROUTING', '! -d 224.0.0.0/4 -j MASQUERADE');
    nf.appendUnique('nat', 'POSTROUTING', '! -d 224.0.0.0/4 -j MASQUERADE');
    expect(nf.tables.nat.get('POSTROUTING')!.rules.map((r) => r.text)).toEqual(['! -d 224.0.0.0/4 -j MASQUERADE']);
  });
});

describe('the walk, as the datapath applies it', () => {
  const ctx = () => ({ pkt: udp('8.8.8.8', 53), inDev: 'cni0', outDev: 'eth0', ctState: CT.NEW, local: new Set<number>(), rng: new Rng(1) });

  it('drops a packet whose jumps nest deeper than the jump stack (a loop), rather than applying the policy', () => {
    const nf = new Netfilter(new Rng(1), evaluateTable);
    iptablesRestore(nf, '*filter\n:LOOP - [0:0]\n-A FORWARD -j LOOP\n-A LOOP -j LOOP\nCOMMIT\n');
    const counter = { rulesEvaluated: 0 };
    expect([nf.evaluate('filter', 'FORWARD', ctx(), { trace: undefined, at: 0, ns: 'node' }, counter).t, counter.rulesEvaluated]).toEqual(['DROP', 65]);
  });

  it('drops the packet, saying why, when the walk throws', () => {
    const nf = new Netfilter(new Rng(1), () => {
      throw new Error('boom');
    });
    nf.append('filter', 'FORWARD', '-j ACCEPT');
    const hops: Array<{ kind: string; reason?: string }> = [];
    const sink = { trace: { add: (h: { kind: string; reason?: string }) => hops.push(h) } as never, at: 0, ns: 'node' };
    expect(nf.evaluate('filter', 'FORWARD', ctx(), sink, undefined).t).toBe('DROP');
    expect(hops).toEqual([{ kind: 'drop', at: 0, ns: 'node', packetId: 1, reason: 'netfilter filter FORWARD: the walk failed: boom' }]);
  });
});
