import type { ResourceInfo } from '../../api/resources';
import { daemonSetStrategy } from './daemonset';
import { defaultStrategy } from './default';
import { deploymentStrategy } from './deployment';
import { endpointSliceStrategy } from './endpoint-slice';
import { eventStrategy } from './event';
import { withGeneration } from './generation';
import { jobStrategy } from './job';
import { namespaceStrategy } from './namespace';
import { nodeStrategy } from './node';
import { podStrategy } from './pod';
import { serviceStrategy } from './service';
import type { ResourceStrategy } from './strategy';

/**
 * Which strategy each resource uses: its own where it has one, else the default.
 *
 *   strategyFor(resourceFor('Pod'))        // => podStrategy: grace periods, binding
 *   strategyFor(resourceFor('ConfigMap'))  // => defaultStrategy: no generation
 *   strategyFor(resourceFor('ReplicaSet')) // => the default with a generation (generation.ts)
 *
 * A kind that needs its own rules gets a module beside these and a line here; the pipeline
 * and the verbs do not change. A strategy holds no state of its own, so each resource's is made
 * once and shared (frozen) by every request.
 */
const STRATEGIES: Readonly<Record<string, (info: ResourceInfo) => ResourceStrategy>> = {
  cronjobs: (info) => withGeneration(defaultStrategy(info)),
  daemonsets: daemonSetStrategy,
  deployments: deploymentStrategy,
  endpointslices: endpointSliceStrategy,
  events: eventStrategy,
  ingresses: (info) => withGeneration(defaultStrategy(info)),
  jobs: jobStrategy,
  namespaces: namespaceStrategy,
  nodes: nodeStrategy,
  pods: podStrategy,
  replicasets: (info) => withGeneration(defaultStrategy(info)),
  replicationcontrollers: (info) => withGeneration(defaultStrategy(info)),
  services: serviceStrategy,
  statefulsets: (info) => withGeneration(defaultStrategy(info)),
};

const made = new WeakMap<ResourceInfo, ResourceStrategy>();

export function strategyFor(info: ResourceInfo): ResourceStrategy {
  let strategy = made.get(info);
  if (strategy === undefined) made.set(info, (strategy = Object.freeze((STRATEGIES[info.resource] ?? defaultStrategy)(info))));
  return strategy;
}
