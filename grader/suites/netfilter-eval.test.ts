/**
 * Grader suite for exercise `netfilter-eval` (exercises/net/netfilter-eval.ts).
 *
 * Part 1 matches rules (all matches ANDed, in order, `-m statistic` drawing only when reached
 * and matching below its 31-bit probability, iptables-extensions(8)); Part 2 walks tables as
 * iptables(8) and the kernel's ipt_do_table do (targets, -j and -g, RETURN, policies, MARK);
 * Part 3 runs a cluster whose every table walk is yours, and sends a request to a Service.
 * Tables are written in iptables-restore syntax and parsed as the lab's iptables parses them.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../lab-kernel/api/types';
import { clusterIP, request, servicesCluster } from '../../lab-kernel/cluster/services.fixture';
import { formatIp, parseIp } from '../../lab-kernel/net/ipv4';
import { iptablesRestore } from '../../lab-kernel/net/iptables-restore';
import { Netfilter } from '../../lab-kernel/net/netfilter';
import type { NetfilterEvalInput, Rule, Target } from '../../lab-kernel/net/netfilter-eval-contract';
import { CT, type Hook, type PacketHeaders, type TableName } from '../../lab-kernel/net/netfilter-rule';
import { Rng } from '../../lab-kernel/sim/rng';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const evaluate = slotUnderTest('netfilter-eval');

const NODE_IP = parseIp('192.168.1.11');
const udp = (dst: string, dport: number, more: Partial<PacketHeaders> = {}): PacketHeaders => ({ src: parseIp('10.244.1.2'), dst: parseIp(dst), proto: 'udp', sport: 40000, dport, mark: 0, ...more });
const tcp = (dst: string, dport: number, more: Partial<PacketHeaders> = {}): PacketHeaders => ({ ...udp(dst, dport, more), proto: 'tcp', ...more });

/** A table as iptables-restore would load it. */
function tables(text: string): Netfilter {
  const nf = new Netfilter(new Rng(1), evaluate);
  iptablesRestore(nf, text);
  return nf;
}

const TEXT = (t: Target): string => (t.t === 'DNAT' || t.t === 'SNAT' ? `${t.t} ${formatIp(t.ip)}${t.port === undefined ? '' : `:${t.port}`}` : t.t);

/** Your walk of one packet, told as iptables-save lines: the verdict, the matched rules ('-A CHAIN ...'), and the rest of the answer. */
function walk(nf: Netfilter, table: TableName, hook: Hook, packet: PacketHeaders, more: Partial<NetfilterEvalInput> = {}) {
  const chains = nf.tables[table];
  const input: NetfilterEvalInput = {
    table, hook, chains, packet,
    inDev: 'cni0', outDev: 'eth0', ctState: CT.NEW, local: new Set([NODE_IP]),
    random: new Rng(SEED).state, recent: new Map(), nowMs: 0, ...more,
  };
  const out = evaluate(input);
  const lines = out.matched.map((m) => `-A ${m.chain} ${chains.get(m.chain)?.rules[m.rule]?.text ?? `(no rule ${m.rule})`}`);
  return { verdict: TEXT(out.verdict), policy: out.policy, mark: out.mark, lines, evaluated: out.rulesEvaluated, random: out.random, out };
}

/** FORWARD with one rule `<spec> -j DROP`: does it match the packet? */
function matches(spec: string, packet: PacketHeaders, more: Partial<NetfilterEvalInput> = {}): boolean {
  return walk(tables(`*filter\n-A FORWARD ${spec} -j DROP\nCOMMIT\n`), 'filter', 'FORWARD', packet, more).verdict === 'DROP';
}

/** The random stream after n draws from SEED's. */
const drawn = (n: number) => {
  const rng = new Rng(SEED);
  for (let i = 0; i < n; i++) rng.nextUint32();
  return { ...rng.state };
};

/** FORWARD with one rule '-m statistic' of exactly p31, then ACCEPT: DROP when it matched. */
function statistic(p31: number, neg = false): string {
  const nf = tables('*filter\n-A FORWARD -m statistic --mode random --probability 0.5 -j DROP\nCOMMIT\n');
  const rule = nf.tables.filter.get('FORWARD')!.rules[0];
  nf.tables.filter.get('FORWARD')!.rules[0] = { ...rule, matches: [{ m: 'statistic', p31, neg }] } as Rule;
  return walk(nf, 'filter', 'FORWARD', udp('8.8.8.8', 53)).verdict;
}

