import type { ApiRequest, ApiResponse } from './request';
import type { Status } from './status';
import type { WatchEvent } from './types';

/**
 * What a client needs from whatever answers its requests: one call for a request and its
 * answer, one for a watch stream. The simulated kube-apiserver (apiserver/api-server.ts)
 * implements it; another front, such as an HTTP server that real kubectl talks to, could too.
 *
 *   transport.serve('kubectl', { verb: 'get', resource: 'pods', namespace: 'default', name: 'web' }, (res) => ...)
 *   // res => { code: 200, body: { kind: 'Pod', metadata: { name: 'web', ... }, ... } }
 *   const stop = transport.watch('kube-scheduler', { verb: 'watch', resource: 'pods' }, (event) => ..., (status) => ...)
 *   // event => { type: 'ADDED', object: { kind: 'Pod', ... } }, then MODIFIED, DELETED ...
 */
export interface ApiTransport {
  /** The component requests travel to, as the trace names it: `kube-apiserver`. */
  readonly name: string;
  /** Serves one request from `caller`; `reply` is called once, at once or later. */
  serve(caller: string, req: ApiRequest, reply: (res: ApiResponse) => void): void;
  /**
   * Starts a watch: events go to `sink` in order, and an error ends it; `onClosed` hears that
   * the server ended it without an error (its watch cache is listing again). Returns a function that stops it.
   */
  watch(caller: string, req: ApiRequest, sink: WatchSink, onError: WatchError, onClosed?: () => void): () => void;
}

/** Where a watch delivers its events. */
export type WatchSink = (event: WatchEvent) => void;
/** How a watch that the server ended says why (410 Expired, 403 Forbidden, ...). */
export type WatchError = (status: Status) => void;
