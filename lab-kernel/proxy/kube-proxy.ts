import type { EndpointSlice, Service } from '../api/types';
import type { Client } from '../client/client';
import type { Informer } from '../client/informer';
import type { Simulation } from '../sim/simulation';
import type { IptablesRulesFn, ProxyNode } from './iptables-rules-contract';
import { ensureJumps } from './jump-chains';
import type { NodeNetfilter } from './node-netfilter';
import { ServiceWatch, type Proxier } from './service-watch';

/**
 * kube-proxy in iptables mode (cmd/kube-proxy, pkg/proxy/iptables/proxier.go, 1.32), one per
 * node: it watches Services and EndpointSlices and keeps the node's netfilter rules in step
 * with them. It writes no rule itself; the rule generator it is given (exercise
 * kube-proxy-iptables: the reference's, or a learner's) turns what it knows into
 * iptables-restore text, and kube-proxy restores that with --noflush.
 *
 *   const proxy = kubeProxy(sim, client, { name: 'node-1', clusterCIDR: '10.244.0.0/16' }, namespaceNetfilter(root, now), { iptablesRules });
 *   kubectl apply web (ClusterIP 10.96.0.20) and its EndpointSlice (3 endpoints)
 *   // => within a second: KUBE-SERVICES -> KUBE-SVC-... -> 3 x KUBE-SEP-... in the node's nat table
 *
 * Handlers only say that a sync is needed; the sync runs through a BoundedFrequencyRunner
 * (--iptables-min-sync-period 1 s, 2 at once, then no more than one a second; at least once an
 * hour). The first sync waits until both informers have listed (OnServiceSynced,
 * OnEndpointSlicesSynced), then runs at once (service-watch.ts, shared with the other modes). Every --iptables-sync-period (30 s) a monitor
 * checks kube-proxy's canary chain KUBE-PROXY-CANARY in the nat and filter tables: when someone
 * flushed the tables, it makes the canaries again and syncs in full.
 *
 * Error branches, each with its retry decision:
 *   - the rule generator threw              -> logged ("Failed to write iptables rules"), retried after the sync period
 *   - iptables-restore refused the text     -> logged as kube-proxy logs it ("Failed to execute iptables-restore"),
 *                                             then "Sync failed"; retried after the sync period, in full
 *   - adding the jumps from the built-in chains failed -> logged ("Failed to ensure chain jumps"), retried in full likewise
 *
 * A full sync (the first, and any after a failure or a flush) also makes sure of the jumps from
 * PREROUTING, OUTPUT, POSTROUTING, INPUT and FORWARD into kube-proxy's chains (jump-chains.ts).
 * Simplified: no partial syncs (every sync writes every Service), no conntrack cleanup of
 * stale UDP flows, no healthz or metrics, IPv4 only, no mangle table (the canary lives in nat
 * and filter only).
 */
export { MAX_SYNC_INTERVAL_MS, MIN_SYNC_PERIOD_MS } from './service-watch';
export const SYNC_PERIOD_MS = 30_000;
const CANARY = 'KUBE-PROXY-CANARY';

export interface KubeProxyOptions {
  minSyncPeriodMs?: number;
  syncPeriodMs?: number;
}

export class KubeProxy implements Proxier {
  readonly services: Informer<Service>;
  readonly slices: Informer<EndpointSlice>;
  /** What it logged, as klog's structured lines without the header. */
  readonly log: string[] = [];
  /** Syncs that got their rules into the node. */
  syncs = 0;
  private readonly watch: ServiceWatch;
  private readonly syncPeriodMs: number;
  private needFullSync = true;

  constructor(
    private readonly sim: Simulation,
    client: Client,
    private readonly node: Readonly<ProxyNode>,
    private readonly netfilter: NodeNetfilter,
    private readonly iptablesRules: IptablesRulesFn,
    options: KubeProxyOptions = {},
  ) {
    this.syncPeriodMs = options.syncPeriodMs ?? SYNC_PERIOD_MS;
    this.watch = new ServiceWatch(sim, client, () => this.sync(), { minSyncPeriodMs: options.minSyncPeriodMs });
    this.services = this.watch.services;
    this.slices = this.watch.slices;
    this.ensureCanaries();
    this.watch.start();
    this.sim.after(this.syncPeriodMs, () => this.monitor());
  }

  hasSynced(): boolean {
    return this.watch.hasSynced();
  }

  /** Its process exits: no more syncs, the informers stop. */
  shutDown(): void {
    this.watch.shutDown();
  }

  private sync(): void {
    const saved = this.netfilter.save();
    let text: string;
    try {
      text = this.iptablesRules({
        node: { ...this.node },
        servicePorts: this.watch.servicePorts(),
        existingNatChains: natChains(saved),
      });
    } catch (e) {
      return this.failed('Failed to write iptables rules', e);
    }
    const refused = this.netfilter.restore(text);
    if (refused !== undefined) return this.failed('Failed to execute iptables-restore', refused);
    if (this.needFullSync) {
      const err = ensureJumps(this.netfilter);
      if (err !== undefined) return this.failed('Failed to ensure chain jumps', err);
      this.needFullSync = false;
    }
    this.syncs++;
  }

  private failed(what: string, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.log.push(`"${what}" err=${JSON.stringify(message)} ipFamily="IPv4"`);
    this.log.push(`"Sync failed" ipFamily="IPv4" retryingTime="${this.syncPeriodMs / 1000}s"`);
    this.needFullSync = true;
    this.watch.runner.retryAfter(this.syncPeriodMs);
  }

  /** utiliptables.Monitor: the canary chains gone means the tables were flushed; make them again and sync in full. */
  private monitor(): void {
    if (this.watch.isStopped) return;
    if (!(['nat', 'filter'] as const).every((t) => this.netfilter.chainExists(t, CANARY))) {
      this.ensureCanaries();
      this.needFullSync = true;
      this.watch.syncNow();
    }
    this.sim.after(this.syncPeriodMs, () => this.monitor());
  }

  private ensureCanaries(): void {
    this.netfilter.restore(`*filter\n:${CANARY} - [0:0]\nCOMMIT\n*nat\n:${CANARY} - [0:0]\nCOMMIT\n`);
  }
}

/** The chains of the nat table in an iptables-save text. */
function natChains(saved: string): string[] {
  return tableChains(saved, 'nat');
}

function tableChains(saved: string, table: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of saved.split('\n')) {
    if (line.startsWith('*')) current = line.slice(1);
    else if (current === table && line.startsWith(':')) out.push(line.slice(1, line.indexOf(' ')));
  }
  return out;
}

/**
 * Builds one node's kube-proxy on the rule generator the composition root hands it
 * (cluster.code['kube-proxy-iptables']):
 *
 *   kubeProxy(sim, cluster.client('kube-proxy'), { name: 'node-1', clusterCIDR: '10.244.0.0/16' },
 *             namespaceNetfilter(net.namespace('node-1'), () => sim.now()), { iptablesRules: cluster.code['kube-proxy-iptables'] })
 */
export function kubeProxy(sim: Simulation, client: Client, node: ProxyNode, netfilter: NodeNetfilter, code: { iptablesRules: IptablesRulesFn }, options: KubeProxyOptions = {}): KubeProxy {
  return new KubeProxy(sim, client, node, netfilter, code.iptablesRules, options);
}
