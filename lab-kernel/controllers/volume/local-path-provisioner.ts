import { objectKey } from '../../api/resources';
import type { Status } from '../../api/status';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/types';
import type { Client } from '../../client/client';
import { PendingRequests, runWorker, type ReconcileOutcome } from '../../client/controller-runner';
import { EventRecorder } from '../../client/event-recorder';
import { Informer } from '../../client/informer';
import { WorkQueue } from '../../client/work-queue';
import type { Simulation } from '../../sim/simulation';
import { LOCAL_PATH_PROVISIONER, provisionDecision, provisionedVolumeName, shouldDelete } from './provision-plan';

/**
 * The cluster's dynamic provisioner: a simulated rancher.io/local-path-provisioner, the one
 * kind installs behind its default StorageClass `standard`. It has the shape of every
 * external (CSI-style) provisioner: its own process with informers on claims, volumes and
 * StorageClasses, a queue of claims and one of volumes.
 *
 *   claim default/www annotated for rancher.io/local-path, selected-node node-1
 *   => Normal Provisioning 'External provisioner is provisioning volume for claim "default/www"'
 *   => 3 s later (the helper pod that makes the directory): create pv pvc-<uid>, bound to the
 *      claim by claimRef, node affinity node-1; Normal ProvisioningSucceeded
 *   pv pvc-<uid> Released (its claim deleted), policy Delete  => 3 s later: delete pv pvc-<uid>
 *
 * The PV controller then binds the claim to the volume (the volume names it in claimRef).
 *
 * Lab simplifications: it runs as a process beside the control plane rather than as a
 * Deployment in the namespace local-path-storage (its ServiceAccount's RBAC comes from the
 * add-on manifest all the same); no helper pods, no directories, no leader election; and it
 * provisions an Immediate claim at once without node affinity, where the real local-path
 * provisioner refuses a claim without a selected node.
 */
export const PROVISIONER_COMPONENT = 'local-path-provisioner';
/** How long making (and removing) a volume's directory takes: the helper pod's run. */
export const PROVISION_DELAY_MS = 3_000;

export class LocalPathProvisioner {
  readonly claims: Informer<PersistentVolumeClaim>;
  readonly volumes: Informer<PersistentVolume>;
  readonly classes: Informer<StorageClass>;
  private readonly claimQueue: WorkQueue;
  private readonly volumeQueue: WorkQueue;
  private readonly recorder: EventRecorder;
  /** Claims and volumes whose directory is being made or removed (the operation under way). */
  private readonly inProgress = new Set<string>();
  private stopped = false;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    readonly provisioner = LOCAL_PATH_PROVISIONER,
  ) {
    this.claims = new Informer<PersistentVolumeClaim>(sim, client, { resource: 'persistentvolumeclaims' });
    this.volumes = new Informer<PersistentVolume>(sim, client, { resource: 'persistentvolumes' });
    this.classes = new Informer<StorageClass>(sim, client, { resource: 'storageclasses' });
    this.claimQueue = new WorkQueue(sim);
    this.volumeQueue = new WorkQueue(sim);
    // The library's event source: <provisioner>_<its identity>.
    this.recorder = new EventRecorder(sim, client, { component: `${provisioner}_${PROVISIONER_COMPONENT}` });
    this.claims.addEventHandler({ onAdd: (c) => this.claimQueue.add(objectKey(c)), onUpdate: (_o, c) => this.claimQueue.add(objectKey(c)) });
    this.volumes.addEventHandler({ onAdd: (v) => this.volumeQueue.add(v.metadata.name!), onUpdate: (_o, v) => this.volumeQueue.add(v.metadata.name!) });
    runWorker(sim, client.component, this.claimQueue, (key) => this.syncClaim(key), { controller: PROVISIONER_COMPONENT });
    runWorker(sim, client.component, this.volumeQueue, (name) => this.syncVolume(name), { controller: PROVISIONER_COMPONENT });
  }

  get component(): string {
    return this.client.component;
  }

  start(): void {
    for (const informer of [this.claims, this.volumes, this.classes]) informer.start();
  }

  hasSynced(): boolean {
    return this.claims.hasSynced() && this.volumes.hasSynced() && this.classes.hasSynced();
  }

  stop(): void {
    this.stopped = true;
    for (const informer of [this.claims, this.volumes, this.classes]) informer.stop();
    this.claimQueue.shutDown();
    this.volumeQueue.shutDown();
    this.client.close();
  }

  private syncClaim(key: string): ReconcileOutcome | PendingRequests {
    const claim = this.claims.lister.get(key);
    if (claim === undefined || this.inProgress.has(key)) return 'done';
    const storageClass = claim.spec.storageClassName ? this.classes.lister.get(claim.spec.storageClassName) : undefined;
    const exists = this.volumes.lister.get(provisionedVolumeName(claim)) !== undefined;
    const decision = provisionDecision({ claim, storageClass, provisioner: this.provisioner, exists });
    if (!decision.provision) return 'done';
    this.inProgress.add(key);
    this.recorder.event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${key}"`);
    this.sim.trace.action(this.sim.now(), this.client.component, `provisioning ${decision.volume.metadata.name} for claim ${key}`, { key });
    const requests = new PendingRequests();
    const answered = requests.start();
    this.sim.after(PROVISION_DELAY_MS, () => {
      if (this.stopped) return;
      this.client.request({ verb: 'create', resource: 'persistentvolumes', body: decision.volume }, (res) => {
        this.inProgress.delete(key);
        if (res.code === 201 || res.code === 409) {
          if (res.code === 201) this.recorder.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${decision.volume.metadata.name}`);
          return answered();
        }
        const message = (res.body as Status).message;
        this.recorder.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${storageClass!.metadata.name}": ${message}`);
        answered(`create persistentvolume ${decision.volume.metadata.name}: ${message}`);
      });
    });
    return requests;
  }

  private syncVolume(name: string): ReconcileOutcome | PendingRequests {
    const volume = this.volumes.lister.get(name);
    if (volume === undefined || this.inProgress.has(name) || !shouldDelete(volume, this.provisioner)) return 'done';
    this.inProgress.add(name);
    this.sim.trace.action(this.sim.now(), this.client.component, `deleting volume ${name} (Released, reclaim policy Delete)`, { key: name });
    const requests = new PendingRequests();
    const answered = requests.start();
    this.sim.after(PROVISION_DELAY_MS, () => {
      if (this.stopped) return;
      this.client.request({ verb: 'delete', resource: 'persistentvolumes', name }, (res) => {
        this.inProgress.delete(name);
        answered(res.code < 300 || res.code === 404 ? undefined : `delete persistentvolume ${name}: ${(res.body as Status).message}`);
      });
    });
    return requests;
  }
}