describe('Part 1: does a rule match (every match, in order)?', () => {
  it('does a rule match only when every one of its matches does (-s and -p and --dport)?', () => {
    const spec = '-s 10.244.0.0/16 -p udp -m udp --dport 53';
    expect([matches(spec, udp('10.96.0.10', 53)), matches(spec, tcp('10.96.0.10', 53)), matches(spec, udp('10.96.0.10', 80)), matches(spec, udp('10.96.0.10', 53, { src: parseIp('192.168.1.5') }))]).toEqual([true, false, false, false]);
  });

  it('does a rule with no match at all match every packet?', () => {
    expect([matches('', udp('8.8.8.8', 1)), matches('', tcp('10.96.0.1', 443))]).toEqual([true, true]);
  });

  it('does a negated match (! -o eth0, ! --dport 53) match the other packets?', () => {
    expect([matches('! -o eth0', udp('8.8.8.8', 1)), matches('! -o eth0', udp('8.8.8.8', 1), { outDev: 'cni0' }), matches('-p udp ! --dport 53', udp('8.8.8.8', 53)), matches('-p udp ! --dport 53', udp('8.8.8.8', 54))]).toEqual([false, true, false, true]);
  });

  it('does -m statistic match exactly when the draw is below p31 (not at it, not above it)?', () => {
    const draw = new Rng(SEED).nextUint32() & 0x7fffffff;
    expect([statistic(draw + 1), statistic(draw), statistic(draw - 1)]).toEqual(['DROP', 'ACCEPT', 'ACCEPT']);
  });

  it('does ! --probability invert the statistic match?', () => {
    const draw = new Rng(SEED).nextUint32() & 0x7fffffff;
    expect([statistic(draw + 1, true), statistic(draw, true)]).toEqual(['ACCEPT', 'DROP']);
  });

  it('does --probability 0.25 match about a quarter of 4000 packets, the same ones for the same stream?', () => {
    const nf = tables('*filter\n-A FORWARD -m statistic --mode random --probability 0.25 -j DROP\nCOMMIT\n');
    const hits = () => {
      let random = new Rng(SEED).state;
      return Array.from({ length: 4000 }, () => {
        const r = walk(nf, 'filter', 'FORWARD', udp('8.8.8.8', 1), { random });
        random = r.random; // the stream as the walk left it, for the next packet
        return r.verdict === 'DROP';
      });
    };
    const a = hits();
    const n = a.filter(Boolean).length;
    expect(n, `${n} of 4000 matched`).toBeGreaterThan(900);
    expect(n, `${n} of 4000 matched`).toBeLessThan(1100);
    expect(hits()).toEqual(a);
  });

  it('does -m statistic draw only when everything before it matched (the stream moves once per rule reached, and not at all otherwise)?', () => {
    const nf = tables('*filter\n-A FORWARD -s 192.168.0.0/16 -m statistic --mode random --probability 0.5 -j DROP\n-A FORWARD -p udp -m statistic --mode random --probability 0.5 -j DROP\n-A FORWARD -p tcp -m statistic --mode random --probability 0.5 -j DROP\nCOMMIT\n');
    const r = walk(nf, 'filter', 'FORWARD', udp('8.8.8.8', 1));
    expect(r.random, `the random stream after one packet (verdict ${r.verdict}): one draw expected, for the -p udp rule`).toEqual(drawn(1));
  });

  it('does a -m mark match see the mark a MARK rule set earlier in the same walk (and not change the packet given)?', () => {
    const nf = tables('*nat\n-A POSTROUTING -j MARK --set-xmark 0x4000/0x4000\n-A POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE\nCOMMIT\n');
    const packet = udp('8.8.8.8', 53);
    const r = walk(nf, 'nat', 'POSTROUTING', packet);
    expect([r.verdict, r.mark, packet.mark]).toEqual(['MASQUERADE', 0x4000, 0]);
  });
});

