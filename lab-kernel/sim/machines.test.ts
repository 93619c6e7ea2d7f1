import { describe, expect, it } from 'vitest';
import { Machines, type MachineContext } from './machines';
import { Network } from './network';
import { Simulation } from './simulation';

/** A tiny persistent node: counts ticks every 10 ms, syncing the count every other tick. */
class Counter {
  count: number;
  constructor(readonly m: MachineContext) {
    this.count = Number(m.disk.read('count') ?? '0');
    this.tick();
  }
  private tick(): void {
    this.m.after(10, () => {
      this.count++;
      this.m.disk.write('count', String(this.count));
      if (this.count % 2 === 0) this.m.disk.sync();
      this.tick();
    });
  }
}

function setup() {
  const sim = new Simulation({ seed: 1 });
  const net = new Network(sim);
  const nodes = new Machines(sim, net, (m) => new Counter(m));
  return { sim, net, nodes };
}

describe('Machines', () => {
  it('restarts a crashed node from what its disk had synced', () => {
    const { sim, nodes } = setup();
    nodes.start('n1');
    sim.runFor(35);
    expect(nodes.get('n1')!.count).toBe(3);
    nodes.crash('n1');
    expect(nodes.get('n1')).toBeUndefined();
    expect(nodes.start('n1').count).toBe(2);
    expect(nodes.restart('n1').count).toBe(2);
  });

  it("never runs a crashed process's timers or guarded callbacks", () => {
    const { sim, nodes } = setup();
    const old = nodes.start('n1');
    const seen: string[] = [];
    const onReply = old.m.guard((reply: string) => seen.push(reply));
    onReply('before');
    nodes.crash('n1');
    onReply('after');
    sim.runFor(100);
    expect(seen).toEqual(['before']);
    expect(old.count).toBe(0);
    expect(nodes.disk('n1').read('count')).toBeUndefined();
  });

  it('takes a crashed node off the network and puts it back on start', () => {
    const { sim, net, nodes } = setup();
    nodes.start('n1');
    const arrived: number[] = [];
    net.send('n2', 'n1', 'request', 'ping 1', undefined, () => arrived.push(1));
    nodes.restart('n1');
    net.send('n2', 'n1', 'request', 'ping 2', undefined, () => arrived.push(2));
    sim.runFor(10);
    expect(arrived).toEqual([2]);
  });

  it('traces a crash with what it lost, and the restart', () => {
    const { sim, nodes } = setup();
    nodes.start('n1');
    sim.runFor(15);
    nodes.restart('n1');
    expect(sim.trace.format()).toBe(
      [
        '   0.015s  n1                                        !! crashed: lost 1 unsynced writes',
        '   0.015s  network                                   down n1',
        '   0.015s  network                                   up n1',
        '   0.015s  n1                                        restarted from its disk',
      ].join('\n'),
    );
    expect(sim.trace.all()[0].data).toEqual({ lostWrites: 1 });
  });

  it('names a torn write in the crash event', () => {
    const sim = new Simulation({ seed: 1 });
    const nodes = new Machines(sim, new Network(sim), (m) => m.disk.write('state', 'abcdef'), { tearRate: 1 });
    nodes.start('n1');
    nodes.crash('n1');
    expect(sim.trace.all()[0]).toMatchObject({ summary: 'crashed: lost 1 unsynced writes, the last one torn (state)', data: { lostWrites: 1, torn: 'state' } });
  });

  it('refuses to start a running node or crash a stopped one', () => {
    const { nodes } = setup();
    expect(() => nodes.crash('n1')).toThrow(/n1 is not running/);
    nodes.start('n1');
    expect(() => nodes.start('n1')).toThrow(/n1 is already running/);
  });
});
