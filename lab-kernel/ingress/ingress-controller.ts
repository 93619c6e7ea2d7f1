import type { EndpointSlice, Ingress, Service } from '../api/types';
import { PendingRequests, runWorker, type ReconcileOutcome } from '../client/controller-runner';
import type { Informer } from '../client/informer';
import type { SharedInformerFactory } from '../client/shared-informer-factory';
import { WorkQueue } from '../client/work-queue';
import type { Handler, Incoming, Reply } from '../net/namespace';
import { formatIp } from '../net/ipv4';
import type { HttpClient } from '../runtime/node-network';
import type { HttpAnswer, HttpRequest } from '../runtime/resource-consumer';
import type { Simulation } from '../sim/simulation';
import { servesIngress, type IngressClassConfig } from './ingress-class';
import { route, routingTable, type RouteDecision, type RoutingTable, type UpstreamEndpoint } from './ingress-routes';
import { nginxErrorPage } from './nginx-error-page';
import { proxiedRequest } from './proxied-request';

/**
 * The ingress-nginx controller's process (v1.11.3): it watches Ingresses, Services and
 * EndpointSlices, keeps the routing table they make (ingress-routes.ts), and is the nginx that
 * listens on port 80 of its pod: each request is routed by Host and path and sent straight to a
 * pod's IP and port, round-robin over the upstream's endpoints (the Lua balancer's default,
 * load-balance: round_robin), with the X-Forwarded-* headers (proxied-request.ts); the backend's
 * answer goes back to the client. It answers /healthz on port 10254 (its probes), and writes the
 * address clients reach it by into the status of the Ingresses it serves.
 *
 *   const c = new IngressController(sim, informers, { listen, http }, { classes: NGINX_CLASS });
 *   const stop = c.start();
 *   // GET / Host: shop.example from 192.168.0.10 => proxied to 10.244.1.2:8080 with
 *   //   X-Forwarded-For: 192.168.0.10, X-Real-IP: 192.168.0.10 => the pod's answer
 *   // no Ingress for the host => 404 (nginx's page); no ready endpoint => 503
 *
 * Simplified: the table is rebuilt on the next request after any change (ingress-nginx posts
 * the new backends to its Lua balancer after a rate-limited sync, about a second later); one
 * nginx worker (each worker balances on its own); the round robin starts at the first endpoint
 * in slice order and starts over when the endpoints change (lua-resty-balancer's order follows
 * a Lua table's); a failed connection is tried on the next endpoint up to 3 times in all
 * (proxy_next_upstream error timeout, proxy-next-upstream-tries 3), within the connect timeout
 * (5 s), then 502 (refused, unreachable) or 504 (timed out); status is written as soon as the
 * address is known and an Ingress lacks it (ingress-nginx's leader does so every 60 s).
 */
export interface IngressTransport {
  /** Listens on the controller pod's network namespace: what it returns closes the socket. */
  listen(proto: 'tcp', port: number, handler: Handler): () => void;
  /** An HTTP exchange from the controller pod's namespace. */
  http: HttpClient;
}

export interface IngressControllerOptions {
  classes: IngressClassConfig;
  /** Writes an Ingress's status (PUT .../ingresses/<name>/status); without it, no status is published. */
  updateStatus?: (ing: Ingress, done: (failure?: string) => void) => void;
  /** A line on the controller's log. */
  log?: (line: string) => void;
}

export const HTTP_PORT = 80;
/** --healthz-port: the probes' /healthz. */
export const HEALTHZ_PORT = 10254;
const CONNECT_TIMEOUT_MS = 5_000;
const NEXT_UPSTREAM_TRIES = 3;

export class IngressController {
  private readonly ingresses: Informer<Ingress>;
  private readonly services: Informer<Service>;
  private readonly slices: Informer<EndpointSlice>;
  private readonly statusQueue: WorkQueue;
  private table: RoutingTable | undefined;
  /** The round robin's next index per upstream, with the endpoints it was for. */
  private readonly turns = new Map<string, { endpoints: string; next: number }>();
  private statusAddress: string | undefined;

  constructor(
    private readonly sim: Simulation,
    informers: SharedInformerFactory,
    private readonly transport: IngressTransport,
    private readonly options: IngressControllerOptions,
  ) {
    this.ingresses = informers.informerFor<Ingress>('ingresses');
    this.services = informers.informerFor<Service>('services');
    this.slices = informers.informerFor<EndpointSlice>('endpointslices');
    const changed = { onAdd: () => this.changed(), onUpdate: () => this.changed(), onDelete: () => this.changed() };
    this.ingresses.addEventHandler(changed);
    this.services.addEventHandler(changed);
    this.slices.addEventHandler(changed);
    this.statusQueue = new WorkQueue(sim);
    const enqueue = (ing: Readonly<Ingress>) => this.statusQueue.add(`${ing.metadata.namespace}/${ing.metadata.name}`);
    this.ingresses.addEventHandler({ onAdd: enqueue, onUpdate: (_old, ing) => enqueue(ing) });
  }

