import type { ResourceInfo } from '../../api/resources';
import { sameJson } from '../codec';
import { defaultStrategy } from './default';
import { specChanged, withGeneration } from './generation';
import type { ResourceStrategy } from './strategy';

/**
 * Deployments: the default strategy with a generation that also counts annotation changes,
 * as kube-apiserver's Deployment strategy does (annotations are copied to the ReplicaSets).
 * Through /status everything but the spec and the labels is taken (deploymentStatusStrategy's
 * PrepareForUpdate): that is how the Deployment controller writes the revision annotation,
 * without moving the generation.
 *
 *   PUT deployments/web, an annotation changed          // => generation +1 (a ReplicaSet's would not move)
 *   PUT deployments/web/status, revision annotation 2   // => annotation 2, generation as it was, spec as stored
 */
export function deploymentStrategy(info: ResourceInfo): ResourceStrategy {
  return Object.assign({}, withGeneration(defaultStrategy(info), (next, old) => specChanged(next, old) || !sameJson(next.metadata.annotations, old.metadata.annotations)), {
    statusUpdate: (old, body) => {
      const labels = old.metadata.labels;
      const metadata = { ...body.metadata };
      if (labels === undefined) delete metadata.labels;
      else metadata.labels = labels;
      return Object.assign({}, body, { metadata, spec: old.spec });
    },
  } satisfies Partial<ResourceStrategy>);
}