describe('Part 2: the walk (targets, -j and -g, RETURN, policies)', () => {
  const CHECK = '*filter\n:CHECK - [0:0]\n-A FORWARD -j CHECK\n-A FORWARD -p udp -m udp --dport 53 -j ACCEPT\n-A CHECK -d 10.96.0.0/12 -j RETURN\n-A CHECK -j DROP\nCOMMIT\n';

  it('does RETURN in a user chain come back to the rule after the jump (10.96.0.10:53 accepted)?', () => {
    const r = walk(tables(CHECK), 'filter', 'FORWARD', udp('10.96.0.10', 53));
    expect([r.verdict, r.policy, r.lines]).toEqual(['ACCEPT', false, ['-A FORWARD -j CHECK', '-A CHECK -d 10.96.0.0/12 -j RETURN', '-A FORWARD -p udp -m udp --dport 53 -j ACCEPT']]);
  });

  it('does a DROP in the user chain end the walk there (8.8.8.8:53 dropped, the ACCEPT after the jump never reached)?', () => {
    const r = walk(tables(CHECK), 'filter', 'FORWARD', udp('8.8.8.8', 53));
    expect([r.verdict, r.policy, r.lines, r.evaluated]).toEqual(['DROP', false, ['-A FORWARD -j CHECK', '-A CHECK -j DROP'], 3]);
  });

  it('does the end of a user chain come back to the rule after the jump, as RETURN does?', () => {
    const nf = tables('*filter\n:LOG-ONLY - [0:0]\n-A FORWARD -j LOG-ONLY\n-A FORWARD -j DROP\n-A LOG-ONLY -p tcp -j ACCEPT\nCOMMIT\n');
    const r = walk(nf, 'filter', 'FORWARD', udp('8.8.8.8', 53));
    expect([r.verdict, r.lines]).toEqual(['DROP', ['-A FORWARD -j LOG-ONLY', '-A FORWARD -j DROP']]);
  });

  it('do jumps nest (A jumps to B, B ends, back in A after the jump; A ends, back in the built-in chain)?', () => {
    const nf = tables('*filter\n:A - [0:0]\n:B - [0:0]\n-A FORWARD -j A\n-A FORWARD -j REJECT --reject-with icmp-port-unreachable\n-A A -j B\n-A A -p tcp -j ACCEPT\n-A B -p icmp -j ACCEPT\nCOMMIT\n');
    const r = walk(nf, 'filter', 'FORWARD', tcp('8.8.8.8', 443));
    expect([r.verdict, r.lines]).toEqual(['ACCEPT', ['-A FORWARD -j A', '-A A -j B', '-A A -p tcp -j ACCEPT']]);
    const u = walk(nf, 'filter', 'FORWARD', udp('8.8.8.8', 53));
    expect([u.verdict, u.lines]).toEqual(['REJECT', ['-A FORWARD -j A', '-A A -j B', '-A FORWARD -j REJECT --reject-with icmp-port-unreachable']]);
  });

  it('does RETURN after a goto (-g) go back to the chain that jumped, not to the one that went?', () => {
    const nf = tables('*filter\n:A - [0:0]\n:B - [0:0]\n-A FORWARD -j A\n-A FORWARD -j DROP\n-A A -g B\n-A A -j ACCEPT\n-A B -j RETURN\nCOMMIT\n');
    const r = walk(nf, 'filter', 'FORWARD', udp('10.0.0.1', 1));
    expect([r.verdict, r.lines]).toEqual(['DROP', ['-A FORWARD -j A', '-A A -g B', '-A B -j RETURN', '-A FORWARD -j DROP']]);
  });

  it('does falling off the end of a built-in chain apply its policy (DROP, and ACCEPT), said to be the policy?', () => {
    const nf = tables('*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -j ACCEPT\nCOMMIT\n');
    const r = walk(nf, 'filter', 'INPUT', udp('192.168.1.11', 53));
    expect([r.verdict, r.policy, r.lines, r.evaluated]).toEqual(['DROP', true, [], 1]);
    const open = walk(tables('*filter\n-A INPUT -p tcp -j DROP\nCOMMIT\n'), 'filter', 'INPUT', udp('192.168.1.11', 53));
    expect([open.verdict, open.policy]).toEqual(['ACCEPT', true]);
  });

  it('does RETURN in the built-in chain itself apply its policy (not DROP, not the next rule)?', () => {
    const nf = tables('*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p udp -j RETURN\n-A OUTPUT -j DROP\nCOMMIT\n');
    const r = walk(nf, 'filter', 'OUTPUT', udp('8.8.8.8', 53));
    expect([r.verdict, r.policy, r.lines]).toEqual(['ACCEPT', true, ['-A OUTPUT -p udp -j RETURN']]);
    const closed = tables('*filter\n:OUTPUT DROP [0:0]\n-A OUTPUT -p udp -j RETURN\n-A OUTPUT -j ACCEPT\nCOMMIT\n');
    expect(walk(closed, 'filter', 'OUTPUT', udp('8.8.8.8', 53)).verdict).toBe('DROP');
  });

  it('does an empty built-in chain accept by its policy, nothing looked at?', () => {
    const r = walk(tables('*nat\nCOMMIT\n'), 'nat', 'PREROUTING', udp('10.96.0.10', 53));
    expect([r.verdict, r.policy, r.lines, r.evaluated]).toEqual(['ACCEPT', true, [], 0]);
  });

  it('does the first terminal target end the walk (the ACCEPT, not the DROP after it), counting only the rules looked at?', () => {
    const nf = tables('*filter\n-A FORWARD -p tcp -j DROP\n-A FORWARD -p udp -j ACCEPT\n-A FORWARD -j DROP\nCOMMIT\n');
    const r = walk(nf, 'filter', 'FORWARD', udp('8.8.8.8', 53));
    expect([r.verdict, r.lines, r.evaluated]).toEqual(['ACCEPT', ['-A FORWARD -p udp -j ACCEPT'], 2]);
  });

  it('does a MARK rule (KUBE-MARK-MASQ) mark the packet and go on, and a rule without a target only count?', () => {
    const nf = tables('*nat\n:KUBE-MARK-MASQ - [0:0]\n-A PREROUTING -p udp\n-A PREROUTING -j KUBE-MARK-MASQ\n-A PREROUTING -p udp -j DNAT --to-destination 10.244.2.3:53\n-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000\nCOMMIT\n');
    const r = walk(nf, 'nat', 'PREROUTING', udp('10.96.0.10', 53, { mark: 0x1 }));
    expect([r.verdict, r.mark, r.lines]).toEqual(['DNAT 10.244.2.3:53', 0x4001, ['-A PREROUTING -p udp', '-A PREROUTING -j KUBE-MARK-MASQ', '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000', '-A PREROUTING -p udp -j DNAT --to-destination 10.244.2.3:53']]);
  });

  it("is a NAT target's verdict the target itself, with its address and port (kube-proxy's Service chains)?", () => {
    const nf = tables(`*nat
:KUBE-SERVICES - [0:0]
:KUBE-SVC-A - [0:0]
:KUBE-SEP-1 - [0:0]
:KUBE-SEP-2 - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m udp --dport 53 -j KUBE-SVC-A
-A KUBE-SVC-A -m statistic --mode random --probability 0.00000000000 -j KUBE-SEP-1
-A KUBE-SVC-A -j KUBE-SEP-2
-A KUBE-SEP-1 -p udp -j DNAT --to-destination 10.244.1.7:53
-A KUBE-SEP-2 -p udp -j DNAT --to-destination 10.244.2.3:53
COMMIT
`);
    const r = walk(nf, 'nat', 'PREROUTING', udp('10.96.0.10', 53));
    expect([r.verdict, r.lines.length, r.out.verdict]).toEqual(['DNAT 10.244.2.3:53', 4, { t: 'DNAT', ip: parseIp('10.244.2.3'), port: 53 }]);
  });

  it('does a jump loop end in a DROP once the jumps nest deeper than MAX_JUMP_DEPTH (64), not the policy?', () => {
    const nf = tables('*filter\n:LOOP - [0:0]\n-A FORWARD -j LOOP\n-A LOOP -j LOOP\nCOMMIT\n');
    const r = walk(nf, 'filter', 'FORWARD', udp('8.8.8.8', 53));
    expect([r.verdict, r.policy, r.lines.length]).toEqual(['DROP', false, 65]);
  });
});

