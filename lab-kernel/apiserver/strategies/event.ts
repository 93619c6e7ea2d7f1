import type { ResourceInfo } from '../../api/resources';
import { defaultStrategy } from './default';
import type { ResourceStrategy } from './strategy';

/** How long an Event lives in etcd (kube-apiserver's --event-ttl, default 1h), through a lease. */
export const EVENT_TTL_SECONDS = 3600;

/**
 * Events: the default strategy, except that they expire. kube-apiserver stores each one under
 * an etcd lease of --event-ttl, so etcd deletes it by itself; every update gets a fresh hour.
 *
 *   POST events { reason: 'Scheduled', ... }   // => kept for 1 h after its last write
 *
 * A field selector may also name the involved object's fields, the reason, the type and the
 * reporting component (pkg/registry/core/event/strategy.go's ToSelectableFields), which is
 * how `kubectl describe` finds an object's Events:
 *
 *   GET events?fieldSelector=involvedObject.name=web,involvedObject.namespace=default,involvedObject.uid=...
 *
 * Not modelled: `source`, which reads source.component or else the reporting controller.
 */
const SELECTABLE_FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'type',
];

export function eventStrategy(info: ResourceInfo): ResourceStrategy {
  return Object.assign({}, defaultStrategy(info), {
    selectableFields: SELECTABLE_FIELDS,
    ttlSeconds: EVENT_TTL_SECONDS,
  } satisfies Partial<ResourceStrategy>);
}
