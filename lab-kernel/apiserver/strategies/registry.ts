import type { ResourceInfo } from '../../api/resources';
import { defaultStrategy } from './default';
import { eventStrategy } from './event';
import { jobStrategy } from './job';
import { namespaceStrategy } from './namespace';
import { nodeStrategy } from './node';
import { podStrategy } from './pod';
import type { ResourceStrategy } from './strategy';

/**
 * Which strategy each resource uses: its own where it has one, else the default.
 *
 *   strategyFor(resourceFor('Pod'))        // => podStrategy: grace periods, binding
 *   strategyFor(resourceFor('ConfigMap'))  // => defaultStrategy
 *
 * A kind that needs its own rules gets a module beside these and a line here; the pipeline
 * and the verbs do not change.
 */
const STRATEGIES: Readonly<Record<string, (info: ResourceInfo) => ResourceStrategy>> = {
  events: eventStrategy,
  jobs: jobStrategy,
  namespaces: namespaceStrategy,
  nodes: nodeStrategy,
  pods: podStrategy,
};

export function strategyFor(info: ResourceInfo): ResourceStrategy {
  return (STRATEGIES[info.resource] ?? defaultStrategy)(info);
}
