import { maxReplicasOf } from './annotations';
import { byCreation, replicaCount, specReplicas, type RS } from './replica-set-lists';

/**
 * Proportional scaling (sync.go's scale, deployment_util.go's GetReplicaSetProportion and
 * getReplicaSetFraction): a Deployment resized while several of its ReplicaSets have pods — in
 * the middle of a rollout, or paused — spreads the change over all of them in proportion to
 * their sizes, rather than giving it all to the new one (which would hasten a rollout that may
 * be going wrong) or taking it all from the old ones.
 *
 *   allowed  = replicas + maxSurge            (0 when scaling to 0)
 *   toAdd    = allowed - the ReplicaSets' sum of spec.replicas
 *   order    : largest first; same size: newest first when adding, oldest first when removing
 *   each one : its share round(size * allowed / max-replicas) - size, where max-replicas is its
 *              annotation (the Deployment's replicas + maxSurge when it was last scaled; the
 *              Deployment's status.replicas when the annotation is missing), capped so the
 *              total added never passes toAdd; scaling to 0 takes each one's whole size
 *   leftover : what rounding left over goes to (or comes from) the first one, never below 0
 *
 * The docs' example (maxSurge 3): 10 replicas mid-rollout, the old ReplicaSet at 8, the new at 5
 * (both annotated max-replicas 13), scaled to 15:
 *
 *   proportionalSizes({ replicas: 15, maxSurge: 3, statusReplicas: 13, replicaSets: [old (8), new (5)] })
 *   // => { old: 11, new: 7 }   (toAdd 5: old round(8*18/13)-8 = 3, new round(5*18/13)-5 = 2)
 *
 * Only active ReplicaSets (spec.replicas > 0) go in; the runtime (sync.ts) writes each size and
 * the desired/max-replicas annotations that come with it.
 */
export interface ProportionalInput {
  /** The Deployment's spec.replicas. */
  replicas: number;
  /** Its maxSurge, resolved to pods against spec.replicas. */
  maxSurge: number;
  /** Its status.replicas: the stand-in for a missing max-replicas annotation. */
  statusReplicas: number;
  /** Its active ReplicaSets. */
  replicaSets: readonly RS[];
}

/** The new spec.replicas of every ReplicaSet given, by name. */
export function proportionalSizes(input: ProportionalInput): Record<string, number> {
  const allowed = input.replicas > 0 ? input.replicas + input.maxSurge : 0;
  const current = replicaCount(input.replicaSets);
  const toAdd = allowed - current;
  const sorted = [...input.replicaSets].sort(toAdd > 0 ? bySizeNewer : bySizeOlder);
  const sizes: Record<string, number> = {};
  let added = 0;
  for (const rs of sorted) {
    const share = toAdd === 0 ? 0 : proportion(rs, input, toAdd, added);
    sizes[rs.metadata.name!] = specReplicas(rs) + share;
    added += share;
  }
  if (toAdd !== 0 && sorted.length > 0) {
    const first = sorted[0].metadata.name!;
    sizes[first] = Math.max(0, sizes[first] + toAdd - added);
  }
  return sizes;
}

/** GetReplicaSetProportion: this one's share, never past what is left to add (or remove). */
function proportion(rs: RS, input: ProportionalInput, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, input);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** getReplicaSetFraction: its size scaled by the Deployment's new maximum over the one it was sized for. */
function replicaSetFraction(rs: RS, input: ProportionalInput): number {
  const size = specReplicas(rs);
  if (input.replicas === 0) return -size;
  const deploymentMax = input.replicas + input.maxSurge;
  const sizedFor = maxReplicasOf(rs) ?? input.statusReplicas;
  // Upstream divides by it as a float; 0 (a missing annotation and no pods counted yet) would be
  // +Inf there, the lab leaves the ReplicaSet as it is.
  if (sizedFor === 0) return 0;
  return goRound((size * deploymentMax) / sizedFor) - size;
}

/** integer.RoundToInt32: math.Round, halves away from zero. */
const goRound = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/** ReplicaSetsBySizeNewer: larger first; same size, newer first. */
function bySizeNewer(a: RS, b: RS): number {
  return specReplicas(a) !== specReplicas(b) ? specReplicas(b) - specReplicas(a) : byCreation(b, a);
}

/** ReplicaSetsBySizeOlder: larger first; same size, older first. */
function bySizeOlder(a: RS, b: RS): number {
  return specReplicas(a) !== specReplicas(b) ? specReplicas(b) - specReplicas(a) : byCreation(a, b);
}