describe('Part 3: a cluster whose every table walk is yours', () => {
  it("does a request from a pod to a Service's ClusterIP reach a backend through kube-proxy's chains, walked by your code?", () => {
    const cluster = servicesCluster(undefined, { seed: SEED, use: { 'netfilter-eval': SOURCE } });
    const ip = clusterIP(cluster);
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const result = request(cluster, 'client', ip);
      const lines = result.trace.lines();
      const why = lines.filter((l) => l.includes('drop: ') || / (nat|filter) /.test(l)).join('\n');
      expect(result.outcome, `request ${i} to ${ip}:80; its rules and drops:\n${why}`).toBe('response');
      const rules = result.trace.hops.flatMap((h) => (h.kind === 'rule' ? [`${h.ns} ${h.table} ${h.rule}`] : []));
      expect(rules.some((l) => /-A KUBE-SERVICES .*-j KUBE-SVC-/.test(l)), `no KUBE-SERVICES rule matched; the rules that did:\n${rules.join('\n')}`).toBe(true);
      const dnat = result.trace.hops.find((h) => h.kind === 'rewrite' && h.nat === 'DNAT');
      outcomes.push(dnat?.kind === 'rewrite' ? dnat.after.replace(/^.* > ([\d.]+)[.:]\d+$/, '$1') : '(no DNAT)');
    }
    const backends = cluster.kubectl.getObjects<Pod>('pods').filter((p) => p.metadata.labels?.app === 'web').map((p) => p.status!.podIP!);
    for (const ip of outcomes) expect(backends, `the DNAT destinations of 6 requests: ${outcomes.join(', ')}`).toContain(ip);
  });
});
