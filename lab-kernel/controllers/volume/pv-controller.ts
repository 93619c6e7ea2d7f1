import type { Status } from '../../api/status';
import { ANN_BETA_STORAGE_PROVISIONER, ANN_STORAGE_PROVISIONER } from '../../api/storage-class';
import type { KubeObject, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../api/types';
import type { Client } from '../../client/client';
import { PendingRequests, runWorker, type ReconcileOutcome } from '../../client/controller-runner';
import { EventRecorder } from '../../client/event-recorder';
import type { Informer } from '../../client/informer';
import type { SharedInformerFactory } from '../../client/shared-informer-factory';
import { WorkQueue } from '../../client/work-queue';
import { claimNames } from '../../scheduler/plugins/volume-binding';
import type { Simulation } from '../../sim/simulation';
import { claimBoundTo, claimStatusBound, claimStatusUnbound, volumeBoundTo, volumePhase } from './bind';
import { syncClaim, type ClaimIntent, type EventIntent } from './claim-sync';
import { syncVolume, unboundVolume, type VolumeIntent } from './volume-sync';

/**
 * kube-controller-manager's PersistentVolume binder (pkg/controller/volume/persistentvolume):
 * two queues, claims (namespace/name) and volumes (name), each synced level-triggered by a
 * pure decision (claim-sync.ts, volume-sync.ts) whose intents this runtime writes in order.
 * Every 15 s (--pvclaimbinder-sync-period) it queues every claim and volume again, which is
 * how a claim waiting for a volume, or for a default StorageClass, is looked at again.
 *
 *   PV task-pv-volume 10Gi manual, claim task-pv-claim 3Gi manual
 *   => update pv claimRef (bound-by-controller), pv status Bound,
 *      update claim volumeName (bind-completed, bound-by-controller), claim status Bound 10Gi RWO
 *   claim of class standard (WaitForFirstConsumer), no pod yet  => Normal WaitForFirstConsumer, Pending
 *   scheduler sets volume.kubernetes.io/selected-node          => claim annotated for rancher.io/local-path,
 *                                                                Normal ExternalProvisioning
 *
 * A write that fails (a conflict with a stale cache, say) ends the sync and retries it with
 * backoff; what was already written stays, and the next sync takes it from there.
 */
export const PV_CONTROLLER = 'persistentvolume-binder-controller';
/** The events' source component (upstream's eventRecorder for this controller). */
export const PV_CONTROLLER_EVENTS = 'persistentvolume-controller';
export const PV_RESYNC_PERIOD_MS = 15_000;

export class PersistentVolumeController {
  readonly volumes: Informer<PersistentVolume>;
  readonly claims: Informer<PersistentVolumeClaim>;
  readonly classes: Informer<StorageClass>;
  readonly pods: Informer<Pod>;
  private readonly claimQueue: WorkQueue;
  private readonly volumeQueue: WorkQueue;
  private readonly recorder: EventRecorder;
  private timer: ReturnType<Simulation['after']> | undefined;
  private stopped = false;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
  ) {
    this.claimQueue = new WorkQueue(sim);
    this.volumeQueue = new WorkQueue(sim);
    this.recorder = new EventRecorder(sim, client, { component: PV_CONTROLLER_EVENTS });
    this.volumes = informers.informerFor<PersistentVolume>('persistentvolumes');
    this.claims = informers.informerFor<PersistentVolumeClaim>('persistentvolumeclaims');
    this.classes = informers.informerFor<StorageClass>('storageclasses');
    this.pods = informers.informerFor<Pod>('pods');
    const claimKey = (c: Readonly<PersistentVolumeClaim>) => `${c.metadata.namespace}/${c.metadata.name}`;
    this.claims.addEventHandler({
      onAdd: (c) => this.claimQueue.add(claimKey(c)),
      onUpdate: (_old, c) => this.claimQueue.add(claimKey(c)),
      // deleteClaim: its volume is synced at once (Released, then reclaimed).
      onDelete: (c) => {
        this.claimQueue.add(claimKey(c));
        if (c.spec.volumeName) this.volumeQueue.add(c.spec.volumeName);
      },
    });
    this.volumes.addEventHandler({
      onAdd: (v) => this.volumeQueue.add(v.metadata.name!),
      onUpdate: (_old, v) => this.volumeQueue.add(v.metadata.name!),
      onDelete: (v) => {
        const ref = v.spec.claimRef;
        if (ref?.name) this.claimQueue.add(`${ref.namespace}/${ref.name}`);
      },
    });
    runWorker(sim, client.component, this.claimQueue, (key) => this.syncClaimKey(key), { controller: PV_CONTROLLER });
    runWorker(sim, client.component, this.volumeQueue, (name) => this.syncVolumeKey(name), { controller: PV_CONTROLLER });
  }

  /** The resync loop: every 15 s, every claim and volume the caches hold is queued again. */
  start(): void {
    const resync = () => {
      if (this.stopped) return;
      if (this.hasSynced()) {
        for (const c of this.claims.lister.list()) this.claimQueue.add(`${c.metadata.namespace}/${c.metadata.name}`);
        for (const v of this.volumes.lister.list()) this.volumeQueue.add(v.metadata.name!);
      }
      this.timer = this.sim.after(PV_RESYNC_PERIOD_MS, resync);
    };
    this.timer = this.sim.after(PV_RESYNC_PERIOD_MS, resync);
  }

  hasSynced(): boolean {
    return this.volumes.hasSynced() && this.claims.hasSynced() && this.classes.hasSynced() && this.pods.hasSynced();
  }

  shutDown(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.sim.cancel(this.timer);
    this.claimQueue.shutDown();
    this.volumeQueue.shutDown();
  }

  private syncClaimKey(key: string): ReconcileOutcome | PendingRequests {
    const claim = this.claims.lister.get(key);
    if (claim === undefined) return 'done';
    const unscheduledPods = this.pods.lister
      .list(claim.metadata.namespace)
      .filter((p) => !p.spec.nodeName && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && claimNames(p).includes(claim.metadata.name!))
      .map((p) => p.metadata.name!);
    const intents = syncClaim({ claim, volumes: this.volumes.lister.list(), classes: this.classes.lister.list(), unscheduledPods });
    return this.run(intents.map((intent) => (next: Step) => this.applyClaimIntent(claim, intent, next)));
  }

  private syncVolumeKey(name: string): ReconcileOutcome | PendingRequests {
    const volume = this.volumes.lister.get(name);
    if (volume === undefined) return 'done';
    const ref = volume.spec.claimRef;
    const claim = ref?.name ? this.claims.lister.get(`${ref.namespace}/${ref.name}`) : undefined;
    return this.run(syncVolume(volume, claim).map((intent) => (next: Step) => this.applyVolumeIntent(volume, claim, intent, next)));
  }

  /** Runs the steps one after another; the sync ends with the first failure, or when all are done. */
  private run(steps: ((next: Step) => void)[]): PendingRequests {
    const requests = new PendingRequests();
    const answered = requests.start();
    const at = (i: number): void => {
      if (i >= steps.length) return answered();
      steps[i]((failure) => (failure === undefined ? at(i + 1) : answered(failure)));
    };
    at(0);
    return requests;
  }

  private applyClaimIntent(claim: Readonly<PersistentVolumeClaim>, intent: ClaimIntent, next: Step): void {
    const key = `${claim.metadata.namespace}/${claim.metadata.name}`;
    switch (intent.kind) {
      case 'bind':
        return this.bind(intent.volume, claim, next);
      case 'assign-class':
        this.action(`assigning StorageClass ${intent.className} to claim ${key}`, key);
        return this.write(claim, Object.assign({}, claim, { spec: Object.assign({}, claim.spec, { storageClassName: intent.className }) }), '', next);
      case 'provision': {
        const annotations = claim.metadata.annotations ?? {};
        const message = `Waiting for a volume to be created either by the external provisioner '${intent.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`;
        const say = () => (this.event(claim, { type: 'Normal', reason: 'ExternalProvisioning', message }), next());
        if (annotations[ANN_STORAGE_PROVISIONER] === intent.provisioner) return say();
        this.action(`claim ${key}: asking provisioner ${intent.provisioner} for a volume`, key);
        const body = Object.assign({}, claim, { metadata: Object.assign({}, claim.metadata, { annotations: Object.assign({}, annotations, { [ANN_BETA_STORAGE_PROVISIONER]: intent.provisioner, [ANN_STORAGE_PROVISIONER]: intent.provisioner }) }) });
        return this.write(claim, body, '', (failure) => (failure === undefined ? say() : next(failure)));
      }
      case 'event':
        this.event(claim, intent.event);
        return next();
      case 'phase': {
        const body = claimStatusUnbound(claim, intent.phase);
        return body === undefined ? next() : this.write(claim, body, 'status', next);
      }
      case 'lost': {
        if (claim.status?.phase === 'Lost') return next();
        this.action(`claim ${key} is Lost: ${intent.event.message}`, key);
        return this.write(claim, claimStatusUnbound(claim, 'Lost')!, 'status', (failure) => {
          if (failure === undefined) this.event(claim, intent.event);
          next(failure);
        });
      }
      case 'error':
        return next(intent.message);
    }
  }

  private applyVolumeIntent(volume: Readonly<PersistentVolume>, claim: Readonly<PersistentVolumeClaim> | undefined, intent: VolumeIntent, next: Step): void {
    switch (intent.kind) {
      case 'phase': {
        const body = volumePhase(volume, intent.phase);
        if (body === undefined) return next();
        if (intent.phase === 'Released') this.action(`volume ${volume.metadata.name} is released; reclaim policy ${volume.spec.persistentVolumeReclaimPolicy}`, volume.metadata.name!);
        return this.write(volume, body, 'status', next);
      }
      case 'failed': {
        const body = volumePhase(volume, 'Failed', intent.event.message);
        if (body === undefined) return next();
        return this.write(volume, body, 'status', (failure) => {
          if (failure === undefined) this.event(volume, intent.event);
          next(failure);
        });
      }
      case 'event':
        this.event(intent.onClaim && claim !== undefined ? claim : volume, intent.event);
        return next();
      case 'sync-claim':
        this.claimQueue.add(intent.key);
        return next();
      case 'unbind':
        this.action(`volume ${volume.metadata.name}: rolling back its binding to ${volume.spec.claimRef?.namespace}/${volume.spec.claimRef?.name}`, volume.metadata.name!);
        return this.write(volume, unboundVolume(volume), '', (failure, updated) => {
          if (failure !== undefined) return next(failure);
          const body = volumePhase(updated as PersistentVolume, 'Available');
          return body === undefined ? next() : this.write(updated as PersistentVolume, body, 'status', next);
        });
    }
  }

  /** bind: the volume's claimRef, its phase, the claim's volumeName, its phase; each write only when needed. */
  private bind(volume: Readonly<PersistentVolume>, claim: Readonly<PersistentVolumeClaim>, next: Step): void {
    const key = `${claim.metadata.namespace}/${claim.metadata.name}`;
    const steps: ((v: Readonly<PersistentVolume>, c: Readonly<PersistentVolumeClaim>, then: (v: Readonly<PersistentVolume>, c: Readonly<PersistentVolumeClaim>) => void) => void)[] = [
      (v, c, then) => this.maybe(v, volumeBoundTo(v, c), '', (nv) => then(nv as PersistentVolume, c), next, `binding volume ${v.metadata.name} to claim ${key}`),
      (v, c, then) => this.maybe(v, volumePhase(v, 'Bound'), 'status', (nv) => then(nv as PersistentVolume, c), next),
      (v, c, then) => this.maybe(c, claimBoundTo(c, v), '', (nc) => then(v, nc as PersistentVolumeClaim), next, `binding claim ${key} to volume ${v.metadata.name}`),
      (v, c, then) => this.maybe(c, claimStatusBound(c, v), 'status', (nc) => then(v, nc as PersistentVolumeClaim), next),
    ];
    const at = (i: number, v: Readonly<PersistentVolume>, c: Readonly<PersistentVolumeClaim>): void => (i >= steps.length ? next() : steps[i](v, c, (nv, nc) => at(i + 1, nv, nc)));
    at(0, volume, claim);
  }

  /** Writes `body` if there is one (else goes on with the object as it is). */
  private maybe(current: Readonly<KubeObject>, body: KubeObject | undefined, subresource: '' | 'status', then: (updated: Readonly<KubeObject>) => void, fail: Step, why?: string): void {
    if (body === undefined) return then(current);
    if (why !== undefined) this.action(why, current.metadata.name!);
    this.write(current, body, subresource, (failure, updated) => (failure === undefined ? then(updated!) : fail(failure)));
  }

  /** One update (or update of /status); `done` gets the failure, or the object as stored. */
  private write(current: Readonly<KubeObject>, body: KubeObject, subresource: '' | 'status', done: (failure?: string, updated?: Readonly<KubeObject>) => void): void {
    const { namespace, name } = current.metadata;
    const resource = current.kind === 'PersistentVolume' ? 'persistentvolumes' : 'persistentvolumeclaims';
    this.client.request({ verb: 'update', resource, namespace, name, body, ...(subresource === 'status' ? { subresource: 'status' as const } : {}) }, (res) => {
      if (res.code >= 300) return done(`update ${resource}${subresource ? '/status' : ''} ${namespace ? `${namespace}/` : ''}${name}: ${(res.body as Status).message}`);
      done(undefined, res.body as KubeObject);
    });
  }

  private event(object: Readonly<KubeObject>, e: EventIntent): void {
    this.recorder.event(object, e.type, e.reason, e.message);
  }

  private action(summary: string, key: string): void {
    this.sim.trace.action(this.sim.now(), this.client.component, `${PV_CONTROLLER}: ${summary}`, { key });
  }
}

/** Go on (no argument) or stop the sync with why it failed. */
type Step = (failure?: string) => void;
