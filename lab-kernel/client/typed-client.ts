import { findResource } from '../api/resources';
import type { Status } from '../api/status';
import type { KubeList, KubeObject, WatchEvent } from '../api/types';
import type { ApiRequest, PatchType, PropagationPolicy } from '../api/request';
import type { Client } from './client';

/**
 * A typed client for one resource, in the shape of client-go's clientset
 * (`clientset.CoreV1().Pods("default").Get(ctx, "web", ...)`), with callbacks instead of
 * blocking calls because everything answers in virtual time:
 *
 *   const pods = typedClient<Pod>(client, 'pods', 'default');
 *   pods.get('web', (r) => (r.kind === 'ok' ? r.object.spec.nodeName : r.status.message));
 *   pods.list({ labelSelector: 'app=web' }, (r) => r.kind === 'ok' && r.object.items.length);
 *   pods.updateStatus(pod, (r) => ...);            // PUT .../pods/web/status
 *   pods.delete('web', { gracePeriodSeconds: 0 }, (r) => ...);
 *
 * Every answer is either { kind: 'ok', object } with the typed object, or
 * { kind: 'error', status } with the API server's Status (404, 409, 422, ...).
 */
export type Result<T> = { kind: 'ok'; object: T } | { kind: 'error'; status: Status };

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface TypedResource<T extends KubeObject> {
  get(name: string, done: (r: Result<T>) => void): void;
  list(options: ListOptions, done: (r: Result<KubeList<T>>) => void): void;
  create(obj: T, done: (r: Result<T>) => void): void;
  update(obj: T, done: (r: Result<T>) => void): void;
  updateStatus(obj: T, done: (r: Result<T>) => void): void;
  patch(name: string, type: PatchType, patch: unknown, done: (r: Result<T>) => void): void;
  delete(name: string, options: { gracePeriodSeconds?: number; propagationPolicy?: PropagationPolicy }, done: (r: Result<T>) => void): void;
  /** Returns a function that stops the watch. */
  watch(options: ListOptions & { resourceVersion?: string }, onEvent: (e: WatchEvent<T>) => void, onError?: (status: Status) => void): () => void;
}

export function typedClient<T extends KubeObject>(client: Client, resource: string, namespace?: string): TypedResource<T> {
  const info = findResource(resource);
  if (info === undefined || info.resource !== resource) throw new Error(`the lab serves no resource ${JSON.stringify(resource)}`);
  const ns = info.namespaced ? namespace : undefined;
  const base = { resource, namespace: ns };
  const send = <R>(req: ApiRequest, done: (r: Result<R>) => void) =>
    client.request(req, (res) => done(res.code < 300 ? { kind: 'ok', object: res.body as R } : { kind: 'error', status: res.body as Status }));
  return {
    get: (name, done) => send(Object.assign({}, base, { verb: 'get' as const, name }), done),
    list: (options, done) => send(Object.assign({}, base, options, { verb: 'list' as const }), done),
    create: (obj, done) => send(Object.assign({}, base, { verb: 'create' as const, body: obj }), done),
    update: (obj, done) => send(Object.assign({}, base, { verb: 'update' as const, name: obj.metadata.name, body: obj }), done),
    updateStatus: (obj, done) => send(Object.assign({}, base, { verb: 'update' as const, subresource: 'status' as const, name: obj.metadata.name, body: obj }), done),
    patch: (name, type, patch, done) => send(Object.assign({}, base, { verb: 'patch' as const, name, patchType: type, body: patch }), done),
    delete: (name, options, done) => send(Object.assign({}, base, options, { verb: 'delete' as const, name }), done),
    watch: (options, onEvent, onError) => client.watch(Object.assign({}, base, options, { verb: 'watch' as const }), (e) => onEvent(e as WatchEvent<T>), onError),
  };
}
