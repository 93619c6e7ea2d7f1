import type { ResourceInfo } from '../../api/resources';
import { sameJson } from '../codec';
import { defaultStrategy } from './default';
import { specChanged, withGeneration } from './generation';
import type { ResourceStrategy } from './strategy';

/**
 * Deployments: the default strategy with a generation that also counts annotation changes,
 * as kube-apiserver's Deployment strategy does (annotations are copied to the ReplicaSets):
 *
 *   PUT deployments/web, an annotation changed   // => generation +1 (a ReplicaSet's would not move)
 */
export function deploymentStrategy(info: ResourceInfo): ResourceStrategy {
  return withGeneration(defaultStrategy(info), (next, old) => specChanged(next, old) || !sameJson(next.metadata.annotations, old.metadata.annotations));
}
