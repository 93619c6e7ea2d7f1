import { selectorMatches } from '../../api/labels';
import { describeRequest, type ApiRequest } from '../../api/request';
import { storageKey, storagePrefix } from '../../api/resources';
import { badRequest } from '../../api/status';
import type { WatchSink } from '../../api/transport';
import type { KubeObject } from '../../api/types';
import type { Server } from '../context';
import { parseFieldSelector, requiredValue } from '../field-selector';
import { API_SERVER } from '../identity';
import type { ResourceStrategy } from '../strategies/strategy';
import { labelSelectorOf } from './read';

/**
 * WATCH, served from the resource's watch cache (watch-cache.ts), not from etcd.
 * `resourceVersion` unset or "0": first an ADDED event for every existing object, then
 * changes. An exact resourceVersion: every change after it, or 410 Expired if the cache's
 * history no longer reaches back that far. `allowWatchBookmarks`: BOOKMARK events too.
 * 429 while the cache lists again; `closed` hears that the cache closed the stream.
 *
 *   WATCH pods ?resourceVersion=42   // => MODIFIED web (rv 43), DELETED db (rv 44), ...
 *
 * Returns a function that stops the watch.
 */
export function watch(server: Server, caller: string, strategy: ResourceStrategy, req: ApiRequest, sink: WatchSink, closed: () => void): () => void {
  const info = strategy.info;
  const labels = labelSelectorOf(req);
  const fields = parseFieldSelector(strategy.selectableFields, req.fieldSelector);
  const matches = (obj: KubeObject | undefined): boolean =>
    obj !== undefined && fields(obj) && (labels === undefined || selectorMatches(labels, obj.metadata.labels));
  const exact = req.resourceVersion !== undefined && req.resourceVersion !== '' && req.resourceVersion !== '0';
  const resourceVersion = exact ? Number(req.resourceVersion) : undefined;
  if (resourceVersion !== undefined && !Number.isInteger(resourceVersion)) throw badRequest(`invalid resource version: ${req.resourceVersion}`);
  const cacheWatch = server.watchCache(info).watch(
    {
      key: req.name ? storageKey(info, req.namespace, req.name) : storagePrefix(info, req.namespace),
      prefix: !req.name,
      matches,
      trigger: triggerOf(strategy, req),
      resourceVersion,
      bookmarks: req.allowWatchBookmarks === true,
    },
    sink,
    closed,
  );
  server.sim.trace.action(server.sim.now(), API_SERVER, `${describeRequest(req)} from revision ${cacheWatch.from} for ${caller}`);
  return () => cacheWatch.stop();
}

/** The watch cache's index entry for this watch: the strategy's trigger field, if the selector pins it. */
function triggerOf(strategy: ResourceStrategy, req: ApiRequest): { field: string; value: string } | undefined {
  if (strategy.watchTrigger === undefined) return undefined;
  const value = requiredValue(req.fieldSelector, strategy.watchTrigger);
  return value === undefined ? undefined : { field: strategy.watchTrigger, value };
}
