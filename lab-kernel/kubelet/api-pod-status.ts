import { timestamp } from '../api/time';
import type { Condition, Container, ContainerState, ContainerStatus, Pod, PodStatus } from '../api/types';
import type { ContainerStatus as CriContainerStatus } from '../runtime/cri';
import { qosClass } from '../runtime/qos-class';
import type { ProbeVerdicts } from './pod-actions-contract';
import { podPhase } from './pod-phase';
import type { PodRuntimeView } from './pod-status-reader';
import type { SyncResult } from './pod-syncer';

/**
 * The pod's status as the kubelet reports it to the API server (generateAPIPodStatus), from
 * what the runtime holds and what the last sync could not do:
 *
 *   container running                  => state.running { startedAt }; started once its startup probe
 *                                         succeeded (at once without one); ready once started and its
 *                                         readiness probe succeeded (at once without one)
 *   container exited, will restart     => state.waiting CrashLoopBackOff "back-off 20s restarting failed
 *                                         container=web pod=web-x7k2p_default(uid)", lastState.terminated
 *                                         { exitCode: 1, reason: Error }, restartCount 2
 *   not created yet                    => state.waiting ContainerCreating (PodInitializing behind init containers)
 *   removed after it terminated        => the status last reported, terminated (container GC of a finished pod)
 *   image pull failed                  => state.waiting ErrImagePull, then ImagePullBackOff
 *
 * and the conditions: PodReadyToStartContainers (the sandbox is up), Initialized (init
 * containers done), ContainersReady and Ready (every container ready), PodScheduled.
 * A condition keeps its lastTransitionTime while its status holds.
 *
 * Not yet: the phase's reason.
 */
export interface StatusInput {
  pod: Readonly<Pod>;
  view: PodRuntimeView;
  sync: SyncResult | undefined;
  hostIP: string;
  nowMs: number;
  /** The kubelet has stopped this pod for good (deleted or evicted). */
  terminal: boolean;
  /** The readiness and startup probes' verdicts, by container id (prober-manager.ts); none = no verdict yet. */
  probes?: { readiness: ProbeVerdicts; startup: ProbeVerdicts };
}

