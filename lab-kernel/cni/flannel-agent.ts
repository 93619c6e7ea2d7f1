import type { Node } from '../api/types';
import type { Client } from '../client/client';
import { runWorker, type PendingRequests, type ReconcileOutcome } from '../client/controller-runner';
import { Informer } from '../client/informer';
import { WorkQueue } from '../client/work-queue';
import type { NetNamespace } from '../net/namespace';
import type { Simulation } from '../sim/simulation';
import { setupFlannelMasq } from './flannel-masq';

/**
 * The per-node agent of the pod network, as flanneld runs on every node (a DaemonSet pod with
 * hostNetwork) with one of its backends: it watches the Node objects and keeps, in the node's
 * root namespace, what its backend needs for each other node's pod CIDR (host-gw: a route,
 * host-gw-agent.ts; vxlan: a route, a neighbour and an FDB entry, vxlan-backend.ts). A node
 * that registers (or gets its podCIDR later) gets its entries on every node; a Node deleted
 * loses them everywhere.
 *
 *   const agent = new FlannelAgent(sim, client, hostGwBackend(node1RootNamespace, 'node-1'), 'node-1');
 *   agent.start();
 *   // once node-2 is registered: `ip route` on node-1 shows '10.244.2.0/24 via 192.168.1.12 dev eth0'
 *   kubectl delete node node-2   // => the route is gone from node-1
 *
 * With --ip-masq (as kube-flannel runs it), once its own Node has a pod CIDR it writes flanneld's
 * masquerade rules (flannel-masq.ts), whatever the backend: pods reach pods on other nodes with
 * their own addresses, and only traffic leaving the cluster's pod network is masqueraded.
 *
 * A backend that registers its own node first (vxlan: its device, and its Node's annotations,
 * as flanneld's RegisterNetwork and AcquireLease do before it watches the other nodes) does so
 * once its Node has a pod CIDR; the other nodes' entries follow.
 *
 * Sample-controller shape: the handlers enqueue a node's name; a sync compares what the Node
 * calls for with what it installed and changes the node's tables. An entry the kernel refuses
 * (another route to the same subnet, say) is retried with backoff. Where flanneld also re-checks
 * its routes every 10 s and puts back one deleted by hand, this agent does not. It runs with its
 * node's credentials (flanneld uses its ServiceAccount, whose ClusterRole gives it the same
 * access to Nodes: read, and patch for its own annotations).
 */
export interface FlannelBackend<T> {
  /** flannel's name for the backend: 'host-gw', 'vxlan'. */
  readonly type: string;
  /**
   * Sets up this node from its Node: 'not yet' while it has no pod CIDR; a failure to retry, or
   * the writes it started. Called again after a failure, so it does only what is not done yet.
   * Without it, the node needs no setup.
   */
  register?(node: Readonly<Node>): 'not yet' | ReconcileOutcome | PendingRequests;
  /** What this node installs for another node (undefined: nothing, or nothing yet). */
  want(node: Readonly<Node>): T | undefined;
  same(a: T | undefined, b: T | undefined): boolean;
  /** Installs an entry; throws the kernel's refusal. */
  install(entry: T): void;
  /** Removes an entry (whatever of it is still there). */
  remove(entry: T): void;
  /** The entry as the retry message names it: 'route 10.244.2.0/24 via 192.168.1.12 dev eth0'. */
  describe(entry: T): string;
}

export class FlannelAgent<T> {
  readonly nodes: Informer<Node>;
  private readonly queue: WorkQueue;
  /** What it installed for each node, by node name. */
  private readonly installed = new Map<string, T>();
  /** Whether its own node is set up (always, for a backend without register). */
  private registered: boolean;
  /** Whether its masquerade rules are written (always, without ipMasq). */
  private masqueraded: boolean;
  /** Its node's subnet once it holds it: what it writes to /run/flannel/subnet.env (FLANNEL_SUBNET's network). */
  private subnetEnv: string | undefined;

