import { generateJobSelector } from '../../api/defaults';
import type { ResourceInfo } from '../../api/resources';
import type { Job } from '../../api/types';
import { defaultStrategy } from './default';
import type { ResourceStrategy } from './strategy';

/**
 * Jobs: the default strategy, except that a Job's selector is made from its uid, as
 * kube-apiserver's Job strategy does:
 *
 *   POST jobs { metadata: { name: 'pi' }, spec: { template: ... } }
 *   // => spec.selector.matchLabels { 'batch.kubernetes.io/controller-uid': <its uid> }, and the template labelled to match
 */
export function jobStrategy(info: ResourceInfo): ResourceStrategy {
  return {
    ...defaultStrategy(info),
    afterUid(obj) {
      generateJobSelector(obj as Job);
    },
  };
}
