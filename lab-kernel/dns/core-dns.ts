import { EPOCH } from '../api/time';
import type { EndpointSlice, KubeObject, Namespace, Service } from '../api/types';
import type { Informer } from '../client/informer';
import type { SharedInformerFactory } from '../client/shared-informer-factory';
import type { Rng } from '../sim/rng';
import type { Simulation } from '../sim/simulation';
import { CLUSTER_ZONE, kubernetesAnswer, type ClusterDnsData, type KubernetesPluginOptions } from './cluster-dns';
import { DnsCache, type CacheConfig } from './dns-cache';
import { loadBalance } from './load-balance';
import { emptyResponse, nameProblem, type DnsQuery, type DnsResponse, type QueryType, type Rcode } from './message';
import { PUBLIC_NAMES, upstreamAnswer, type UpstreamTable } from './upstream';

/**
 * The cluster DNS server: CoreDNS 1.11.3 running kubeadm 1.32's Corefile, behind the kube-dns
 * Service at 10.96.0.10.
 *
 *   .:53 {
 *       kubernetes cluster.local in-addr.arpa ip6.arpa {
 *          pods insecure
 *          fallthrough in-addr.arpa ip6.arpa
 *          ttl 30
 *       }
 *       forward . /etc/resolv.conf
 *       cache 30 { disable success cluster.local; disable denial cluster.local }
 *       loadbalance
 *   }
 *
 * One query in, one response out, through the plugins in CoreDNS's own order (plugin.cfg, not
 * the Corefile's): loadbalance shuffles whatever comes back; cache answers what it holds;
 * kubernetes answers its zone from its informers' caches (cluster-dns.ts); anything else goes
 * to forward (upstream.ts: a static table, the lab has no Internet). A name no query can carry
 * (a label over 63 characters) is FORMERR: the server could not parse such a packet.
 *
 *   const dns = new CoreDns(sim, new SharedInformerFactory(sim, cluster.client('coredns')));
 *   informers.start(); ... once synced:
 *   dns.answer({ id: 1, name: 'web.default.svc.cluster.local', type: 'A' })
 *   // => { rcode: 'NOERROR', answers: [{ ..., ttl: 30, type: 'A', data: '10.96.1.5' }], authority: [] ... }
 *
 * The kubernetes plugin follows its informers: a Service deleted is NXDOMAIN as soon as the
 * Service informer has seen the deletion. What the cache adds to that stale window depends on
 * the Corefile: none for cluster.local under kubeadm 1.32's (`disable success/denial`), up to
 * the record's 30 s under the older plain `cache 30` (dns-cache.ts). Until every informer has
 * listed once, a name error is SERVFAIL (the plugin has not synced).
 *
 * The transport (UDP port 53 on a pod's address) is the network's; `answer` is what its
 * listener calls. The handlers on the informers only note the time of the last change (the
 * SOA serial); every answer reads the caches.
 */
export interface CoreDnsOptions {
  /** The cluster domain (default cluster.local). */
  zone?: string;
  /** The kubernetes plugin's `ttl` (kubeadm's Corefile: 30; the plugin's default is 5). */
  ttl?: number;
  /** The cache plugin's configuration (default kubeadm 1.32's: 30 s, cluster.local disabled). */
  cache?: Partial<CacheConfig>;
  /** What forward reaches (default PUBLIC_NAMES). */
  upstream?: UpstreamTable;
  /** The random stream loadbalance shuffles with (default 'coredns'): one per replica. */
  rngStream?: string;
}

/** The kube-dns Service's ClusterIP as kubeadm sets it: the tenth address of 10.96.0.0/12. */
export const CLUSTER_DNS_IP = '10.96.0.10';
/** kubeadm's Corefile: `ttl 30` in the kubernetes block. */
export const KUBEADM_TTL = 30;

/** One query as the `log` plugin would print it: when, what, and the rcode sent back. */
export interface QueryLogEntry {
  atMs: number;
  name: string;
  type: QueryType;
  rcode: Rcode;
  answers: number;
  /** Who answered: the cache, the kubernetes plugin, forward, or the server itself (FORMERR). */
  from: 'cache' | 'kubernetes' | 'forward' | 'server';
}

const EPOCH_UNIX = Date.UTC(EPOCH.year, EPOCH.month - 1, EPOCH.day) / 1000;

export class CoreDns {
  readonly services: Informer<Service>;
  readonly slices: Informer<EndpointSlice>;
  readonly namespaces: Informer<Namespace>;
  readonly cache: DnsCache;
  /** Every query answered, oldest first. */
  readonly log: QueryLogEntry[] = [];
  private readonly plugin: KubernetesPluginOptions;
  private readonly upstream: UpstreamTable;
  private readonly rng: Rng;
  private modifiedMs = 0;
  private stopped = false;

  constructor(
    private readonly sim: Simulation,
    informers: SharedInformerFactory,
    options: CoreDnsOptions = {},
  ) {
    this.upstream = options.upstream ?? PUBLIC_NAMES;
    this.plugin = { zone: options.zone ?? CLUSTER_ZONE, ttl: options.ttl ?? KUBEADM_TTL, upstream: (q) => upstreamAnswer(this.upstream, q) };
    this.cache = new DnsCache(options.cache);
    this.rng = sim.rng(options.rngStream ?? 'coredns');
    this.services = informers.informerFor<Service>('services');
    this.slices = informers.informerFor<EndpointSlice>('endpointslices');
    this.namespaces = informers.informerFor<Namespace>('namespaces');
    const touched = { onAdd: () => this.touch(), onUpdate: () => this.touch(), onDelete: () => this.touch() };
    for (const informer of [this.services, this.slices, this.namespaces] as Informer<KubeObject>[]) informer.addEventHandler(touched);
  }

  /** True once the Service, EndpointSlice and Namespace informers have listed (CoreDNS's `ready`). */
  hasSynced(): boolean {
    return this.services.hasSynced() && this.slices.hasSynced() && this.namespaces.hasSynced();
  }

  /** The response to one query. Throws once shut down (nothing listens any more). */
  answer(query: DnsQuery): DnsResponse {
    if (this.stopped) throw new Error('coredns: shut down');
    const now = this.sim.now();
    const { response, from } = this.resolve(query, now);
    this.log.push({ atMs: now, name: query.name, type: query.type, rcode: response.rcode, answers: response.answers.length, from });
    return loadBalance(response, this.rng);
  }

  /** The plugin's view of the cluster now: what the pure answer is computed from. */
  data(): ClusterDnsData {
    return {
      services: this.services.lister.list(),
      slices: this.slices.lister.list(),
      namespaces: this.namespaces.lister.list().map((n) => n.metadata.name ?? ''),
      synced: this.hasSynced(),
      serial: EPOCH_UNIX + Math.floor(this.modifiedMs / 1000),
    };
  }

  /** Stops answering. The informers are the factory's: its owner shuts them down. */
  shutDown(): void {
    this.stopped = true;
  }

  private resolve(query: DnsQuery, now: number): { response: DnsResponse; from: QueryLogEntry['from'] } {
    if (nameProblem(query.name) !== undefined) return { response: emptyResponse(query, 'FORMERR', false), from: 'server' };
    const cached = this.cache.get(query, now);
    if (cached !== undefined) return { response: cached, from: 'cache' };
    const mine = kubernetesAnswer(query, this.data(), this.plugin);
    const response = mine ?? upstreamAnswer(this.upstream, query);
    this.cache.put(query, response, now);
    return { response, from: mine === undefined ? 'forward' : 'kubernetes' };
  }

  private touch(): void {
    this.modifiedMs = this.sim.now();
  }
}
