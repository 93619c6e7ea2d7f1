import type { EndpointSlice, Service } from '../api/types';
import type { Client } from '../client/client';
import type { Informer } from '../client/informer';
import { SharedInformerFactory } from '../client/shared-informer-factory';
import type { Simulation } from '../sim/simulation';
import { BoundedFrequencyRunner } from './bounded-frequency-runner';
import type { ServicePortInfo } from './iptables-rules-contract';
import { servicePorts } from './service-ports';

/**
 * What every proxier of kube-proxy shares (pkg/proxy/config and each mode's NewProxier, 1.32):
 * informers on Services and EndpointSlices whose handlers only say that a sync is needed, a
 * BoundedFrequencyRunner that runs the sync (--min-sync-period 1 s by default, 2 at once, then
 * one a second; at least every maxInterval), and a first sync that waits until both informers
 * have listed (OnServiceSynced, OnEndpointSlicesSynced) and then runs at once.
 *
 *   const watch = new ServiceWatch(sim, client, () => writeRules(watch.servicePorts()));   // syncs at most once a second after a burst of 2, at least hourly
 *   watch.start();   // informers list and watch; writeRules runs once both have synced, then on every change (bounded)
 *   watch.servicePorts()   // => [{ name: 'default/web:http', clusterIP: '10.96.0.20', endpoints: [...] }, ...]
 *
 * The sync is never run before the first list, nor after shutDown.
 */
/** client-go's WaitForCacheSync polls this often. */
const CACHE_SYNC_POLL_MS = 100;

/** What the cluster sees of a node's kube-proxy, whatever its mode. */
export interface Proxier {
  /** What it logged, as klog's structured lines without the header. */
  readonly log: string[];
  /** Syncs that got the Services into the node. */
  syncs: number;
  hasSynced(): boolean;
  shutDown(): void;
}

/** --iptables-min-sync-period (and --ipvs-min-sync-period): at most one sync a second after a burst of 2. */
export const MIN_SYNC_PERIOD_MS = 1000;
/** BoundedFrequencyRunner's maxInterval in the proxiers: an hour, "arbitrary". */
export const MAX_SYNC_INTERVAL_MS = 3_600_000;
const BURST_SYNCS = 2;

export class ServiceWatch {
  readonly services: Informer<Service>;
  readonly slices: Informer<EndpointSlice>;
  readonly runner: BoundedFrequencyRunner;
  private readonly informers: SharedInformerFactory;
  private initialized = false;
  private stopped = false;

  constructor(
    private readonly sim: Simulation,
    client: Client,
    private readonly sync: () => void,
    options: { minSyncPeriodMs?: number } = {},
  ) {
    this.runner = new BoundedFrequencyRunner(sim, () => this.syncNow(), { minIntervalMs: options.minSyncPeriodMs ?? MIN_SYNC_PERIOD_MS, maxIntervalMs: MAX_SYNC_INTERVAL_MS, burst: BURST_SYNCS });
    this.informers = new SharedInformerFactory(sim, client);
    this.services = this.informers.informerFor<Service>('services');
    this.slices = this.informers.informerFor<EndpointSlice>('endpointslices');
    const changed = () => {
      if (this.initialized) this.runner.run();
    };
    this.services.addEventHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
    this.slices.addEventHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
  }

  /** The informers start; the first sync follows their first lists. */
  start(): void {
    this.informers.start();
    this.waitForCaches();
  }

  hasSynced(): boolean {
    return this.services.hasSynced() && this.slices.hasSynced();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** The sync, now, unless stopped or not yet initialized (a monitor's full resync). */
  syncNow(): void {
    if (this.stopped || !this.initialized) return;
    this.sync();
  }

  /** Every Service port the proxier proxies, with its endpoints, from the informers' caches. */
  servicePorts(): ServicePortInfo[] {
    return servicePorts(this.services.lister.list(), this.slices.lister.list());
  }

  /** Its process exits: no more syncs, the informers stop. */
  shutDown(): void {
    this.stopped = true;
    this.runner.stop();
    this.informers.shutdown();
  }

  private waitForCaches(): void {
    if (this.stopped) return;
    if (!this.hasSynced()) {
      this.sim.after(CACHE_SYNC_POLL_MS, () => this.waitForCaches());
      return;
    }
    this.initialized = true;
    this.syncNow();
  }
}
