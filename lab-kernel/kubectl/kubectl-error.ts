import type { ApiRequest, ApiResponse } from '../api/request';
import type { ResourceInfo } from '../api/resources';
import type { Status } from '../api/status';

/**
 * What every kubectl command shares: its error (with kubectl's wording), the check of an API
 * server answer, and how it names an object's kind.
 *
 *   checked({ code: 404, body: { reason: 'NotFound', message: 'pods "nope" not found' } })
 *   // throws KubectlError('Error from server (NotFound): pods "nope" not found')
 *   displayName(resourceFor('Deployment'))      // => 'deployment.apps'   (core kinds: 'pod')
 *   resourceString(resourceFor('Deployment'))   // => 'deployments.apps'  (core kinds: 'pods')
 */
export class KubectlError extends Error {
  constructor(
    message: string,
    readonly status?: Status,
  ) {
    super(message);
    this.name = 'KubectlError';
  }
}

/** One request, answered: how a command file talks to the API server (Kubectl.request). */
export type Send = (req: ApiRequest) => ApiResponse;

/** The response if it succeeded; else a KubectlError saying `Error from server (Reason): ...`. */
export function checked(res: ApiResponse, doing?: string): ApiResponse {
  if (res.code < 400) return res;
  const status = res.body as Status;
  const when = doing ? `error when ${doing} "STDIN": ` : '';
  throw new KubectlError(`Error from server (${status.reason ?? res.code}): ${when}${status.message}`, status);
}

/** `replicaset.apps` for grouped kinds, `pod` for the core group: how kubectl names objects. */
export function displayName(info: ResourceInfo): string {
  return info.group === '' ? info.kind.toLowerCase() : `${info.kind.toLowerCase()}.${info.group}`;
}

/** `deployments.apps`, `pods`: how kubectl names a resource in a per-object error. */
export function resourceString(info: ResourceInfo): string {
  return info.group === '' ? info.resource : `${info.resource}.${info.group}`;
}