  constructor(
    sim: Simulation,
    client: Client,
    private readonly backend: FlannelBackend<T>,
    /** Its own node's name. */
    private readonly self: string,
    /** --ip-masq: the node's root namespace and the cluster's pod network (net-conf.json Network). */
    private readonly ipMasq?: { host: NetNamespace; clusterCIDR: string },
  ) {
    this.registered = backend.register === undefined;
    this.masqueraded = ipMasq === undefined;
    this.queue = new WorkQueue(sim);
    this.nodes = new Informer<Node>(sim, client, { resource: 'nodes' });
    const changed = (n: Readonly<Node>) => this.queue.add(n.metadata.name!);
    this.nodes.addEventHandler({
      onAdd: changed,
      // A Node's status changes every few minutes; only what the backend reads concerns it (or, for its own, a pod CIDR to register with).
      onUpdate: (old, n) => (n.metadata.name === self ? !this.registered || !this.masqueraded || this.subnetEnv === undefined : !backend.same(backend.want(old), backend.want(n))) && changed(n),
      onDelete: changed,
    });
    runWorker(sim, client.component, this.queue, (key) => this.sync(key), { controller: backend.type });
  }

  start(): void {
    this.nodes.start();
  }

  hasSynced(): boolean {
    return this.nodes.hasSynced();
  }

  /** Its process is exiting: the queue takes nothing more (what it installed stays, as flanneld's does). */
  shutDown(): void {
    this.queue.shutDown();
  }

  /**
   * The node's pod subnet as /run/flannel/subnet.env gives it to the CNI plugin, once flanneld
   * has it (its Node has a spec.podCIDR, and the backend is set up); undefined before: a pod
   * sandbox made then fails to get a network.
   */
  subnet(): string | undefined {
    return this.subnetEnv;
  }

  private sync(name: string): ReconcileOutcome | PendingRequests {
    if (name !== this.self) return this.install(name);
    this.masquerade();
    const outcome = this.backend.register !== undefined ? this.register() : this.install(name);
    const podCIDR = this.nodes.lister.get(this.self)?.spec?.podCIDR ?? '';
    if (this.registered && podCIDR !== '') this.subnetEnv = podCIDR;
    return outcome;
  }

  /** What the backend installs for a node (a route; a route, neighbour and FDB entry), in step with the Node. */
  private install(name: string): ReconcileOutcome | PendingRequests {
    // Another node's turn comes once this one is registered (register enqueues them all).
    if (!this.registered) return 'done';
    const node = this.nodes.lister.get(name);
    const want = node === undefined ? undefined : this.backend.want(node);
    const have = this.installed.get(name);
    if (this.backend.same(want, have)) return 'done';
    if (have !== undefined) {
      this.backend.remove(have);
      this.installed.delete(name);
    }
    if (want === undefined) return 'done';
    try {
      this.backend.install(want);
    } catch (e) {
      return { retry: `add ${this.backend.describe(want)}: ${(e as Error).message} (will retry)` };
    }
    this.installed.set(name, want);
    return 'done';
  }

  /** SetupAndEnsureMasqRules, once the node's subnet is known. */
  private masquerade(): void {
    const subnet = this.nodes.lister.get(this.self)?.spec?.podCIDR;
    if (this.masqueraded || subnet === undefined || subnet === '') return;
    setupFlannelMasq(this.ipMasq!.host.netfilter, this.ipMasq!.clusterCIDR, subnet);
    this.masqueraded = true;
  }

  private register(): ReconcileOutcome | PendingRequests {
    const node = this.nodes.lister.get(this.self);
    const outcome = node === undefined ? 'not yet' : this.backend.register!(node);
    if (outcome === 'not yet') return 'done';
    if (typeof outcome === 'object' && 'retry' in outcome) return outcome;
    if (!this.registered) {
      this.registered = true;
      for (const other of this.nodes.lister.list()) if (other.metadata.name !== this.self) this.queue.add(other.metadata.name!);
    }
    return outcome;
  }
}
