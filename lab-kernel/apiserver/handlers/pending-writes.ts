import { resourceFor, storageKey } from '../../api/resources';
import { conflict, STALE_OBJECT } from '../../api/status';
import type { Server } from '../context';
import type { AdmissionRequest } from '../pipeline-types';
import type { Steps } from '../steps';

/**
 * Writes what admission asked to have written first (ResourceQuota's new usage), each with
 * a compare-and-swap on the revision admission saw. A conflict means another request got
 * there first: the request fails with 409 and the client retries on fresh data.
 *
 *   pendingWrites: [ResourceQuota compute (rv 12, status.used.pods 3)]
 *   // => txn update /registry/resourcequotas/dev/compute (resourcequotas/status, for admission), if still rv 12
 */
export function* writePending(server: Server, admission: AdmissionRequest): Steps<void> {
  for (const obj of admission.pendingWrites ?? []) {
    const info = resourceFor(obj.kind);
    const key = storageKey(info, obj.metadata.namespace, obj.metadata.name!);
    const seen = Number(obj.metadata.resourceVersion);
    const result = yield* server.etcd.put(`txn update ${key} (${info.resource}/status, for admission)`, [{ key, target: 'modRevision', op: '=', value: seen }], key, obj);
    if (!result.succeeded) throw conflict({ group: info.group, resource: info.resource, name: obj.metadata.name! }, STALE_OBJECT);
  }
}
