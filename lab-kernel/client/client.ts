import { describeRequest, type ApiRequest, type ApiResponse, type Credentials } from '../api/request';
import type { Status } from '../api/status';
import type { ApiTransport } from '../api/transport';
import type { KubeObject, WatchEvent } from '../api/types';
import type { ReflectorStep } from './reflector-contract';
import type { RelistDiff } from './relist-contract';
import type { Network } from '../sim/network';
import { LineMemo } from '../sim/line-memo';
import { dataOf, type TraceData } from '../sim/trace';

/**
 * How a component talks to the API server: every request and every watch event crosses the
 * simulated network, so it takes time and shows up in the trace. The client holds the API
 * server only as an ApiTransport (api/transport.ts): something that serves requests and watches.
 *
 *   const client = new Client('kube-scheduler', net, api);
 *   client.request({ verb: 'list', resource: 'nodes' }, (res) => { ... res.code, res.body ... });
 *   const stop = client.watch({ verb: 'watch', resource: 'pods', resourceVersion: '42' }, (event) => { ... });
 */
export interface ClientOptions {
  /** What every request carries to say who sends it (a client certificate, a token). */
  credentials?: Credentials;
  /** The list/watch decisions this client's informers run (exercise `reflector`): an informer needs it. */
  reflectorStep?: ReflectorStep;
  /** What this client's informers tell their handlers after a relist (exercise `relist`): an informer needs it. */
  relistDiff?: RelistDiff;
}

export class Client {
  readonly credentials: Credentials | undefined;
  readonly reflectorStep: ReflectorStep | undefined;
  readonly relistDiff: RelistDiff | undefined;
  private closed = false;
  /** How to close each watch still open (for close()). */
  private readonly openWatches = new Set<() => void>();

  constructor(
    /** Who is calling: shows in the trace and in diagrams. */
    readonly component: string,
    private readonly net: Network,
    private readonly api: ApiTransport,
    options: ClientOptions = {},
  ) {
    this.credentials = options.credentials;
    this.reflectorStep = options.reflectorStep;
    this.relistDiff = options.relistDiff;
  }

  /** The same connection, acting as someone else (kubectl's --as, or another kubeconfig user). */
  withCredentials(credentials: Credentials | undefined, component = this.component): Client {
    return new Client(component, this.net, this.api, { credentials, reflectorStep: this.reflectorStep, relistDiff: this.relistDiff });
  }

  /**
   * The process that owns this client has exited: it sends nothing more, and no answer or
   * watch event reaches it, not even one already on its way (its connections died with it).
   */
  close(): void {
    this.closed = true;
    for (const stop of [...this.openWatches]) stop();
  }

  isClosed(): boolean {
    return this.closed;
  }

  /**
   * Sends a request; `onResponse` is called once, with the API server's answer or, if the
   * request or its answer is lost on the network, with a connection error made by the
   * client itself (the outcome of a lost write is then unknown, as over a real network).
   */
  request(req: ApiRequest, onResponse: (res: ApiResponse) => void): void {
    if (this.closed) return;
    req = this.signed(req);
    const answer = (res: ApiResponse) => {
      if (!this.closed) onResponse(res);
    };
    const connectionLost = () => answer({ code: CONNECTION_LOST.code, body: CONNECTION_LOST });
    this.net.send(
      this.component,
      this.api.name,
      'request',
      describeRequest(req),
      requestData(req),
      () => this.api.serve(this.component, req, (res) => this.net.send(this.api.name, this.component, 'response', describeResponse(res), dataOf('code', res.code), () => answer(res), undefined, connectionLost)),
      undefined,
      connectionLost,
    );
  }

