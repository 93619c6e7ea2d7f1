import { describeRequest, type ApiRequest, type ApiResponse } from '../apiserver/request';
import { API_SERVER, type ApiServer } from '../apiserver/api-server';
import type { Status } from '../api/status';
import type { KubeObject, WatchEvent } from '../api/types';
import type { Credentials } from '../apiserver/pipeline-types';
import type { ReflectorStep } from './reflector-contract';
import type { Network } from '../sim/network';

/**
 * How a component talks to the API server: every request and every watch event crosses the
 * simulated network, so it takes time and shows up in the trace.
 *
 *   const client = new Client('kube-scheduler', net, api);
 *   client.request({ verb: 'list', resource: 'nodes' }, (res) => { ... res.code, res.body ... });
 *   const stop = client.watch({ verb: 'watch', resource: 'pods', resourceVersion: '42' }, (event) => { ... });
 */
export interface ClientOptions {
  /** What every request carries to say who sends it (a client certificate, a token). */
  credentials?: Credentials;
  /** The list/watch loop this client's informers run (exercise `reflector`); default the reference. */
  reflectorStep?: ReflectorStep;
}

export class Client {
  readonly credentials: Credentials | undefined;
  readonly reflectorStep: ReflectorStep | undefined;

  constructor(
    /** Who is calling: shows in the trace and in diagrams. */
    readonly component: string,
    private readonly net: Network,
    private readonly api: ApiServer,
    options: ClientOptions = {},
  ) {
    this.credentials = options.credentials;
    this.reflectorStep = options.reflectorStep;
  }

  /** The same connection, acting as someone else (kubectl's --as, or another kubeconfig user). */
  withCredentials(credentials: Credentials | undefined, component = this.component): Client {
    return new Client(component, this.net, this.api, { credentials, reflectorStep: this.reflectorStep });
  }

  request(req: ApiRequest, onResponse: (res: ApiResponse) => void): void {
    req = this.signed(req);
    this.net.send(this.component, API_SERVER, 'request', describeRequest(req), { verb: req.verb, resource: req.subresource ? `${req.resource}/${req.subresource}` : req.resource }, () =>
      this.api.serve(this.component, req, (res) =>
        this.net.send(API_SERVER, this.component, 'response', describeResponse(res), { code: res.code }, () => onResponse(res)),
      ),
    );
  }

  /** Opens a watch; events arrive in order. The returned function closes it. */
  watch(req: ApiRequest, onEvent: (event: WatchEvent) => void, onError?: (status: Status) => void): () => void {
    req = this.signed(req);
    let open = true;
    let stopServer: (() => void) | undefined;
    this.net.send(this.component, API_SERVER, 'request', describeRequest({ ...req, verb: 'watch' }), { verb: 'watch', resource: req.resource }, () => {
      if (!open) return;
      stopServer = this.api.watch(
        this.component,
        req,
        (event) =>
          this.net.send(API_SERVER, this.component, 'event', `${event.type} ${describeObject(event.object)}`, { watch: event.type }, () => {
            if (open) onEvent(event);
          }),
        (status) => this.net.send(API_SERVER, this.component, 'response', `${status.code} ${status.message}`, { code: status.code }, () => onError?.(status)),
      );
    });
    return () => {
      open = false;
      stopServer?.();
    };
  }

  private signed(req: ApiRequest): ApiRequest {
    return this.credentials === undefined || req.credentials !== undefined ? req : { ...req, credentials: this.credentials };
  }
}

/** `pods default/web-x7k2p (rv 12)` */
export function describeObject(obj: Readonly<KubeObject>): string {
  const where = obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
  return `${obj.kind} ${where}`;
}

const REASON_PHRASE: Record<number, string> = {
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
};

export function describeResponse(res: ApiResponse): string {
  const phrase = REASON_PHRASE[res.code] ?? '';
  const body = res.body as Partial<KubeObject & Status> | undefined;
  if (res.code >= 400) return `${res.code} ${phrase}: ${body?.message ?? ''}`;
  if (body && typeof body === 'object' && 'items' in body) return `${res.code} ${phrase} (${(body as { items: unknown[] }).items.length} items)`;
  return `${res.code} ${phrase}`;
}
