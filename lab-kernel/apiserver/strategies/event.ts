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
 */
export function eventStrategy(info: ResourceInfo): ResourceStrategy {
  return {
    ...defaultStrategy(info),
    ttlSeconds: EVENT_TTL_SECONDS,
  };
}