  /** Opens ports 80 and 10254 and starts publishing status; returns what closes them. */
  start(): () => void {
    runWorker(this.sim, 'ingress-nginx', this.statusQueue, (key) => this.syncStatus(key), { controller: 'ingress-nginx status' });
    const closeHttp = this.transport.listen('tcp', HTTP_PORT, (req, reply) => this.serve(req, reply));
    const closeHealthz = this.transport.listen('tcp', HEALTHZ_PORT, (req, reply) => reply(answer(healthz(req.payload as HttpRequest | undefined))));
    return () => {
      closeHttp();
      closeHealthz();
    };
  }

  /** The address written into status.loadBalancer.ingress of the served Ingresses (the node's, for a NodePort install). */
  publishStatus(ip: string): void {
    this.statusAddress = ip;
    for (const ing of this.ingresses.lister.list()) this.statusQueue.add(`${ing.metadata.namespace}/${ing.metadata.name}`);
  }

  /** The routing table now (the served Ingresses, the Services, the slices). */
  routes(): RoutingTable {
    this.table ??= routingTable({
      ingresses: this.ingresses.lister.list().filter((i) => servesIngress(i, this.options.classes)),
      services: this.services.lister.list(),
      slices: this.slices.lister.list(),
    });
    return this.table;
  }

  /** What nginx decides for a request (the pure routing, with this table). */
  decide(host: string, path: string): RouteDecision {
    return route(this.routes(), host, path);
  }

  private changed(): void {
    this.table = undefined;
  }

  private serve(req: Incoming, reply: (r: Reply) => void): void {
    const request = (req.payload as HttpRequest | undefined) ?? { method: 'GET', path: '/' };
    const host = request.headers?.Host ?? '';
    const decision = this.decide(host, request.path);
    if (decision.kind === 'default-backend') return reply(answer(nginxErrorPage(404)));
    if (decision.kind === 'redirect') return reply(answer(nginxErrorPage(301)));
    if (decision.kind === 'unavailable') {
      this.options.log?.(`upstream ${decision.upstream.name}: ${decision.upstream.problem ?? 'no endpoints'}; 503`);
      return reply(answer(nginxErrorPage(503)));
    }
    const proxied = proxiedRequest(request, formatIp(req.from), HTTP_PORT);
    const endpoints = decision.upstream.endpoints;
    const attempt = (tries: number) => {
      const ep = this.nextEndpoint(decision.upstream.name, endpoints);
      req.trace?.add({ kind: 'process', at: this.sim.now(), ns: req.ns, packetId: 0, process: 'nginx (ingress controller)', what: `Host ${host}, path ${request.path}: upstream ${decision.upstream.name}; connecting to ${ep.ip}:${ep.port} (round robin)` });
      this.transport.http(ep.ip, ep.port, proxied, CONNECT_TIMEOUT_MS, (outcome) => {
        if (typeof outcome !== 'string') return reply(answer(outcome));
        this.options.log?.(`connect() to ${ep.ip}:${ep.port} failed (${outcome}) while connecting to upstream ${decision.upstream.name}`);
        if (tries + 1 < Math.min(NEXT_UPSTREAM_TRIES, endpoints.length)) return attempt(tries + 1);
        reply(answer(nginxErrorPage(outcome === 'ETIMEDOUT' ? 504 : 502)));
      }, req.trace);
    };
    attempt(0);
  }

  /** round_robin: each endpoint in turn; the turn starts over when the endpoints change. */
  private nextEndpoint(upstream: string, endpoints: readonly UpstreamEndpoint[]): UpstreamEndpoint {
    const key = endpoints.map((e) => `${e.ip}:${e.port}`).join(',');
    let turn = this.turns.get(upstream);
    if (turn === undefined || turn.endpoints !== key) this.turns.set(upstream, (turn = { endpoints: key, next: 0 }));
    const ep = endpoints[turn.next % endpoints.length];
    turn.next = (turn.next + 1) % endpoints.length;
    return ep;
  }

  private syncStatus(key: string): ReconcileOutcome | PendingRequests {
    const ing = this.ingresses.lister.get(key);
    const ip = this.statusAddress;
    const update = this.options.updateStatus;
    if (ing === undefined || ip === undefined || update === undefined || !servesIngress(ing, this.options.classes)) return 'done';
    const current = ing.status?.loadBalancer?.ingress ?? [];
    if (current.length === 1 && current[0].ip === ip && current[0].hostname === undefined) return 'done';
    const writes = new PendingRequests();
    update(Object.assign({}, ing, { status: { loadBalancer: { ingress: [{ ip }] } } }), writes.start());
    return writes;
  }
}

/** The /healthz endpoint of the controller's status server: 200 'ok' (nginx's own /healthz answers 200). */
function healthz(request: HttpRequest | undefined): HttpAnswer {
  const path = (request?.path ?? '/').split('?')[0];
  return path === '/healthz' ? { code: 200, body: 'ok' } : { code: 404, body: '404 page not found\n' };
}

const answer = (a: HttpAnswer): Reply => ({ length: a.body.length, payload: a });