  /**
   * Opens a watch; events arrive in order. The returned function closes it. `onError` hears
   * of a watch the server ended with an error (410 Expired, ...); `onClosed` of a stream that
   * simply ended — its connection broke, or the request never arrived — after which a client
   * watches again from the last resourceVersion it saw (without onClosed, that is an error too).
   */
  watch(req: ApiRequest, onEvent: (event: WatchEvent) => void, onError?: (status: Status) => void, onClosed?: () => void): () => void {
    if (this.closed) return () => {};
    req = this.signed(req);
    let open = true;
    let stopServer: (() => void) | undefined;
    // A stream the server had opened and that then broke ends without an error (the client
    // watches again from where it was); a watch request that never got through is a
    // connection error, so the client backs off before trying again.
    const streamEnded = () => {
      if (!open) return;
      open = false;
      this.openWatches.delete(stop);
      stopServer?.();
      if (stopServer !== undefined && onClosed !== undefined) onClosed();
      else onError?.(CONNECTION_LOST);
    };
    this.net.send(this.component, this.api.name, 'request', describeRequest(Object.assign({}, req, { verb: 'watch' })), { verb: 'watch', resource: req.resource }, () => {
      if (!open) return;
      stopServer = this.api.watch(
        this.component,
        req,
        (event) =>
          this.net.send(
            this.api.name,
            this.component,
            'event',
            watchEventLine(event),
            dataOf('watch', event.type),
            () => {
              if (open) onEvent(event);
            },
            undefined,
            // A watch is one long HTTP response: a piece of it lost means the connection broke.
            // The client sees the stream end with an error, never a silent gap.
            streamEnded,
          ),
        (status) => this.net.send(this.api.name, this.component, 'response', `${status.code} ${status.message}`, dataOf('code', status.code), () => {
          if (!this.closed) onError?.(status);
        }, undefined, streamEnded),
        // The server closed the stream (its watch cache lists again): the stream simply ended.
        () => this.net.send(this.api.name, this.component, 'response', 'watch closed by the server', {}, streamEnded, undefined, streamEnded),
      );
    }, undefined, streamEnded);
    const stop = () => {
      open = false;
      this.openWatches.delete(stop);
      stopServer?.();
    };
    this.openWatches.add(stop);
    return stop;
  }

  private signed(req: ApiRequest): ApiRequest {
    return this.credentials === undefined || req.credentials !== undefined ? req : Object.assign({}, req, { credentials: this.credentials });
  }
}

/** `Pod default/web-x7k2p`; a bookmark, which names no object: `Pod rv 57` */
export function describeObject(obj: Readonly<KubeObject>): string {
  if (obj.metadata.name === undefined) return `${obj.kind} rv ${obj.metadata.resourceVersion}`;
  const where = obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
  return `${obj.kind} ${where}`;
}

/**
 * What a client reports when the network loses its request or the answer: not a Status the
 * API server sent, but the client's own error (kubectl would say "Unable to connect to the server").
 */
export const CONNECTION_LOST: Status = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  reason: 'ServiceUnavailable',
  code: 503,
  message: 'the connection to kube-apiserver was lost: the request or its answer did not arrive',
};

export const REASON_PHRASE: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Request Entity Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function describeResponse(res: ApiResponse): string {
  const phrase = REASON_PHRASE[res.code] ?? '';
  const body = res.body as Partial<KubeObject & Status> | undefined;
  if (res.code >= 400) return `${res.code} ${phrase}: ${body?.message ?? ''}`;
  if (body && typeof body === 'object' && 'items' in body) return `${res.code} ${phrase} (${(body as { items: unknown[] }).items.length} items)`;
  return RESPONSE_LINES.get([String(res.code)], () => `${res.code} ${phrase}`);
}

/** '200 OK' and the like, once each. */
const RESPONSE_LINES = new LineMemo(100);

/** A watch event's line, 'MODIFIED Lease kube-node-lease/node-7': the same object changing says the same thing, made once. */
function watchEventLine(event: WatchEvent): string {
  const m = event.object.metadata;
  if (m.name === undefined || !event.object.kind) return `${event.type} ${describeObject(event.object)}`;
  return WATCH_LINES.get([event.type, event.object.kind, m.namespace ?? '', m.name], () => `${event.type} ${describeObject(event.object)}`);
}

const WATCH_LINES = new LineMemo(20_000);

/** The trace data of a request, { verb, resource }: one frozen record per verb and resource, shared by every request that says it. */
const REQUEST_DATA = new Map<string, Map<string, TraceData>>();

function requestData(req: ApiRequest): TraceData {
  const resource = req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
  let byResource = REQUEST_DATA.get(req.verb);
  if (byResource === undefined) REQUEST_DATA.set(req.verb, (byResource = new Map()));
  let data = byResource.get(resource);
  if (data === undefined) byResource.set(resource, (data = Object.freeze({ verb: req.verb, resource })));
  return data;
}
