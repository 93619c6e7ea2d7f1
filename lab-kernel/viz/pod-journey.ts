import { formatEvent, type TraceEvent } from '../sim/trace';

/**
 * One pod's way from `kubectl apply` of its ReplicaSet to a running container, picked out of a
 * trace step by step: each step is the first event after the previous step's that matches it.
 *
 *   const journey = podJourney(cluster.trace.between(tApply, tApply + 3000));
 *   journey.pod                     // => 'web-vtp2g' (the first pod the API server stored)
 *   journey.steps[3].label          // => 'the ReplicaSet controller compares want and have'
 *   journey.end                     // => 951: when the kubelet reported Running (undefined if it did not)
 *   journey.heard                   // => 954: when the API server told its watchers of that report
 *   formatJourney(journey)
 *   // =>  1. kubectl creates the ReplicaSet
 *   //         0.941s  kubectl -> kube-apiserver     create replicasets default
 *   //     ...
 *
 * A step not found leaves every later step unfound too ("(not found in this run)"), so a
 * broken chain shows where it broke.
 */
export interface JourneyStep {
  readonly label: string;
  readonly event?: TraceEvent;
}

export interface PodJourney {
  /** The pod followed: the first one the API server stored ('' if none). */
  readonly pod: string;
  readonly steps: readonly JourneyStep[];
  /** When the kubelet's report of Running was sent, if it was. */
  readonly end?: number;
  /** When the API server sent the report to its watchers (MODIFIED Pod), if it did. */
  readonly heard?: number;
}

type Test = (e: TraceEvent, pod: string, kubelet: string) => boolean;

const STEPS: ReadonlyArray<readonly [string, Test]> = [
  ['kubectl creates the ReplicaSet', (e) => e.actor === 'kubectl' && e.data?.verb === 'create'],
  ['the API server stores it in etcd', (e) => e.to === 'etcd' && String(e.data?.key).startsWith('/registry/replicasets/')],
  ['the controller manager hears of it on its watch', (e) => e.to === 'kube-controller-manager' && e.summary.startsWith('ADDED ReplicaSet')],
  ['the ReplicaSet controller compares want and have', (e) => e.actor === 'kube-controller-manager' && e.kind === 'action'],
  ['... and creates pods through the API server', (e) => e.actor === 'kube-controller-manager' && e.data?.verb === 'create'],
  ['the API server stores the first pod in etcd', (e) => e.to === 'etcd' && String(e.data?.key).startsWith('/registry/pods/')],
  ['the scheduler hears of the pod (no node yet)', (e, pod) => e.to === 'kube-scheduler' && e.summary.startsWith('ADDED') && e.summary.includes(pod)],
  ['the scheduler picks a node', (e, pod) => e.actor === 'kube-scheduler' && e.kind === 'action' && e.summary.includes(pod)],
  ['... and posts a Binding', (e, pod) => e.actor === 'kube-scheduler' && e.flow === 'request' && e.summary.includes(pod)],
  ["that node's kubelet sees the pod appear", (e, pod) => String(e.to).startsWith('kubelet/') && e.summary.startsWith('ADDED') && e.summary.includes(pod)],
  ['the kubelet asks containerd for a pod sandbox (CRI)', (e, pod, kubelet) => e.actor === kubelet && e.data?.cri === 'RunPodSandbox' && e.summary.includes(pod)],
  ['... and starts the container (CRI)', (e, pod, kubelet) => e.actor === kubelet && e.data?.cri === 'StartContainer' && e.summary.includes(pod)],
  ['the container is up', (e, pod, kubelet) => e.actor === kubelet && e.kind === 'action' && e.summary.includes(pod)],
  ['the kubelet reports Running through the API server', (e, pod, kubelet) => e.actor === kubelet && e.flow === 'request' && e.summary.includes(pod)],
];
const STORED_POD = 5;
const KUBELET_SEES = 9;

export function podJourney(events: readonly TraceEvent[]): PodJourney {
  const steps: JourneyStep[] = [];
  let pod = '';
  let kubelet = '';
  let previous: TraceEvent | undefined = { seq: -1 } as TraceEvent;
  for (const [i, [label, test]] of STEPS.entries()) {
    const after: TraceEvent | undefined = previous;
    const event: TraceEvent | undefined = after && events.find((e) => e.seq > after.seq && test(e, pod, kubelet));
    steps.push({ label, event });
    if (event && i === STORED_POD) pod = String(event.data?.key).split('/').pop()!;
    if (event && i === KUBELET_SEES) kubelet = event.to!;
    previous = event;
  }
  const report = previous;
  const heard = report && events.find((e) => e.seq > report.seq && e.actor === 'kube-apiserver' && e.summary === `MODIFIED Pod default/${pod}`);
  return { pod, steps, end: report?.time, heard: heard?.time };
}

/** The journey as numbered steps, each with its trace line. */
export function formatJourney(journey: PodJourney): string {
  return journey.steps
    .map(({ label, event }, i) => `${String(i + 1).padStart(2)}. ${label}\n${event ? formatEvent(event) : '      (not found in this run)'}`)
    .join('\n\n');
}
