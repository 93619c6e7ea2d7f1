import type { ProbeVerdicts } from './pod-actions-contract';
import type { ProbeVerdict } from './probes-and-restarts-contract';

/**
 * A results manager (pkg/kubelet/prober/results): the last verdict of one kind of probe
 * (liveness, readiness or startup) for each container, by container id. The probe workers set
 * it; the kubelet reads it when it syncs a pod. A change is reported (the kubelet then syncs
 * the pod at once); setting the same verdict again is not.
 *
 *   const readiness = new ProbeResults((u) => wake(u.uid));
 *   readiness.set('4f1c', 'Failure', 'a1b2')   // reported: { id: '4f1c', result: 'Failure', uid: 'a1b2' }
 *   readiness.set('4f1c', 'Failure', 'a1b2')   // the same: not reported
 *   readiness.get('4f1c')                      // => 'Failure'
 *   readiness.verdicts()                       // => { '4f1c': 'Failure' }
 *
 * 'Unknown' is the startup probe's first value: no verdict yet (the container is not started).
 */
export interface ResultUpdate {
  id: string;
  result: ProbeVerdict;
  /** The pod's uid. */
  uid: string;
}

export class ProbeResults {
  private readonly results = new Map<string, ProbeVerdict>();
  /** verdicts() as last made, until a verdict changes: every sync of every pod asks for it. */
  private plain: ProbeVerdicts | undefined;

  constructor(private readonly onChange: (update: ResultUpdate) => void) {}

  set(id: string, result: ProbeVerdict, uid: string): void {
    if (this.results.get(id) === result) return;
    this.results.set(id, result);
    this.plain = undefined;
    this.onChange({ id, result, uid });
  }

  get(id: string): ProbeVerdict | undefined {
    return this.results.get(id);
  }

  remove(id: string): void {
    if (this.results.delete(id)) this.plain = undefined;
  }

  /** The verdicts as plain data (frozen: shared until one changes), for the pod actions and the pod status: Success and Failure only. */
  verdicts(): ProbeVerdicts {
    if (this.plain === undefined) {
      const out: Record<string, 'Success' | 'Failure'> = {};
      for (const [id, r] of this.results) if (r !== 'Unknown') out[id] = r;
      this.plain = Object.freeze(out);
    }
    return this.plain;
  }
}
