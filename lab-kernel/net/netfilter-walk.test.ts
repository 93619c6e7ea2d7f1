import { describe, expect, it } from 'vitest';
import { evaluateTable } from '../../solutions/net/netfilter-eval';
import { Rng } from '../sim/rng';
import { parseIp } from './ipv4';
import { iptablesRestore } from './iptables-restore';
import { Netfilter } from './netfilter';
import type { NetfilterEvalFn, NetfilterEvalInput } from './netfilter-eval-contract';
import { CT, type Hook, type PacketHeaders, type TableName } from './netfilter-rule';
import { kernelWalk } from './netfilter-walk';

const TABLES = `*filter
:INPUT DROP [0:0]
:A - [0:0]
:B - [0:0]
:LOOP - [0:0]
-A INPUT -p tcp -j ACCEPT
-A INPUT -p udp -j RETURN
-A FORWARD -j A
-A FORWARD -p udp -m udp --dport 53 -j ACCEPT
-A FORWARD -d 10.9.9.9/32 -j LOOP
-A FORWARD -j DROP
-A A -d 10.96.0.0/12 -j RETURN
-A A -p icmp -g B
-A A -m statistic --mode random --probability 0.50000000000 -j REJECT --reject-with icmp-port-unreachable
-A B -p icmp -j ACCEPT
-A LOOP -j LOOP
COMMIT
*nat
:KUBE-MARK-MASQ - [0:0]
-A POSTROUTING -p udp
-A POSTROUTING -j KUBE-MARK-MASQ
-A POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
COMMIT
`;

const packet = (proto: 'tcp' | 'udp' | 'icmp', dst: string, dport: number): PacketHeaders => ({ src: parseIp('10.244.1.2'), dst: parseIp(dst), proto, sport: 40000, dport, mark: 0 });

function answers(walk: NetfilterEvalFn, seed: number): unknown[] {
  const nf = new Netfilter(new Rng(1));
  iptablesRestore(nf, TABLES);
  const random = new Rng(seed).state;
  const cases: Array<[TableName, Hook, PacketHeaders]> = [
    ['filter', 'INPUT', packet('tcp', '192.168.1.11', 22)],
    ['filter', 'INPUT', packet('udp', '192.168.1.11', 53)],
    ['filter', 'INPUT', packet('icmp', '192.168.1.11', 0)],
    ['nat', 'POSTROUTING', packet('udp', '8.8.8.8', 53)],
    ['filter', 'FORWARD', packet('icmp', '8.8.8.8', 0)],
    ['filter', 'FORWARD', packet('udp', '10.96.0.10', 53)],
    ['filter', 'FORWARD', packet('udp', '10.9.9.9', 54)],
  ];
  for (let i = 0; i < 20; i++) cases.push(['filter', 'FORWARD', packet('tcp', '8.8.8.8', 443)]);
  return cases.map(([table, hook, p]) => {
    const input: NetfilterEvalInput = { table, hook, chains: nf.tables[table], packet: p, inDev: 'cni0', outDev: 'eth0', ctState: CT.NEW, local: new Set(), random, recent: new Map(), nowMs: 0 };
    const out = walk(input);
    return { ...out, random: { ...out.random }, recent: undefined };
  });
}

describe("the kernel's own walk, for networks built without a decision", () => {
  it('gives the answers of the reference walk (solutions/net/netfilter-eval.ts): verdicts, policies, marks, matched rules, draws', () => {
    for (const seed of [1, 2, 3]) expect(answers(kernelWalk, seed)).toEqual(answers(evaluateTable, seed));
  });

  it('drops a packet whose jumps nest deeper than the jump stack (a loop), rather than applying the policy', () => {
    for (const walk of [kernelWalk, evaluateTable]) {
      const nf = new Netfilter(new Rng(1), walk);
      iptablesRestore(nf, '*filter\n:LOOP - [0:0]\n-A FORWARD -j LOOP\n-A LOOP -j LOOP\nCOMMIT\n');
      const ctx = { pkt: { ...packet('udp', '8.8.8.8', 53), id: 1 } as never, inDev: 'cni0', outDev: 'eth0', ctState: CT.NEW, local: new Set<number>(), rng: new Rng(1) };
      const counter = { rulesEvaluated: 0 };
      expect([nf.evaluate('filter', 'FORWARD', ctx, { trace: undefined, at: 0, ns: 'node' }, counter).t, counter.rulesEvaluated]).toEqual(['DROP', 65]);
    }
  });

  it('drops the packet, saying why, when the walk throws', () => {
    const nf = new Netfilter(new Rng(1), () => {
      throw new Error('boom');
    });
    nf.append('filter', 'FORWARD', '-j ACCEPT');
    const hops: Array<{ kind: string; reason?: string }> = [];
    const sink = { trace: { add: (h: { kind: string; reason?: string }) => hops.push(h) } as never, at: 0, ns: 'node' };
    const ctx = { pkt: { ...packet('udp', '8.8.8.8', 53), id: 1 } as never, inDev: 'cni0', outDev: 'eth0', ctState: CT.NEW, local: new Set<number>(), rng: new Rng(1) };
    expect(nf.evaluate('filter', 'FORWARD', ctx, sink, undefined).t).toBe('DROP');
    expect(hops).toEqual([{ kind: 'drop', at: 0, ns: 'node', packetId: 1, reason: 'netfilter filter FORWARD: the walk failed: boom' }]);
  });
});
