import { describe, expect, it } from 'vitest';
import { Network } from './network';
import { Simulation } from './simulation';

/** A network on a fresh simulation, and a log of what arrived: 'a->b #3 @12' (message 3 at t = 12 ms). */
function setup(seed = 1) {
  const sim = new Simulation({ seed });
  const net = new Network(sim);
  const arrived: string[] = [];
  const send = (from: string, to: string, n: number) =>
    net.send(from, to, 'request', `#${n}`, undefined, () => arrived.push(`${from}->${to} #${n} @${sim.now()}`));
  return { sim, net, arrived, send };
}

/** The numbers of the messages that arrived, in arrival order: [0, 2, 1]. */
function order(arrived: readonly string[]): number[] {
  return arrived.map((line) => Number(/#(\d+)/.exec(line)![1]));
}

const errors = (sim: Simulation) => sim.trace.all().filter((e) => e.kind === 'error');

describe('Network without faults', () => {
  it('delivers every message 1..3 ms later, in send order on each link', () => {
    const { sim, arrived, send } = setup();
    for (let n = 0; n < 200; n++) send('a', 'b', n);
    sim.runFor(1_000);
    expect(order(arrived)).toEqual(Array.from({ length: 200 }, (_, n) => n));
    for (const e of sim.trace.all()) expect(e.deliveredAt! - e.time).toBeGreaterThanOrEqual(1);
    expect(Math.max(...sim.trace.all().map((e) => e.deliveredAt! - e.time))).toBeLessThanOrEqual(3);
  });

  it('draws exactly one number per send from rng("network"), faults or not', () => {
    const { sim, net, send } = setup(5);
    net.faults.set({ dropRate: 0.3, duplicateRate: 0.3, extraDelayMs: [0, 20], reorder: true });
    net.partition([['a'], ['b']]);
    for (let n = 0; n < 50; n++) send(n % 2 === 0 ? 'a' : 'c', 'b', n);
    const untouched = new Simulation({ seed: 5 }).rng('network');
    for (let n = 0; n < 50; n++) untouched.next();
    expect(sim.rng('network').next()).toBe(untouched.next());
  });
});

describe('Network faults', () => {
  it('honours the drop rate roughly over 10,000 seeded sends, and counts and traces each loss', () => {
    const { sim, net, arrived, send } = setup();
    net.faults.set({ dropRate: 0.1 });
    for (let n = 0; n < 10_000; n++) send('a', 'b', n);
    sim.runFor(1_000);
    const lost = 10_000 - arrived.length;
    expect(lost).toBeGreaterThan(900);
    expect(lost).toBeLessThan(1_100);
    expect(net.stats()).toMatchObject({ messages: 10_000, lost });
    expect(errors(sim)).toHaveLength(lost);
  });

  it('gives the same fault pattern for the same seed, and another for another seed', () => {
    const run = (seed: number) => {
      const { sim, net, arrived, send } = setup(seed);
      net.faults.set({ dropRate: 0.2, duplicateRate: 0.1, extraDelayMs: [0, 30], reorder: true });
      for (let n = 0; n < 300; n++) send('a', 'b', n);
      sim.runFor(1_000);
      return { arrived, hash: sim.trace.hash() };
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3).arrived).not.toEqual(run(4).arrived);
  });

  it('traces a loss as an error event from "network" at the time the message was due, pointing at it', () => {
    const { sim, net, send } = setup();
    net.faults.set({ dropRate: 1 });
    send('a', 'b', 7);
    sim.runFor(100);
    const [message, lost] = sim.trace.all().filter((e) => e.actor !== 'network' || e.kind === 'error');
    expect(message).toMatchObject({ kind: 'message', actor: 'a', to: 'b', summary: '#7' });
    expect(lost).toMatchObject({ kind: 'error', actor: 'network', time: message.deliveredAt, summary: 'lost a -> b: #7 (drop)' });
    expect(lost.data).toEqual({ message: message.seq, reason: 'drop' });
    expect(sim.trace.format([lost])).toContain('network');
  });

  it('partitions block both directions, leave nodes in no group alone, and heal restores', () => {
    const { sim, net, arrived, send } = setup();
    net.partition([['a', 'b'], ['c', 'd', 'e']]);
    send('a', 'b', 1);
    send('a', 'c', 2);
    send('e', 'b', 3);
    send('kubectl', 'c', 4);
    send('a', 'kubectl', 5);
    sim.runFor(100);
    expect(order(arrived).sort()).toEqual([1, 4, 5]);
    expect(errors(sim).map((e) => e.data?.reason)).toEqual(['partition', 'partition']);
    expect(net.reachable('c', 'a')).toBe(false);

    net.heal();
    send('a', 'c', 6);
    send('e', 'b', 7);
    sim.runFor(100);
    expect(order(arrived).slice(3).sort()).toEqual([6, 7]);
    expect(net.reachable('c', 'a')).toBe(true);
  });

  it('loses a message in flight when a partition comes up before it is due', () => {
    const { sim, net, arrived, send } = setup();
    send('a', 'b', 1);
    net.partition([['a'], ['b']]);
    sim.runFor(100);
    expect(arrived).toEqual([]);
    expect(errors(sim).map((e) => e.data?.reason)).toEqual(['partition']);
  });

  it('loses a message sent into a partition even if the partition heals before it is due', () => {
    const { sim, net, arrived, send } = setup();
    net.partition([['a'], ['b']]);
    send('a', 'b', 1);
    net.heal();
    send('a', 'b', 2);
    sim.runFor(100);
    expect(order(arrived)).toEqual([2]);
  });

  it('isolate cuts one node off from everyone, on top of a partition; reconnect brings it back', () => {
    const { sim, net, arrived, send } = setup();
    net.partition([['a', 'b'], ['c']]);
    net.isolate('b');
    send('a', 'b', 1);
    send('b', 'kubectl', 2);
    send('b', 'b', 3);
    net.reconnect('b');
    send('a', 'b', 4);
    send('b', 'c', 5);
    sim.runFor(100);
    expect(order(arrived).sort()).toEqual([3, 4]);
  });

  it('loses messages to or from a down node, in flight ones too, even if it is up again before they are due', () => {
    const { sim, net, arrived, send } = setup();
    send('a', 'b', 1);
    send('b', 'c', 2);
    net.down('b');
    send('a', 'b', 3);
    net.up('b');
    send('a', 'b', 4);
    sim.runFor(100);
    expect(order(arrived)).toEqual([4]);
    expect(errors(sim).map((e) => e.data?.reason)).toEqual(['down', 'down', 'down']);
    expect(net.isUp('b')).toBe(true);
  });

  it('delivers a duplicate twice, tracing the copy as a second message that names the first', () => {
    const { sim, net, arrived, send } = setup();
    net.faults.set({ duplicateRate: 1 });
    send('a', 'b', 1);
    sim.runFor(100);
    expect(order(arrived)).toEqual([1, 1]);
    const [first, copy] = sim.trace.all().filter((e) => e.kind === 'message');
    expect(copy.data).toEqual({ duplicateOf: first.seq });
    expect(net.stats()).toMatchObject({ messages: 1, duplicated: 1 });
  });

  it('reorders a link when asked (seed 1), and is FIFO again once reorder is off', () => {
    const { sim, net, arrived, send } = setup();
    net.faults.set({ reorder: true, extraDelayMs: [0, 10] });
    for (let n = 0; n < 20; n++) send('a', 'b', n);
    sim.runFor(100);
    expect(order(arrived)).not.toEqual([...order(arrived)].sort((x, y) => x - y));

    arrived.length = 0;
    net.faults.set({ reorder: false });
    for (let n = 0; n < 20; n++) send('a', 'b', n);
    sim.runFor(100);
    expect(order(arrived)).toEqual(Array.from({ length: 20 }, (_, n) => n));
  });

  it('adds the extra delay on top of the usual 1..3 ms', () => {
    const { sim, net, send } = setup();
    net.faults.set({ extraDelayMs: [100, 200], reorder: true });
    for (let n = 0; n < 100; n++) send('a', 'b', n);
    const delays = sim.trace.all().filter((e) => e.kind === 'message').map((e) => e.deliveredAt! - e.time);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(101);
    expect(Math.max(...delays)).toBeLessThanOrEqual(203);
  });

  it('applies per-link settings to one direction only, over the global ones, until clear()', () => {
    const { sim, net, arrived, send } = setup();
    net.faults.set({ duplicateRate: 1 });
    net.faults.setLink('a', 'b', { dropRate: 1 });
    expect(net.faults.on('a', 'b')).toEqual({ dropRate: 1, duplicateRate: 1, extraDelayMs: [0, 0], reorder: false });
    expect(net.faults.on('b', 'a').dropRate).toBe(0);
    send('a', 'b', 1);
    send('b', 'a', 2);
    sim.runFor(100);
    expect(order(arrived)).toEqual([2, 2]);

    net.faults.clear();
    send('a', 'b', 3);
    sim.runFor(100);
    expect(order(arrived)).toEqual([2, 2, 3]);
  });

  it('rejects rates outside [0, 1], bad delay ranges and a node in two partition groups', () => {
    const { net } = setup();
    expect(() => net.faults.set({ dropRate: 1.5 })).toThrow(/probability/);
    expect(() => net.faults.setLink('a', 'b', { duplicateRate: -0.1 })).toThrow(/probability/);
    expect(() => net.faults.set({ extraDelayMs: [5, 2] })).toThrow(/extraDelayMs/);
    expect(() => net.partition([['a', 'b'], ['b']])).toThrow(/b is in two groups/);
  });

  it('traces each change of the network as an action of "network"', () => {
    const { sim, net } = setup();
    net.faults.set({ dropRate: 0.1, reorder: true });
    net.faults.setLink('a', 'b', { extraDelayMs: [5, 10] });
    net.partition([['a'], ['b', 'c']]);
    net.isolate('c');
    net.down('a');
    net.up('a');
    net.reconnect('c');
    net.heal();
    net.faults.clear();
    expect(sim.trace.all().map((e) => `${e.kind} ${e.actor}: ${e.summary}`)).toEqual([
      'action network: faults: dropRate 0.1, reorder on',
      'action network: faults on a -> b: extraDelayMs 5..10',
      'action network: partition: a | b c',
      'action network: isolate c',
      'action network: down a',
      'action network: up a',
      'action network: reconnect c',
      'action network: heal: no partition, no isolated node',
      'action network: faults cleared',
    ]);
  });
});

describe('Network stats', () => {
  it('counts messages and bytes per link: the JSON of the payload, or the summary without one', () => {
    const { sim, net } = setup();
    net.send('a', 'b', 'request', 'AppendEntries', undefined, () => {}, { term: 3, entries: ['x'] });
    net.send('a', 'b', 'request', 'héllo', undefined, () => {});
    net.send('b', 'a', 'response', 'ok', undefined, () => {});
    sim.runFor(100);
    net.down('a');
    net.send('b', 'a', 'response', 'ok', undefined, () => {});
    sim.runFor(100);
    expect(net.stats()).toEqual({
      messages: 4,
      bytes: 26 + 6 + 2 + 2,
      lost: 1,
      duplicated: 0,
      links: [
        { from: 'a', to: 'b', messages: 2, bytes: 26 + 6, lost: 0, duplicated: 0 },
        { from: 'b', to: 'a', messages: 2, bytes: 4, lost: 1, duplicated: 0 },
      ],
    });
  });
});
