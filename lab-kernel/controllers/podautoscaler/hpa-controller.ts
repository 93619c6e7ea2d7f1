import { parseSelector, selectorMatches } from '../../api/labels';
import type { ApiResponse } from '../../api/request';
import { objectKey, resourceFor } from '../../api/resources';
import type { HorizontalPodAutoscaler, Pod, Scale } from '../../api/types';
import type { Client } from '../../client/client';
import { PendingRequests, runWorker, type ReconcileOutcome } from '../../client/controller-runner';
import { EventRecorder } from '../../client/event-recorder';
import type { Informer } from '../../client/informer';
import type { SharedInformerFactory } from '../../client/shared-informer-factory';
import { WorkQueue } from '../../client/work-queue';
import type { Simulation } from '../../sim/simulation';
import type { HpaReplicasFn, Recommendation } from './hpa-replicas-contract';
import { hpaPod, nextStatus, type PodMetrics } from './hpa-status';

/**
 * kube-controller-manager's HorizontalPodAutoscaler controller (pkg/controller/podautoscaler/
 * horizontal.go), for HPAs with one cpu Utilization target and no spec.behavior.
 *
 *   handlers  an HPA added or changed: its key, after the sync period (enqueueHPA adds with
 *             the resync delay; a key already waiting is not added again)
 *   sync      every 15 s per HPA (--horizontal-pod-autoscaler-sync-period):
 *             1. GET the target's scale subresource (spec.replicas, status.selector)
 *             2. its pods from the informer, their PodMetrics from metrics.k8s.io through the API server
 *             3. ask exercise hpa-replicas, with the recommendations kept for this HPA
 *             4. PUT the Scale when the answer differs (SuccessfulRescale "New size: 4; reason: ...")
 *             5. PUT the HPA's status (replicas, currentMetrics, conditions, lastScaleTime)
 *
 * The recommendations live in this process's memory only, as upstream: a new leader starts
 * with none.
 */
export const HPA_CONTROLLER = 'horizontal-pod-autoscaler';
/** --horizontal-pod-autoscaler-sync-period. */
export const HPA_SYNC_PERIOD_MS = 15_000;

