import type { Cluster } from './cluster';

/**
 * Short-lived pods, one after another, the way a busy cluster's jobs come and go: every
 * `everyMs` a small pod is created (the scheduler binds it to a node), and half a period later
 * it is deleted (`kubectl delete pod --wait=false`). Each deletion of a bound pod is an
 * AssignedPod Delete cluster event for the scheduler, on whatever node the pod was.
 *
 *   podChurn(cluster, { forMs: 45_000 })
 *   // => 90: churn-0 ... churn-89, 100m of CPU each, created and deleted; 45 s of virtual time have passed
 *
 * It runs the cluster for `forMs` (a whole number of periods), on a fixed beat: pod i is
 * created at i periods and deleted at i and a half periods after the start.
 */
export interface PodChurnOptions {
  /** How long the churn lasts, in virtual ms. */
  forMs: number;
  /** One pod per period (default 500 ms). */
  everyMs?: number;
  /** Each pod's CPU request (default 100m). */
  cpu?: string;
  /** The pods' names: prefix-0, prefix-1, ... (default 'churn'). */
  prefix?: string;
}

/** Returns how many pods it created (and deleted). */
export function podChurn(cluster: Pick<Cluster, 'apply' | 'runFor' | 'now' | 'kubectl'>, options: PodChurnOptions): number {
  const everyMs = options.everyMs ?? 500;
  const prefix = options.prefix ?? 'churn';
  const cpu = options.cpu ?? '100m';
  const periods = Math.floor(options.forMs / everyMs);
  const start = cluster.now();
  // Each request takes a few ms of virtual time: wait until the next mark, not a fixed span.
  const runUntilMark = (ms: number) => cluster.runFor(Math.max(0, start + ms - cluster.now()));
  for (let i = 0; i < periods; i++) {
    const name = `${prefix}-${i}`;
    cluster.apply(
      `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, labels: { app: ${prefix} } }\n` +
        `spec:\n  containers: [{ name: app, image: nginx:1.27, resources: { requests: { cpu: ${cpu} } } }]\n`,
    );
    runUntilMark(i * everyMs + Math.floor(everyMs / 2));
    cluster.kubectl.delete('pods', name, { wait: false });
    runUntilMark((i + 1) * everyMs);
  }
  return periods;
}
