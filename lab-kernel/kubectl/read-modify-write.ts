import type { ApiResponse } from '../api/request';
import type { KubeObject } from '../api/types';
import type { Kubectl } from './kubectl';

/**
 * One optimistic update, as every Kubernetes client writes it: GET the object, change the copy
 * it read, and send it back with an UPDATE. The copy still carries the resourceVersion it was
 * read at, so the API server refuses it with 409 Conflict if someone else wrote in between.
 * Returns the UPDATE's answer (or the GET's, when the read failed and nothing was sent).
 *
 *   readModifyWrite(kubectl, 'namespaces', 'demo', (ns) => ({ ...ns, metadata: { ...ns.metadata, labels: { team: 'blue' } } }))
 *   // => { code: 200, body: the Namespace, labelled, at a new resourceVersion }
 *   // trace: kubectl -> kube-apiserver  get namespaces demo, then  update namespaces demo
 */
export function readModifyWrite(
  kubectl: Pick<Kubectl, 'request'>,
  resource: string,
  name: string,
  change: (current: KubeObject) => KubeObject,
  namespace?: string,
): ApiResponse {
  const where = namespace === undefined ? { resource, name } : { resource, namespace, name };
  const read = kubectl.request({ verb: 'get', ...where });
  if (read.code !== 200) return read;
  return kubectl.request({ verb: 'update', ...where, body: change(read.body as KubeObject) });
}
