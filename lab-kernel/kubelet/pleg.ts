import type { Simulation } from '../sim/simulation';
import { POD_UID_LABEL } from './cri-labels';
import type { CriRuntime } from './pod-status-reader';

/**
 * The Pod Lifecycle Event Generator (the generic PLEG, pkg/kubelet/pleg/generic.go): every
 * second it lists every sandbox and container the runtime holds and compares them with the
 * last list. A container that appeared, changed state (started, died) or went away is an
 * event for its pod, and the pod's worker syncs it.
 *
 *   t=12.0s  relist: web's container running
 *   t=12.7s  the container exits (code 1)
 *   t=13.0s  relist: exited => ContainerDied for pod a1b2 => the kubelet syncs a1b2
 *
 * So the kubelet learns of a crash up to a second late: what you see in a pod's status is
 * always a little behind the runtime. (Kubernetes 1.26 added an evented PLEG fed by the
 * runtime's events; it is still off by default in 1.32.) The relist itself is not traced:
 * it happens every second on every node.
 */
export const RELIST_PERIOD_MS = 1_000;

export class Pleg {
  /** id => state, pod uid, for every container and sandbox of the last relist. */
  private last = new Map<string, { state: string; uid: string }>();
  private timer: ReturnType<Simulation['after']> | undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly runtime: CriRuntime,
    private readonly onPodEvent: (uid: string) => void,
  ) {}

  start(): void {
    if (this.timer === undefined) this.timer = this.sim.after(RELIST_PERIOD_MS, () => this.relist());
  }

  stop(): void {
    if (this.timer !== undefined) this.sim.cancel(this.timer);
    this.timer = undefined;
  }

  private relist(): void {
    this.runtime.listPodSandbox({}, (err, sandboxes) => {
      this.runtime.listContainers({}, (err2, containers) => {
        if (this.timer === undefined) return; // stopped meanwhile
        // Every second on every node, and almost always nothing changed: then nothing is made.
        if (err === undefined && err2 === undefined && !unchanged(this.last, sandboxes!.items, containers!.containers)) {
          const now = new Map<string, { state: string; uid: string }>();
          let changed: Set<string> | undefined;
          const seen = (id: string, state: string, uid: string) => {
            now.set(id, { state, uid });
            if (this.last.get(id)?.state !== state) (changed ??= new Set()).add(uid);
          };
          for (const s of sandboxes!.items) seen(s.id, s.state, s.labels[POD_UID_LABEL] ?? '');
          for (const c of containers!.containers) seen(c.id, c.state, c.labels[POD_UID_LABEL] ?? '');
          for (const [id, x] of this.last) if (!now.has(id)) (changed ??= new Set()).add(x.uid);
          this.last = now;
          if (changed !== undefined) for (const uid of [...changed].sort()) if (uid !== '') this.onPodEvent(uid);
        }
        this.timer = this.sim.after(RELIST_PERIOD_MS, () => this.relist());
      });
    });
  }
}

/** Whether a relist finds exactly the sandboxes and containers of the last one, each in the same state. */
function unchanged(last: ReadonlyMap<string, { state: string }>, sandboxes: readonly { id: string; state: string }[], containers: readonly { id: string; state: string }[]): boolean {
  if (sandboxes.length + containers.length !== last.size) return false;
  for (const s of sandboxes) if (last.get(s.id)?.state !== s.state) return false;
  for (const c of containers) if (last.get(c.id)?.state !== c.state) return false;
  return true;
}