export class HorizontalPodAutoscalerController {
  readonly hpas: Informer<HorizontalPodAutoscaler>;
  readonly pods: Informer<Pod>;
  private readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  /** Per HPA key: its recommendations (for scale-down stabilization). */
  private readonly recommendations = new Map<string, Recommendation[]>();
  /** Per HPA key: when its next sync is due, so that a later one is not added on top. */
  private readonly due = new Map<string, number>();

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
    /** Exercise hpa-replicas: the reference's, or a learner's. */
    private readonly hpaReplicas: HpaReplicasFn,
  ) {
    this.queue = new WorkQueue(sim);
    this.recorder = new EventRecorder(sim, client, { component: HPA_CONTROLLER });
    this.hpas = informers.informerFor<HorizontalPodAutoscaler>('horizontalpodautoscalers');
    this.pods = informers.informerFor<Pod>('pods');
    this.hpas.addEventHandler({
      onAdd: (hpa) => this.enqueue(objectKey(hpa)),
      onUpdate: (_old, hpa) => this.enqueue(objectKey(hpa)),
      onDelete: (hpa) => {
        this.recommendations.delete(objectKey(hpa));
        this.due.delete(objectKey(hpa));
      },
    });
    runWorker(sim, client.component, this.queue, (key) => this.sync(key), { controller: HPA_CONTROLLER });
  }

  shutDown(): void {
    this.queue.shutDown();
  }

  hasSynced(): boolean {
    return this.hpas.hasSynced() && this.pods.hasSynced();
  }

  /** AddRateLimited with the HPA's fixed-interval limiter: the key comes back one sync period later. */
  private enqueue(key: string): void {
    if (this.due.has(key)) return;
    const at = this.sim.now() + HPA_SYNC_PERIOD_MS;
    this.due.set(key, at);
    this.sim.after(HPA_SYNC_PERIOD_MS, () => {
      if (this.due.get(key) !== at) return;
      this.due.delete(key);
      this.queue.add(key);
    });
  }

  private sync(key: string): ReconcileOutcome | PendingRequests {
    const hpa = this.hpas.lister.get(key);
    if (hpa === undefined) return 'done';
    // Whatever happens, it is looked at again one period later.
    this.enqueue(key);
    const requests = new PendingRequests();
    const answered = requests.start();
    const namespace = hpa.metadata.namespace!;
    const target = hpa.spec.scaleTargetRef;
    let resource: string;
    try {
      resource = resourceFor(target.kind).resource;
    } catch {
      this.recorder.event(hpa, 'Warning', 'FailedGetScale', `no matches for kind "${target.kind}"`);
      answered();
      return requests;
    }
    const scaleRequest = { resource, subresource: 'scale' as const, namespace, name: target.name };
    this.client.request({ verb: 'get', ...scaleRequest }, (res) => {
      if (res.code !== 200) {
        this.recorder.event(hpa, 'Warning', 'FailedGetScale', messageOf(res));
        return answered(`get scale of ${target.kind}/${target.name}: ${messageOf(res)}`);
      }
      const scale = res.body as Scale;
      const selector = scale.status.selector ?? '';
      this.client.request({ verb: 'list', resource: 'pods', group: 'metrics.k8s.io', namespace, labelSelector: selector }, (metricsRes) => {
        const metrics = metricsRes.code === 200 ? (metricsRes.body as { items: PodMetrics[] }).items : [];
        this.decide(key, hpa, scale, selector, metrics, requests);
        answered();
      });
    });
    return requests;
  }

  private decide(key: string, hpa: Readonly<HorizontalPodAutoscaler>, scale: Scale, selector: string, metrics: PodMetrics[], requests: PendingRequests): void {
    const now = this.sim.now();
    const namespace = hpa.metadata.namespace!;
    const matches = parseSelector(selector);
    const pods = this.pods.lister.list(namespace).filter((p) => selectorMatches(matches, p.metadata.labels));
    const byName = new Map(metrics.map((m) => [m.metadata.name, m]));
    const currentReplicas = scale.spec.replicas ?? 0;
    const targetUtilization = hpa.spec.metrics?.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.target.averageUtilization ?? 80;
    const decision = this.hpaReplicas({
      nowMs: now,
      currentReplicas,
      minReplicas: hpa.spec.minReplicas ?? 1,
      maxReplicas: hpa.spec.maxReplicas,
      targetUtilization,
      pods: pods.map((p) => hpaPod(p, byName.get(p.metadata.name!))),
      recommendations: this.recommendations.get(key) ?? [],
    });
    this.recommendations.set(key, decision.recommendations);
    this.sim.trace.action(now, this.client.component, `${HPA_CONTROLLER}: sync ${key}: ${currentReplicas} -> ${decision.error !== undefined ? `error: ${decision.error}` : decision.desiredReplicas}`, { key });
    if (decision.error !== undefined) {
      const failure = `failed to get cpu utilization: ${decision.error}`;
      this.recorder.event(hpa, 'Warning', 'FailedGetResourceMetric', failure);
      this.recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${failure}`);
    }
    const writeStatus = (rescaled: boolean) => {
      const status = nextStatus(hpa, currentReplicas, decision, now, rescaled);
      if (JSON.stringify(status) === JSON.stringify(hpa.status ?? {})) return;
      const done = requests.start();
      this.client.request({ verb: 'update', resource: 'horizontalpodautoscalers', subresource: 'status', namespace, name: hpa.metadata.name, body: Object.assign({}, hpa, { status }) }, (res) =>
        done(res.code === 200 ? undefined : `update status: ${messageOf(res)}`),
      );
    };
    if (decision.error !== undefined || decision.desiredReplicas === currentReplicas) return writeStatus(false);
    const done = requests.start();
    const reason = decision.rescaleReason ?? '';
    const body: Scale = Object.assign({}, scale, { spec: { replicas: decision.desiredReplicas } });
    this.client.request({ verb: 'update', resource: resourceFor(hpa.spec.scaleTargetRef.kind).resource, subresource: 'scale', namespace, name: scale.metadata.name, body }, (res) => {
      if (res.code !== 200) {
        this.recorder.event(hpa, 'Warning', 'FailedRescale', `New size: ${decision.desiredReplicas}; reason: ${reason}; error: ${messageOf(res)}`);
        writeStatus(false);
        return done(`update scale: ${messageOf(res)}`);
      }
      this.recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${decision.desiredReplicas}; reason: ${reason}`);
      writeStatus(true);
      done();
    });
  }
}

function messageOf(res: ApiResponse): string {
  return (res.body as { message?: string } | undefined)?.message ?? `HTTP ${res.code}`;
}
