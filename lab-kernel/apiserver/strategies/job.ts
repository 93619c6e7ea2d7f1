import { generateJobSelector } from '../../api/defaults';
import type { ResourceInfo } from '../../api/resources';
import type { Job } from '../../api/types';
import { defaultStrategy } from './default';
import { withGeneration } from './generation';
import type { ResourceStrategy } from './strategy';

/**
 * Jobs: the default strategy with a generation, and a selector made from the Job's uid in
 * PrepareForCreate (so validation sees it), as kube-apiserver's Job strategy does:
 *
 *   POST jobs { metadata: { name: 'pi' }, spec: { template: ... } }
 *   // => spec.selector.matchLabels { 'batch.kubernetes.io/controller-uid': <its uid> }, and the template labelled to match
 */
export function jobStrategy(info: ResourceInfo): ResourceStrategy {
  const base = withGeneration(defaultStrategy(info));
  return Object.assign({}, base, {
    prepareForCreate(obj) {
      base.prepareForCreate(obj);
      generateJobSelector(obj as Job);
    },
  } satisfies Partial<ResourceStrategy>);
}
