import type { ApiResponse } from '../../api/request';
import { badRequest, StatusError } from '../../api/status';
import type { KubeObject } from '../../api/types';
import { decode } from '../codec';
import type { Call, Server } from '../context';
import { applyPatch, PatchError, type Json } from '../patch';
import { retryStale } from '../stale-write';
import type { Steps } from '../steps';
import { startingPoint } from './read';
import { SUBRESOURCES } from '../subresources/registry';
import { bodyKindOf, writeUpdate } from './update';

/**
 * PATCH: the patch is applied to the stored object (patch.ts), and the result goes through
 * the same stages as an update. Unless the patch itself names a resourceVersion, a
 * conflict is retried on the fresh object, as kube-apiserver does: a patch says what to
 * change, not what it saw.
 *
 *   PATCH deployments/web { spec: { replicas: 5 } }   (strategic merge)   // => 200, generation +1
 *   PATCH deployments/web/scale { spec: { replicas: 5 } }                  // the patch applies to the Scale
 */
export function* patch(server: Server, call: Call): Steps<ApiResponse> {
  const { req, info } = call;
  const type = req.patchType ?? 'application/strategic-merge-patch+json';
  const pinned = (req.body as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion !== undefined;
  return yield* retryStale(pinned, function* (from) {
    const start = yield* startingPoint(server, info, req, from);
    let patched: KubeObject;
    try {
      patched = applyPatch(patchTarget(call, decode(start.kv)) as unknown as Json, req.body, type) as unknown as KubeObject;
    } catch (err) {
      if (!(err instanceof PatchError)) throw err;
      throw err.code === 400 ? badRequest(err.message) : invalidPatch(err.message);
    }
    if (patched === null || typeof patched !== 'object' || Array.isArray(patched)) throw invalidPatch('the patch did not produce an object');
    const body = Object.assign({}, patched, { metadata: { ...(patched.metadata ?? {}) } }) as KubeObject;
    return yield* writeUpdate(server, Object.assign({}, call, { req: Object.assign({}, req, { body }) }), start, server.pipeline.decode(bodyKindOf(call), Object.assign({}, req, { body })));
  });
}

/** What a patch applies to: the stored object, or its subresource's view of it (a PATCH of deployments/web/scale patches the Scale). */
function patchTarget(call: Call, stored: KubeObject): KubeObject {
  const view = call.req.subresource === undefined ? undefined : SUBRESOURCES[call.req.subresource]?.view;
  return view === undefined ? stored : view(stored);
}

/** A JSON patch that does not apply to the stored object: 422, with the patch library's words. */
function invalidPatch(message: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Invalid', code: 422 });
}
