import type { ApiResponse } from '../api/request';
import type { KubeList, Pod } from '../api/types';
import type { Client } from '../client/client';
import type { HttpClient } from '../runtime/node-network';
import type { Simulation, Timer } from '../sim/simulation';

/**
 * The lab's stand-in for the HPA e2e test's consumer controller (test/e2e/framework/
 * autoscaling/autoscaling_utils.go, ResourceConsumer and its "-ctrl" pod): it keeps the pods of
 * a resource-consumer workload busy. Every 30 s (consumptionTimeInSeconds) it sends the total
 * asked for, in requests of at most 100 millicores (requestSizeInMillicores), each a
 * `POST /ConsumeCPU?millicores=<n>&durationSec=30` to one of the running pods the selector
 * picks, in turn; the e2e controller sends them through the workload's Service, which spreads
 * them over its endpoints. As the workload grows, the same total spreads over more pods.
 *
 *   const load = cluster.cpuConsumer({ selector: 'app=web' });
 *   load.consumeCpu(250);   // now and every 30 s: 100m, 100m and 50m to the pods in turn
 *   load.consumeCpu(0);     // no more requests; what was started runs out within 30 s
 *
 * The requests travel the packet network from the control-plane node to each pod's IP (the e2e
 * controller's pod and the Service in between are left out); the pod's consumer starts its load
 * when a request arrives, and `sent` records the ones answered 200.
 */
export const CONSUMPTION_PERIOD_MS = 30_000;
export const REQUEST_SIZE_MILLICORES = 100;

export interface CpuConsumerDeps {
  sim: Simulation;
  client: Pick<Client, 'request'>;
  /** HTTP from the machine the requests come from. */
  http: HttpClient;
}

export class CpuConsumer {
  private millicores = 0;
  private timer: Timer | undefined;
  private turn = 0;
  /** The requests sent, as `<pod> <millicores>m`, oldest first: what a notebook shows. */
  readonly sent: string[] = [];

  constructor(
    private readonly deps: CpuConsumerDeps,
    private readonly target: { namespace: string; selector: string; port: number },
  ) {}

  /** Sets the total to consume (millicores over all pods); sends it at once, then every 30 s. 0 stops. */
  consumeCpu(millicores: number): void {
    this.millicores = millicores;
    if (this.timer !== undefined) this.deps.sim.cancel(this.timer);
    this.timer = undefined;
    if (millicores > 0) this.round();
  }

  private round(): void {
    const { namespace, selector } = this.target;
    this.deps.client.request({ verb: 'list', resource: 'pods', namespace, labelSelector: selector }, (res) => this.send(res));
    this.timer = this.deps.sim.after(CONSUMPTION_PERIOD_MS, () => this.round());
  }

  private send(res: ApiResponse): void {
    if (res.code !== 200 || this.millicores === 0) return;
    const pods = (res.body as KubeList<Pod>).items
      .filter((p) => p.status?.phase === 'Running' && p.status.podIP !== undefined && p.metadata.deletionTimestamp === undefined)
      .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    if (pods.length === 0) return;
    for (let left = this.millicores; left > 0; left -= REQUEST_SIZE_MILLICORES) {
      const chunk = Math.min(left, REQUEST_SIZE_MILLICORES);
      const pod = pods[this.turn++ % pods.length];
      const path = `/ConsumeCPU?millicores=${chunk}&durationSec=${CONSUMPTION_PERIOD_MS / 1000}`;
      this.deps.http(pod.status!.podIP!, this.target.port, { method: 'POST', path }, 1000, (answer) => {
        if (typeof answer !== 'string' && answer.code === 200) this.sent.push(`${pod.metadata.name} ${chunk}m`);
      });
    }
  }
}