export function apiPodStatus({ pod, view, sync, hostIP, nowMs, terminal, probes = NO_VERDICTS }: StatusInput): PodStatus {
  const old = pod.status ?? {};
  const inits = pod.spec.initContainers ?? [];
  const initContainerStatuses = inits.map((c) => containerStatus(c, view, sync, probes, old.initContainerStatuses, 'PodInitializing', false));
  const containerStatuses = pod.spec.containers.map((c) => containerStatus(c, view, sync, probes, old.containerStatuses, 'ContainerCreating', inits.length > 0));
  let phase = podPhase(pod, [...containerStatuses, ...initContainerStatuses], terminal);
  // A terminal phase, once reported, stays.
  if (old.phase === 'Succeeded' || old.phase === 'Failed') phase = old.phase;
  const podIP = pod.spec.hostNetwork ? hostIP : view.ip;
  const now = timestamp(nowMs);
  const keep = (c: Condition): Condition => {
    const before = old.conditions?.find((x) => x.type === c.type);
    return Object.assign({}, c, { lastTransitionTime: before !== undefined && before.status === c.status ? before.lastTransitionTime : now });
  };
  const sandboxReady = view.decision.sandboxes[0]?.ready === true && (pod.spec.hostNetwork === true || view.ip !== '');
  const initDone = initContainerStatuses.every((s, i) => inits[i].restartPolicy === 'Always' ? s.started === true : s.state?.terminated?.exitCode === 0);
  const unready = [...initContainerStatuses.filter((_s, i) => inits[i].restartPolicy === 'Always'), ...containerStatuses].filter((s) => !s.ready).map((s) => s.name);
  const completed = phase === 'Succeeded' || phase === 'Failed';
  const readiness = (type: string): Condition =>
    completed ? { type, status: 'False', reason: 'PodCompleted' }
    : unready.length === 0 ? { type, status: 'True' }
    : { type, status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
  const incomplete = inits.filter((c, i) => c.restartPolicy !== 'Always' && initContainerStatuses[i].state?.terminated?.exitCode !== 0).map((c) => c.name);
  const conditions: Condition[] = [
    ...(old.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.includes(c.type)),
    keep({ type: 'PodReadyToStartContainers', status: sandboxReady ? 'True' : 'False' }),
    keep(initDone || completed ? { type: 'Initialized', status: 'True', ...(completed && !initDone ? { reason: 'PodCompleted' } : {}) } : { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${incomplete.join(' ')}]` }),
    keep(readiness('Ready')),
    keep(readiness('ContainersReady')),
    keep({ type: 'PodScheduled', status: 'True' }),
  ];
  return {
    phase,
    conditions,
    hostIP,
    hostIPs: [{ ip: hostIP }],
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    startTime: old.startTime ?? now,
    qosClass: qosClass(pod),
    ...(inits.length > 0 ? { initContainerStatuses } : {}),
    containerStatuses,
  };
}

const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
const NO_VERDICTS = { readiness: {}, startup: {} };

function containerStatus(c: Readonly<Container>, view: PodRuntimeView, sync: SyncResult | undefined, probes: NonNullable<StatusInput['probes']>, previous: readonly ContainerStatus[] | undefined, defaultWaiting: string, behindInits: boolean): ContainerStatus {
  const instances = view.decision.containers.filter((x) => x.name === c.name).map((x) => view.containers.get(x.id)!).filter((x) => x !== undefined);
  const [latest, before] = instances;
  const old = previous?.find((p) => p.name === c.name);
  const base = { name: c.name, image: c.image, ready: false, started: false, restartCount: latest?.metadata.attempt ?? old?.restartCount ?? 0 };
  const waitingWhy = sync?.waiting.get(c.name);
  // convertToAPIContainerStatuses: a container the runtime no longer has (garbage-collected) keeps its old terminated status.
  if (latest === undefined && old?.state?.terminated !== undefined) return old;
  if (latest === undefined) {
    const reason = waitingWhy?.reason ?? (behindInits ? 'PodInitializing' : defaultWaiting);
    return Object.assign({}, base, { state: { waiting: { reason, ...(waitingWhy ? { message: waitingWhy.message } : {}) } } });
  }
  const ids = { containerID: `containerd://${latest.id}`, imageID: latest.imageRef };
  const lastState = before !== undefined ? stateOf(before) : undefined;
  if (latest.state === 'CONTAINER_RUNNING') {
    // The prober manager's UpdatePodStatus: no probe of a kind counts as its success.
    const started = c.startupProbe === undefined || probes.startup[latest.id] === 'Success';
    const ready = started && (c.readinessProbe === undefined || probes.readiness[latest.id] === 'Success');
    return Object.assign({}, base, ids, { ready, started, state: stateOf(latest) }, lastState?.terminated ? { lastState } : {});
  }
  if (latest.state === 'CONTAINER_EXITED' && waitingWhy !== undefined) {
    // Waiting to restart: the instance that exited is the last state.
    return Object.assign({}, base, ids, { state: { waiting: { reason: waitingWhy.reason, message: waitingWhy.message } }, lastState: stateOf(latest) });
  }
  return Object.assign({}, base, ids, { state: stateOf(latest) }, lastState?.terminated ? { lastState } : {});
}

function stateOf(s: CriContainerStatus): ContainerState {
  if (s.state === 'CONTAINER_RUNNING') return { running: { startedAt: timestamp(s.startedAt ?? s.createdAt) } };
  if (s.state === 'CONTAINER_EXITED') {
    return {
      terminated: {
        exitCode: s.exitCode ?? 0, reason: s.reason, ...(s.message ? { message: s.message } : {}),
        startedAt: timestamp(s.startedAt ?? s.createdAt), finishedAt: timestamp(s.finishedAt ?? s.createdAt), containerID: `containerd://${s.id}`,
      },
    };
  }
  return { waiting: { reason: 'ContainerCreating' } };
}
