import { describe, expect, it } from 'vitest';
import { Simulation } from '../sim/simulation';
import type { ProcessPlan } from './container-process';
import { OOM_AFTER_MS, Task } from './task';

const plan = (more: Partial<ProcessPlan>): ProcessPlan => ({ argv: ['x'], output: [], exitCode: 0, memoryBytes: 0, ...more });

function run(p: ProcessPlan, memoryLimitBytes = 0) {
  const sim = new Simulation({ seed: 1 });
  const exits: string[] = [];
  const lines: string[] = [];
  const task = new Task(sim, p, { pid: 42, memoryLimitBytes, shutdownMs: 20 }, {
    output: (l) => lines.push(`${l.time} ${l.line}`),
    exited: (code, oom) => exits.push(`${sim.now()} ${code}${oom ? ' oom' : ''}`),
  });
  task.start();
  return { sim, task, exits, lines };
}

describe('a container process in virtual time', () => {
  it('prints its lines and exits with its own code when its plan says', () => {
    const { sim, exits, lines } = run(plan({ output: [{ atMs: 0, stream: 'stdout', line: 'up' }, { atMs: 500, stream: 'stdout', line: 'done' }], exitAtMs: 500, exitCode: 3 }));
    sim.runFor(1000);
    expect(lines).toEqual(['0 up', '500 done']);
    expect(exits).toEqual(['500 3']);
  });

  it('exits with the handler\'s code after its shutdown time on the stop signal, and ignores it without a handler', () => {
    const handled = run(plan({ onStopSignal: { exitCode: 0 } }));
    expect(handled.task.signal('SIGTERM')).toBe(true);
    handled.sim.runFor(100);
    expect(handled.exits).toEqual(['20 0']);
    const ignored = run(plan({ exitAtMs: 60_000 }));
    expect(ignored.task.signal('SIGTERM')).toBe(false);
    ignored.sim.runFor(100);
    expect([ignored.exits, ignored.task.state]).toEqual([[], 'running']);
  });

  it('dies of SIGKILL at once with 137 (128 + 9), whatever its plan', () => {
    const { sim, task, exits } = run(plan({ exitAtMs: 60_000 }));
    sim.runFor(10);
    task.signal('SIGKILL');
    sim.runFor(60_000);
    expect(exits).toEqual(['10 137']);
  });

  it('is OOM-killed with 137 when it needs more memory than its cgroup allows, and not when it fits', () => {
    const over = run(plan({ memoryBytes: 262_144_000 }), 104_857_600);
    over.sim.runFor(1000);
    expect(over.exits).toEqual([`${OOM_AFTER_MS} 137 oom`]);
    const fits = run(plan({ memoryBytes: 157_286_400 }), 209_715_200);
    fits.sim.runFor(1000);
    expect(fits.exits).toEqual([]);
  });
});
