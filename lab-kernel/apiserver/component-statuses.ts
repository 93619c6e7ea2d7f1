import type { ApiRequest, ApiResponse } from '../api/request';
import type { ResourceInfo } from '../api/resources';
import { methodNotAllowed, notFound } from '../api/status';
import type { ComponentStatus } from '../api/types';
import type { Server } from './context';
import { API_SERVER } from './identity';

/**
 * GET componentstatuses: the (deprecated since v1.19, still served) health view of the
 * control plane. Nothing is stored: each answer asks every health probe afresh.
 *
 *   kubectl get cs   // => etcd-0 Healthy, scheduler Healthy, controller-manager Healthy
 */

/** componentstatuses is served from the health probes, not stored, but asked about like any resource. */
export const COMPONENT_STATUSES: ResourceInfo = { kind: 'ComponentStatus', resource: 'componentstatuses', group: '', version: 'v1', namespaced: false, storagePrefix: '', shortNames: ['cs'], hasStatus: false };

export function componentStatuses(server: Server, req: ApiRequest): ApiResponse {
  if (req.verb !== 'list' && req.verb !== 'get') throw methodNotAllowed('the server does not allow this method on the requested resource');
  const { sim } = server;
  const status = (name: string, healthy: boolean, message: string): ComponentStatus => ({
    apiVersion: 'v1',
    kind: 'ComponentStatus',
    metadata: { name },
    conditions: [{ type: 'Healthy', status: healthy ? 'True' : 'False', ...(healthy ? { message } : { error: message }) }],
  });
  const items: ComponentStatus[] = [];
  for (const probe of server.probes) {
    const now = sim.now();
    sim.trace.message(now, API_SERVER, probe.component, now, 'request', 'GET /healthz');
    const h = probe.healthz();
    sim.trace.message(now, probe.component, API_SERVER, now, 'response', h.message);
    items.push(status(probe.name, h.healthy, h.message));
  }
  const found = req.name ? items.filter((i) => i.metadata.name === req.name) : items;
  if (req.name) {
    if (found.length === 0) throw notFound({ group: '', resource: 'componentstatuses', name: req.name });
    return { code: 200, body: found[0] };
  }
  return { code: 200, body: { apiVersion: 'v1', kind: 'ComponentStatusList', metadata: { resourceVersion: '' }, items } };
}
