import type { KubeObject } from '../../api/types';
import { sameJson } from '../codec';
import type { ResourceStrategy } from './strategy';

/** Whether an update changed what the kind's generation counts: by default its spec. */
export type DesiredStateChanged = (next: Readonly<KubeObject>, old: Readonly<KubeObject>) => boolean;

export const specChanged: DesiredStateChanged = (next, old) => !sameJson(next.spec, old.spec);

/**
 * metadata.generation, for the kinds whose registry strategy keeps one (workloads, Ingress,
 * EndpointSlice; not ConfigMap, Secret, Service, Namespace, Event, Pod in 1.32): 1 on create,
 * and 1 more on an update that changed the desired state. Every other update keeps it (the
 * API server copies the stored generation before asking the strategy, so a client cannot set it).
 *
 *   withGeneration(defaultStrategy(rs)).prepareForCreate(rs)                   // => generation 1
 *   prepareForUpdate({ spec: { replicas: 3 } }, { generation: 4, spec: { replicas: 2 } })  // => generation 5
 *   prepareForUpdate({ metadata: { labels } }, { generation: 4 })              // => generation 4
 */
export function withGeneration(strategy: ResourceStrategy, changed: DesiredStateChanged = specChanged): ResourceStrategy {
  return Object.assign({}, strategy, {
    prepareForCreate(obj) {
      strategy.prepareForCreate(obj);
      obj.metadata.generation = 1;
    },
    prepareForUpdate(next, old) {
      strategy.prepareForUpdate(next, old);
      if (changed(next, old)) next.metadata.generation = (old.metadata.generation ?? 0) + 1;
    },
  } satisfies Partial<ResourceStrategy>);
}
