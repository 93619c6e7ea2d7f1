import type { Deployment, Pod, ReplicaSet } from '../../api/types';
import { replicasAnnotationsNeedUpdate, setReplicasAnnotations } from './annotations';
import { maxSurge } from './fenceposts';
import { jsonClone } from '../../api/json-clone';
import { jsonEqual } from '../../api/json-equal';
import { specReplicas, type RS } from './replica-set-lists';

/**
 * What one sync of a Deployment decides, before anything is written. kube-controller-manager
 * writes as it goes (scale this ReplicaSet, then that one, then the status); the lab's sync
 * decides first on working copies of the cached objects, then sends one write per object that
 * changed, all at once (deployment-controller.ts):
 *
 *   const plan = new SyncPlan(cachedDeployment, cachedReplicaSets, () => pods, now);
 *   plan.scaleAndRecord(plan.replicaSets[0], 2);   // spec.replicas 3 -> 2, desired/max-replicas set,
 *                                                  // event "Scaled down replica set web-6b7f6bb8d9 from 3 to 2"
 *   plan.changedReplicaSets()                      // => [that ReplicaSet]: one PUT
 *   plan.deploymentChanged()                       // => false until the status or the revision changes
 *
 * Working copies are this sync's own (jsonClone), so the cache is never written to.
 */
export class SyncPlan {
  /** The Deployment as this sync leaves it: its status and revision annotation go out through /status. */
  readonly deployment: Deployment;
  /** Its ReplicaSets as this sync leaves them. */
  readonly replicaSets: ReplicaSet[];
  /** The new ReplicaSet to create, if this sync makes one. */
  create: ReplicaSet | undefined;
  /** Old ReplicaSets to delete (beyond revisionHistoryLimit). */
  readonly deletes: string[] = [];
  /** ScalingReplicaSet messages, by ReplicaSet: recorded once that ReplicaSet's write has succeeded. */
  readonly events = new Map<string, string[]>();
  /** requeueStuckDeployment: look again after this many ms, or at once with backoff ('now'). */
  checkAgain: 'now' | number | undefined;
  private readonly cachedByName: Map<string, RS>;

  constructor(
    readonly cached: Readonly<Deployment>,
    cachedReplicaSets: readonly RS[],
    /**
     * The pods of its ReplicaSets, any phase, read only when asked (for Recreate: are old pods
     * still running?). Upstream lists them at every sync; a rolling update never looks at them,
     * and a 1,000-replica Deployment syncs hundreds of times in one rollout.
     */
    private readonly listPods: () => readonly Readonly<Pod>[],
    readonly now: number,
  ) {
    this.deployment = jsonClone(cached) as Deployment;
    this.deployment.status ??= {};
    this.replicaSets = cachedReplicaSets.map((rs) => jsonClone(rs) as ReplicaSet);
    this.cachedByName = new Map(cachedReplicaSets.map((rs) => [rs.metadata.name!, rs]));
  }

  /** The pods of its ReplicaSets, listed on first use. */
  get pods(): readonly Readonly<Pod>[] {
    return (this.listedPods ??= this.listPods());
  }

  private listedPods: readonly Readonly<Pod>[] | undefined;

  /** The cached version of a working copy (what the status is counted from, as upstream counts it before its writes). */
  cachedOf(rs: RS | undefined): RS | undefined {
    return rs === undefined ? undefined : (this.cachedByName.get(rs.metadata.name!) ?? rs);
  }

  /**
   * scaleReplicaSet: set spec.replicas to newScale and the desired/max-replicas annotations to
   * the Deployment's; a size change is a ScalingReplicaSet event. True if the size changed.
   */
  scale(rs: ReplicaSet, newScale: number): boolean {
    const from = specReplicas(rs);
    const replicas = this.deployment.spec.replicas ?? 1;
    const max = replicas + maxSurge(this.deployment);
    if (from === newScale && !replicasAnnotationsNeedUpdate(rs, replicas, max)) return false;
    rs.spec.replicas = newScale;
    setReplicasAnnotations(rs, replicas, max);
    if (from === newScale) return false;
    this.event(rs.metadata.name!, `Scaled ${from < newScale ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${newScale}`);
    return true;
  }

  /** scaleReplicaSetAndRecordEvent: nothing at all when the size is already right. */
  scaleAndRecord(rs: ReplicaSet, newScale: number): boolean {
    return specReplicas(rs) === newScale ? false : this.scale(rs, newScale);
  }

  event(replicaSet: string, message: string): void {
    this.events.set(replicaSet, [...(this.events.get(replicaSet) ?? []), message]);
  }

  /** The ReplicaSets this sync changed: each is one update. */
  changedReplicaSets(): ReplicaSet[] {
    return this.replicaSets.filter((rs) => {
      const before = this.cachedByName.get(rs.metadata.name!);
      return before !== undefined && !jsonEqual(before, rs);
    });
  }

  /** Whether the Deployment's status or annotations changed: then one status write. */
  deploymentChanged(): boolean {
    const before = this.cached;
    return !jsonEqual(before.status ?? {}, this.deployment.status) || !jsonEqual(before.metadata.annotations ?? {}, this.deployment.metadata.annotations ?? {});
  }

  /** Something to write at all. */
  hasWrites(): boolean {
    return this.create !== undefined || this.deletes.length > 0 || this.changedReplicaSets().length > 0 || this.deploymentChanged();
  }
}
