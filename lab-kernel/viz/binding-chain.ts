import type { TraceEvent } from '../sim/trace';
import type { JourneyStep, PodJourney } from './pod-journey';

/**
 * How one pod gets from "no node" to its kubelet's first CRI call: the scheduler hears of it,
 * picks a node, posts a Binding, the API server writes spec.nodeName, and that node's kubelet
 * sees the pod appear. Picked out of a trace step by step, each step the first event after the
 * previous step's; print it with formatJourney (pod-journey.ts).
 *
 *   const chain = bindingChain(cluster.trace.between(tHello, Infinity), 'default/hello');
 *   chain.steps[2].label            // => 'the scheduler posts a Binding'
 *   chain.steps[5].event?.data?.cri // => 'RunPodSandbox'
 *   formatJourney(chain)
 *   // =>  1. the scheduler hears of the pod (no node yet)
 *   //         0.937s  kube-apiserver -> kube-scheduler          ADDED Pod default/hello
 *   //     ...
 *
 * A step not found leaves every later step unfound too.
 */
const STEPS: ReadonlyArray<readonly [string, (e: TraceEvent) => boolean]> = [
  ['the scheduler hears of the pod (no node yet)', (e) => e.to === 'kube-scheduler' && e.summary.startsWith('ADDED')],
  ['the scheduling cycle picks a node', (e) => e.actor === 'kube-scheduler' && e.kind === 'action'],
  ['the scheduler posts a Binding', (e) => e.actor === 'kube-scheduler' && e.flow === 'request'],
  ['the API server writes spec.nodeName', (e) => e.actor === 'kube-apiserver' && e.kind === 'action' && e.summary.startsWith('bound')],
  ["the node's kubelet sees the pod appear", (e) => String(e.to).startsWith('kubelet/') && e.summary.startsWith('ADDED')],
  ['... and asks containerd for a sandbox', (e) => String(e.actor).startsWith('kubelet/') && e.data?.cri === 'RunPodSandbox'],
];

/** The chain for the pod `key` (namespace/name): only events whose summary names it count. */
export function bindingChain(events: readonly TraceEvent[], key: string): PodJourney {
  const about = events.filter((e) => e.summary.includes(key));
  const steps: JourneyStep[] = [];
  let last: TraceEvent | undefined = { seq: -1 } as TraceEvent;
  for (const [label, test] of STEPS) {
    const after: TraceEvent | undefined = last;
    const event: TraceEvent | undefined = after && about.find((e) => e.seq > after.seq && test(e));
    steps.push({ label, event });
    last = event;
  }
  return { pod: key, steps, end: last?.time };
}
