import type { Trace } from '../sim/trace';
import { traceQuery } from './trace-query';

/**
 * The runs of one container, read from the trace: each time the kubelet started it
 * (StartContainer <namespace>/<pod>/<container>), when the runtime says that instance exited
 * and with what code, and how long the kubelet waited after an exit before the next start.
 * A crash loop's back-off shows in that wait.
 *
 *   containerRuns(cluster.trace, 'node-1', 'default/crash/app')
 *   // => [{ run: 1, started: 2316, exited: 4401, exitCode: 1 },
 *   //     { run: 2, started: 5041, exited: 7124, exitCode: 1, waited: 640 },
 *   //     { run: 3, started: 19884, exited: 21949, exitCode: 1, waited: 12760 }, ...]
 *
 * The instance is known by the container ID the runtime reports when it starts it ("started
 * container app (d421d58e5621b): pid 4213"), the first such report after the StartContainer.
 */
export interface ContainerRun {
  run: number;
  started: number;
  exited?: number;
  exitCode?: number;
  /** From the previous run's exit to this start, in ms. */
  waited?: number;
}

export function containerRuns(trace: Trace, node: string, container: string): ContainerRun[] {
  const name = container.split('/').pop()!;
  const runtime = `containerd/${node}`;
  const starts = traceQuery(trace, { actor: `kubelet/${node}`, to: runtime, summary: `StartContainer ${container}` });
  const reports = traceQuery(trace, { actor: runtime, summary: new RegExp(`^(started )?container ${name} \\(`) });
  const runs: ContainerRun[] = [];
  for (const start of starts) {
    const started = reports.find((e) => e.seq > start.seq && e.summary.startsWith('started '));
    const id = started && /\(([0-9a-f]+)\)/.exec(started.summary)?.[1];
    const exit = id === undefined ? undefined : reports.find((e) => e.seq > start.seq && e.summary.startsWith(`container ${name} (${id}) exited`));
    const previous = runs[runs.length - 1];
    runs.push({
      run: runs.length + 1,
      started: start.time,
      ...(exit !== undefined ? { exited: exit.time, exitCode: Number(/code (-?\d+)/.exec(exit.summary)?.[1]) } : {}),
      ...(previous?.exited !== undefined ? { waited: start.time - previous.exited } : {}),
    });
  }
  return runs;
}

/**
 * The runs as a mermaid gantt chart: one lane, a bar per run ("run n") and, between an exit and
 * the next start, a red bar for the wait ("waited 12.8 s"); times in seconds from `from`.
 *
 *   containerRunsGantt(runs, tApply)
 *   // gantt
 *   //   dateFormat x
 *   //   axisFormat %M:%S
 *   //   section app
 *   //   run 1 :0, 2085ms
 *   //   waited 0.6 s :crit, 2085, 640ms
 *   //   ...
 */
export function containerRunsGantt(runs: readonly ContainerRun[], from: number, lane = 'container'): string {
  const lines = ['---', 'displayMode: compact', '---', 'gantt', '  dateFormat x', '  axisFormat %M:%S', '  todayMarker off', `  section ${lane}`];
  runs.forEach((r, i) => {
    const next = runs[i + 1];
    const end = r.exited ?? next?.started ?? r.started;
    lines.push(`  run ${r.run} :${r.started - from}, ${Math.max(1, end - r.started)}ms`);
    if (next?.waited !== undefined && r.exited !== undefined) {
      lines.push(`  waited ${(next.waited / 1000).toFixed(1)} s :crit, ${r.exited - from}, ${next.waited}ms`);
    }
  });
  return lines.join('\n');
}
