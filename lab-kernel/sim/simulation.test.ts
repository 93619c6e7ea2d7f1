import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';

describe('Simulation', () => {
  it('runs events in virtual time order and leaves the clock at the target', () => {
    const sim = new Simulation({ seed: 1 });
    const seen: string[] = [];
    sim.after(300, () => seen.push(`b@${sim.now()}`));
    sim.after(100, () => {
      seen.push(`a@${sim.now()}`);
      sim.after(50, () => seen.push(`c@${sim.now()}`));
    });
    sim.after(900, () => seen.push('too late'));
    sim.runFor(500);
    expect(seen).toEqual(['a@100', 'c@150', 'b@300']);
    expect(sim.now()).toBe(500);
  });

  it('skips cancelled timers', () => {
    const sim = new Simulation({ seed: 1 });
    let fired = false;
    sim.cancel(sim.after(10, () => (fired = true)));
    sim.runFor(20);
    expect(fired).toBe(false);
  });

  it('runs the same timers in the same order when many cancelled ones are dropped from the agenda', () => {
    // 10,000 timers, 9 in 10 cancelled (the agenda is rebuilt without them on the way), and
    // some cancelled again after they ran: the survivors run in (time, scheduling) order.
    const sim = new Simulation({ seed: 1 });
    const ran: number[] = [];
    const timers = Array.from({ length: 10_000 }, (_, i) => sim.after((i * 7919) % 1000, () => ran.push(i)));
    timers.forEach((t, i) => i % 10 !== 0 && sim.cancel(t));
    sim.runFor(500);
    timers.forEach((t) => sim.cancel(t));
    sim.runFor(1000);
    const expected = timers.map((_, i) => i).filter((i) => i % 10 === 0 && (i * 7919) % 1000 <= 500);
    expected.sort((a, b) => (a * 7919) % 1000 - (b * 7919) % 1000 || a - b);
    expect(ran).toEqual(expected);
  });

  it('runUntil stops as soon as the condition holds, or at the limit', () => {
    const sim = new Simulation({ seed: 1 });
    let n = 0;
    for (let t = 1; t <= 10; t++) sim.after(t * 100, () => n++);
    expect(sim.runUntil(() => n === 3, 5_000)).toBe(true);
    expect(sim.now()).toBe(300);
    expect(sim.runUntil(() => n === 99, 2_000)).toBe(false);
    expect(sim.now()).toBe(2_300);
  });

  it('reports a livelock instead of hanging', () => {
    const sim = new Simulation({ seed: 1, maxEventsPerRun: 1000 });
    const spin = () => sim.after(0, spin);
    spin();
    expect(() => sim.runFor(1)).toThrow(/livelock/);
  });

  it('refuses to run backwards or schedule in the past', () => {
    const sim = new Simulation({ seed: 1 });
    sim.runFor(100);
    expect(() => sim.runUntilTime(50)).toThrow(/backwards/);
    expect(() => sim.after(-1, () => {})).toThrow(/non-negative/);
  });
});
