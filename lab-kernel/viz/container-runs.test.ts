import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { containerRuns, containerRunsGantt } from './container-runs';

describe('containerRuns', () => {
  it("reads each run of a crashing container from the trace: its start, its exit and code, and the wait before it", () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(`apiVersion: v1\nkind: Pod\nmetadata: { name: crash }\nspec:\n  nodeName: node-1\n  containers: [{ name: app, image: busybox:1.36, command: [sh, -c, "sleep 2; exit 1"] }]\n`);
    cluster.runFor(60_000);
    const runs = containerRuns(cluster.trace, 'node-1', 'default/crash/app');
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.map((r) => r.run)).toEqual(runs.map((_, i) => i + 1));
    for (const r of runs.filter((r) => r.exited !== undefined)) {
      expect(r.exitCode).toBe(1);
      expect(r.exited! - r.started, 'sleep 2, once the process has started').toBeGreaterThanOrEqual(2_000);
      expect(r.exited! - r.started).toBeLessThan(2_200);
    }
    expect(runs[0].waited).toBeUndefined();
    expect(runs[1].waited).toBe(runs[1].started - runs[0].exited!);
    expect(runs[2].waited!, 'the 10 s back-off').toBeGreaterThanOrEqual(10_000);
    expect(containerRuns(cluster.trace, 'node-2', 'default/crash/app')).toEqual([]);
  });

  it('draws the runs as gantt bars from a given time, with each wait as a red bar between them', () => {
    const runs = [
      { run: 1, started: 1_000, exited: 3_000, exitCode: 1 },
      { run: 2, started: 3_500, exited: 5_500, exitCode: 1, waited: 500 },
      { run: 3, started: 16_000 },
    ];
    expect(containerRunsGantt(runs, 1_000, 'app').split('\n').slice(3)).toEqual([
      'gantt', '  dateFormat x', '  axisFormat %M:%S', '  todayMarker off', '  section app',
      '  run 1 :0, 2000ms',
      '  waited 0.5 s :crit, 2000, 500ms',
      '  run 2 :2500, 2000ms',
      '  run 3 :15000, 1ms',
    ]);
  });
});
