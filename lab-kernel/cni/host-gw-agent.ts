import type { Node } from '../api/types';
import type { Client } from '../client/client';
import { runWorker, type ReconcileOutcome } from '../client/controller-runner';
import { Informer } from '../client/informer';
import { WorkQueue } from '../client/work-queue';
import type { NetNamespace } from '../net/namespace';
import type { RouteSpec } from '../net/routing';
import type { Simulation } from '../sim/simulation';
import { setupFlannelMasq } from './flannel-masq';
import { hostGwRoute } from './host-gw-routes';

/**
 * The per-node agent of the pod network in host-gw mode, as flanneld runs on every node (a
 * DaemonSet pod with hostNetwork): it watches the Node objects and keeps one route in the
 * node's root namespace for each other node's pod CIDR (host-gw-routes.ts decides which). A
 * node that registers (or gets its podCIDR later) gets a route on every node; a Node deleted
 * loses it everywhere.
 *
 *   const agent = new HostGwAgent(sim, client, node1RootNamespace, 'node-1', '10.244.0.0/16');
 *   agent.start();
 *   // once node-2 is registered: `ip route` on node-1 shows '10.244.2.0/24 via 192.168.1.12 dev eth0'
 *   kubectl delete node node-2   // => the route is gone from node-1
 *
 * Once its own Node has a pod CIDR, it writes flanneld's masquerade rules (flannel-masq.ts):
 * pods reach pods on other nodes with their own addresses, and only traffic leaving the
 * cluster's pod network is masqueraded.
 *
 * Sample-controller shape: the handlers enqueue a node's name; a sync compares the route the
 * Node calls for with the one it installed and changes the routing table. A route the kernel
 * refuses (another route to the same subnet, say) is retried with backoff. Where flanneld
 * also re-checks its routes every 10 s and puts back one deleted by hand, this agent does not.
 * It runs with its node's credentials (flanneld uses its ServiceAccount, whose ClusterRole
 * gives it the same read access to Nodes).
 */
export class HostGwAgent {
  readonly nodes: Informer<Node>;
  private readonly queue: WorkQueue;
  /** The route it installed for each node, by node name. */
  private readonly installed = new Map<string, RouteSpec>();
  /** The subnet its masquerade rules are written for, once known. */
  private masqueradedFor: string | undefined;

  constructor(
    sim: Simulation,
    client: Client,
    /** The node's root namespace: where the routes go. */
    private readonly host: NetNamespace,
    /** Its own node's name. */
    private readonly self: string,
    /** The cluster's pod network (flannel's net-conf.json Network). */
    private readonly clusterCIDR: string,
  ) {
    this.queue = new WorkQueue(sim);
    this.nodes = new Informer<Node>(sim, client, { resource: 'nodes' });
    const changed = (n: Readonly<Node>) => this.queue.add(n.metadata.name!);
    this.nodes.addEventHandler({
      onAdd: changed,
      // A Node's status changes every few minutes; only a new address or pod CIDR concerns the route.
      onUpdate: (old, n) => (!sameRoute(hostGwRoute(self, old), hostGwRoute(self, n)) || (n.metadata.name === self && old.spec?.podCIDR !== n.spec?.podCIDR)) && changed(n),
      onDelete: changed,
    });
    runWorker(sim, client.component, this.queue, (key) => this.sync(key), { controller: 'host-gw' });
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

  private sync(name: string): ReconcileOutcome {
    const node = this.nodes.lister.get(name);
    const subnet = name === this.self ? node?.spec?.podCIDR : undefined;
    if (subnet !== undefined && subnet !== '' && this.masqueradedFor === undefined) {
      setupFlannelMasq(this.host.netfilter, this.clusterCIDR, subnet);
      this.masqueradedFor = subnet;
    }
    const want = node === undefined ? undefined : hostGwRoute(this.self, node);
    const have = this.installed.get(name);
    if (sameRoute(want, have)) return 'done';
    if (have !== undefined) {
      deleteIfThere(this.host, have.dst);
      this.installed.delete(name);
    }
    if (want === undefined) return 'done';
    try {
      this.host.addRoute(want);
    } catch (e) {
      return { retry: `add route ${want.dst} via ${want.via} dev ${want.dev}: ${(e as Error).message} (will retry)` };
    }
    this.installed.set(name, want);
    return 'done';
  }
}

function sameRoute(a: RouteSpec | undefined, b: RouteSpec | undefined): boolean {
  return a?.dst === b?.dst && a?.via === b?.via;
}

function deleteIfThere(ns: NetNamespace, dst: string): void {
  try {
    ns.routes.delete(dst);
  } catch {
    // RTNETLINK answers: No such process: someone deleted it by hand.
  }
}
