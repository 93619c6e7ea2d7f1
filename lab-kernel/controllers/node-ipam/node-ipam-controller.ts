import type { Node } from '../../api/types';
import type { Client } from '../../client/client';
import { PendingRequests, runWorker, type ReconcileOutcome } from '../../client/controller-runner';
import { EventRecorder } from '../../client/event-recorder';
import type { Informer } from '../../client/informer';
import type { SharedInformerFactory } from '../../client/shared-informer-factory';
import { typedClient } from '../../client/typed-client';
import { WorkQueue } from '../../client/work-queue';
import type { Simulation } from '../../sim/simulation';
import { CidrSet } from './cidr-set';

/**
 * kube-controller-manager's node IPAM controller with the range allocator
 * (pkg/controller/nodeipam/ipam/range_allocator.go), as kubeadm runs it for flannel:
 * --allocate-node-cidrs=true --cluster-cidr=10.244.0.0/16, --node-cidr-mask-size 24. Each Node
 * without a pod CIDR gets the next free /24, patched into spec.podCIDR and spec.podCIDRs; a
 * Node that already has one keeps it (the CIDR is marked used); a deleted Node's goes back.
 *
 *   control-plane, node-1, node-2 register  => 10.244.0.0/24, 10.244.1.0/24, 10.244.2.0/24, in
 *   the order the controller sees them (at start-up, its informer's list: by name)
 *   the 257th node of a /16                 => no patch; the Event "Node node-257 status is now:
 *                                              CIDRNotAvailable" from cidrAllocator, and a retry
 *
 * Handlers only queue names; a sync allocates from the cache's view. At its first sync the
 * controller marks every CIDR the listed Nodes hold as used, as the real one does from its
 * start-up list, so a Node created with a spec.podCIDR never has its CIDR handed to another.
 * A patch that fails gives the CIDR back and retries (the real one tries 3 times, then records
 * CIDRAssignmentFailed).
 */
export const NODE_IPAM_CONTROLLER = 'node-ipam-controller';
/** The range allocator's event source. */
export const CIDR_ALLOCATOR = 'cidrAllocator';

export interface NodeIpamOptions {
  /** --cluster-cidr. */
  clusterCIDR: string;
  /** --node-cidr-mask-size (IPv4 default 24). */
  nodeCidrMaskSize: number;
}

export class NodeIpamController {
  readonly nodes: Informer<Node>;
  private readonly queue: WorkQueue;
  private readonly cidrs: CidrSet;
  private readonly recorder: EventRecorder;
  /** The CIDR each Node holds, as far as the set is concerned. */
  private readonly held = new Map<string, string>();
  private primed = false;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
    options: NodeIpamOptions,
  ) {
    this.queue = new WorkQueue(sim);
    this.cidrs = new CidrSet(options.clusterCIDR, options.nodeCidrMaskSize);
    this.recorder = new EventRecorder(sim, client, { component: CIDR_ALLOCATOR });
    this.nodes = informers.informerFor<Node>('nodes');
    const enqueue = (n: Readonly<Node>) => this.queue.add(n.metadata.name!);
    this.nodes.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_old, n) => (n.spec.podCIDR ?? '') === '' && enqueue(n),
      onDelete: (n) => this.release(n.metadata.name!),
    });
    runWorker(sim, client.component, this.queue, (key) => this.sync(key), { controller: NODE_IPAM_CONTROLLER });
  }

  shutDown(): void {
    this.queue.shutDown();
  }

  hasSynced(): boolean {
    return this.nodes.hasSynced();
  }

  private sync(name: string): ReconcileOutcome | PendingRequests {
    if (!this.primed) this.prime();
    const node = this.nodes.lister.get(name);
    if (node === undefined) return 'done';
    const existing = node.spec.podCIDR ?? '';
    if (existing !== '') return this.occupy(name, existing);
    if (this.held.has(name)) return 'done'; // allocated, the patch's echo not seen yet
    let cidr: string;
    try {
      cidr = this.cidrs.allocateNext();
    } catch (e) {
      this.recorder.event(node, 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
      return { retry: `failed to allocate cidr from cluster cidr at idx:0: ${(e as Error).message}` };
    }
    this.held.set(name, cidr);
    const requests = new PendingRequests();
    const answered = requests.start();
    typedClient<Node>(this.client, 'nodes').patch(name, 'application/strategic-merge-patch+json', { spec: { podCIDR: cidr, podCIDRs: [cidr] } }, (r) => {
      if (r.kind === 'ok') {
        this.sim.trace.action(this.sim.now(), this.client.component, `${NODE_IPAM_CONTROLLER}: set Node ${name} PodCIDR ${cidr}`, { node: name, cidr });
        return answered();
      }
      this.held.delete(name);
      this.cidrs.release(cidr);
      if (r.status.code === 404) return answered();
      this.recorder.event(node, 'Normal', 'CIDRAssignmentFailed', `Node ${name} status is now: CIDRAssignmentFailed`);
      answered(`patch node ${name} podCIDR ${cidr}: ${r.status.message}`);
    });
    return requests;
  }

  /** Marks every CIDR the listed Nodes already hold, before the first allocation. */
  private prime(): void {
    this.primed = true;
    for (const n of this.nodes.lister.list()) {
      const cidr = n.spec.podCIDR ?? '';
      if (cidr !== '') this.occupy(n.metadata.name!, cidr);
    }
  }

  private occupy(name: string, cidr: string): ReconcileOutcome {
    if (this.held.get(name) === cidr) return 'done';
    try {
      this.cidrs.occupy(cidr);
    } catch (e) {
      // Garbage or a CIDR outside the range: retrying cannot help, the controller logs it.
      this.sim.trace.error(this.sim.now(), this.client.component, `${NODE_IPAM_CONTROLLER}: failed to mark cidr[${cidr}] at idx [0] as occupied for node: ${name}: ${(e as Error).message}`);
      return 'done';
    }
    this.held.set(name, cidr);
    return 'done';
  }

  private release(name: string): void {
    const cidr = this.held.get(name);
    if (cidr === undefined) return;
    this.held.delete(name);
    this.cidrs.release(cidr);
  }
}
