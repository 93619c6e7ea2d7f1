import type { Node } from '../api/types';
import type { Client } from '../client/client';
import { runWorker, type ReconcileOutcome } from '../client/controller-runner';
import { Informer } from '../client/informer';
import { WorkQueue } from '../client/work-queue';
import type { NetNamespace } from '../net/namespace';
import type { HostGwRoutesFn, RouteSpec } from '../net/route-lookup-contract';
import type { Simulation } from '../sim/simulation';

/**
 * The per-node agent of the pod network in host-gw mode, as flanneld runs on every node (a
 * DaemonSet pod with hostNetwork): it watches the Node objects and keeps one route in the
 * node's root namespace for each other node's pod CIDR, via that node's InternalIP out of eth0.
 * Which routes the Nodes call for is the decision of exercise route-lookup
 * (net/route-lookup-contract.ts, its `hostGw` question), handed in by the composition root. A
 * node that registers (or gets its podCIDR later) gets a route on every node; a Node deleted
 * loses it everywhere.
 *
 *   const agent = new HostGwAgent(sim, client, node1RootNamespace, 'node-1', hostGwRoutes);
 *   agent.start();
 *   // once node-2 is registered: `ip route` on node-1 shows '10.244.2.0/24 via 192.168.1.12 dev eth0'
 *   kubectl delete node node-2   // => the route is gone from node-1
 *
 * Sample-controller shape with one key, the node's routes: the handlers enqueue it when a Node
 * comes, goes, or changes its pod CIDR or InternalIP; a sync asks for the routes all the Nodes
 * call for, compares them with the ones it installed, deletes what is no longer wanted and
 * adds what is missing. A decision that throws, or a route the kernel refuses (another route to
 * the same subnet, say: the others are added all the same), is retried with backoff. Where flanneld also re-checks its routes every
 * 10 s and puts back one deleted by hand, this agent does not. It runs with its node's
 * credentials (flanneld uses its ServiceAccount, whose ClusterRole gives it the same read access
 * to Nodes).
 */
export class HostGwAgent {
  readonly nodes: Informer<Node>;
  private readonly queue: WorkQueue;
  /** The routes it installed, by destination. */
  private readonly installed = new Map<string, RouteSpec>();

  constructor(
    sim: Simulation,
    client: Client,
    /** The node's root namespace: where the routes go. */
    private readonly host: NetNamespace,
    /** Its own node's name. */
    private readonly self: string,
    /** The routes the Nodes call for (exercise route-lookup), from the composition root. */
    private readonly hostGwRoutes: HostGwRoutesFn,
  ) {
    this.queue = new WorkQueue(sim);
    this.nodes = new Informer<Node>(sim, client, { resource: 'nodes' });
    const changed = () => this.queue.add(ROUTES_KEY);
    this.nodes.addEventHandler({
      onAdd: changed,
      // A Node's status changes every few minutes; only a new address or pod CIDR concerns the routes.
      onUpdate: (old, n) => (old.spec?.podCIDR !== n.spec?.podCIDR || internalIP(old) !== internalIP(n)) && changed(),
      onDelete: changed,
    });
    runWorker(sim, client.component, this.queue, () => this.sync(), { controller: 'host-gw' });
  }

  start(): void {
    this.nodes.start();
  }

  hasSynced(): boolean {
    return this.nodes.hasSynced();
  }

  /** Its process is exiting: the queue takes nothing more (the routes it made stay, as flanneld's do). */
  shutDown(): void {
    this.queue.shutDown();
  }

  private sync(): ReconcileOutcome {
    let wanted: RouteSpec[];
    try {
      wanted = this.hostGwRoutes(this.self, this.nodes.lister.list());
    } catch (e) {
      return { retry: `host-gw routes: ${(e as Error).message} (will retry)` };
    }
    const want = new Map(wanted.map((r) => [r.dst, r]));
    for (const [dst, have] of this.installed) {
      if (sameRoute(want.get(dst), have)) continue;
      deleteIfThere(this.host, dst);
      this.installed.delete(dst);
    }
    const refused: string[] = [];
    for (const [dst, route] of want) {
      if (this.installed.has(dst)) continue;
      try {
        this.host.addRoute(route);
        this.installed.set(dst, route);
      } catch (e) {
        refused.push(`add route ${route.dst} via ${route.via} dev ${route.dev}: ${(e as Error).message}`);
      }
    }
    return refused.length === 0 ? 'done' : { retry: `${refused.join('; ')} (will retry)` };
  }
}

/** The agent's one work-queue key: all of its node's host-gw routes. */
const ROUTES_KEY = 'routes';

function internalIP(node: Readonly<Node>): string | undefined {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

function sameRoute(a: RouteSpec | undefined, b: RouteSpec | undefined): boolean {
  return a?.dst === b?.dst && a?.via === b?.via && a?.dev === b?.dev;
}

function deleteIfThere(ns: NetNamespace, dst: string): void {
  try {
    ns.routes.delete(dst);
  } catch {
    // RTNETLINK answers: No such process: someone deleted it by hand.
  }
}
