import type { Pod, PodStatus } from '../api/types';
import type { PodRuntimeView } from './pod-status-reader';

/**
 * What the kubelet's pod workers know about each pod's life, as the rest of the kubelet asks it
 * (upstream's podStateProvider, answered by pod_workers.go):
 *
 *   active(uid)         admitted, not finished, not evicted, still known (filterOutInactivePods):
 *                       what admission and the eviction manager count, and who may hold devices
 *   contentRemovable    ShouldPodContentBeRemoved: evicted and stopped, or gone (no pod object,
 *                       no worker; never before the pods informer has synced): container GC
 *                       removes everything of it
 *   runtimeRemovable    ShouldPodRuntimeBeRemoved: that, or finished (Succeeded or Failed):
 *                       what DeleteAllUnusedContainers removes under disk pressure
 *   finished            a terminal phase with nothing left running: the worker only reports its
 *                       status and never starts it again, even once its sandbox is collected
 *
 *   states.contentRemovable(uidOfACompletedJobPod)  // => false: its last container stays for `kubectl logs`
 *   states.runtimeRemovable(uidOfACompletedJobPod)  // => true
 */
export interface WorkerState {
  status?: PodStatus;
  evicted?: { stopped: boolean };
  admission?: { rejected?: unknown };
}

export interface PodStatesDeps {
  workers: ReadonlyMap<string, WorkerState>;
  podByUid: (uid: string) => Readonly<Pod> | undefined;
  /** Whether the pods informer has synced (until then nothing is gone). */
  synced: () => boolean;
}

export class PodStates {
  constructor(private readonly d: PodStatesDeps) {}

  /** The uids of the active pods. */
  active(): Set<string> {
    const active = new Set<string>();
    for (const [uid, w] of this.d.workers) {
      if (w.admission?.rejected === undefined && w.evicted === undefined && !terminal(w.status?.phase) && this.d.podByUid(uid) !== undefined) active.add(uid);
    }
    return active;
  }

  contentRemovable(uid: string): boolean {
    const w = this.d.workers.get(uid);
    if (w?.evicted?.stopped === true) return true;
    return this.d.synced() && w === undefined && this.d.podByUid(uid) === undefined;
  }

  runtimeRemovable(uid: string): boolean {
    return this.contentRemovable(uid) || terminal(this.d.workers.get(uid)?.status?.phase);
  }

  finished(pod: Readonly<Pod>, w: WorkerState, view: PodRuntimeView): boolean {
    return terminal(w.status?.phase ?? pod.status?.phase) && !view.decision.containers.some((c) => c.state === 'running');
  }
}

function terminal(phase: string | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}
