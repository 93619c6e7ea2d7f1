import { error, type Status } from './framework-types';
import type { NodeAffinityFn } from './plugins/node-affinity-contract';
import type { NodeResourcesFit } from './plugins/node-resources-fit-contract';
import type { PodTopologySpreadFn } from './plugins/pod-topology-spread-contract';
import type { TaintTolerationFn } from './plugins/taint-toleration-contract';
import type { SelectHost } from './select-host-contract';

/**
 * The pure functions inside the scheduler's plugins: each one an exercise. Whoever makes a
 * Scheduler passes them in (cluster/ picks the reference or the learner's code); the
 * scheduler never loads code itself.
 *
 *   new Scheduler(sim, client, { code: cluster.code })                 // what the cluster runs
 *   new Scheduler(sim, client, { code: { ...cluster.code, 'node-affinity': mine } })
 *
 * `reference` is for the plugins that borrow an exercise's logic whichever code runs that
 * exercise (NodeUnschedulable asks whether a pod tolerates the cordon taint; PodTopologySpread
 * asks which nodes a pod's required node affinity allows): a bug in one exercise does not
 * show up as a failure of another. Left out, it is `code`.
 */
export interface SchedulerCode {
  'select-host': SelectHost;
  'node-resources-fit': NodeResourcesFit;
  'taint-toleration': TaintTolerationFn;
  'node-affinity': NodeAffinityFn;
  'pod-topology-spread': PodTopologySpreadFn;
}

/**
 * Calls a plugin's pure function; if it throws (learner code that is not implemented yet,
 * throws, or loops), the result is the framework's Error status, which sends the pod back
 * to the queue with backoff, as a plugin error does in kube-scheduler.
 *
 *   pluginCall(() => fit(input))   // => { value: result } or { failure: Error status "node-resources-fit (exercise): ..." }
 */
export function pluginCall<T>(call: () => T): { value?: T; failure?: Status } {
  try {
    return { value: call() };
  } catch (err) {
    return { failure: error(err instanceof Error ? err.message : String(err)) };
  }
}
