import { canonical, inZone, type DnsQuery, type DnsResponse, type ResourceRecord } from './message';

/**
 * CoreDNS's `cache` plugin (plugin/cache, CoreDNS 1.11.3) as kubeadm's Corefile configures it:
 *
 *   cache 30 {
 *      disable success cluster.local
 *      disable denial cluster.local
 *   }
 *
 * `cache 30` caps how long an answer is kept at 30 s, for answers (success) and for NXDOMAIN
 * and NODATA (denial) alike; the shortest a response is kept is 5 s (MinimalDefaultTTL).
 * How long: the smallest TTL in the response (for a denial, the SOA's), clamped to [5, 30].
 * A response served from the cache carries the time it has left as every record's TTL, and
 * the AA bit (CoreDNS sets it on cached replies).
 *
 * The two `disable` lines came with kubeadm 1.32 (kubernetes/kubernetes#128359): answers for
 * names in the cluster domain are not cached at all, so a deleted Service's name goes NXDOMAIN
 * as soon as the kubernetes plugin's informer has seen the deletion. Before 1.32 the Corefile
 * had a plain `cache 30`, and with the plugin's `ttl 30` the old address could be served for
 * up to 30 s after that: the stale window. `new DnsCache({ disable: [] })` is that older cache.
 *
 *   const cache = new DnsCache();                               // kubeadm 1.32's
 *   cache.put(query('example.com'), response (A, TTL 300), 0)   // kept 30 s
 *   cache.get(query('example.com'), 12_000)                     // => the answer, TTL 18
 *   cache.get(query('example.com'), 30_000)                     // => undefined: expired
 *   cache.put(query('web.default.svc.cluster.local'), ..., 0)   // not kept: success disabled for cluster.local
 *
 * Not modelled: the cache's capacity (10,000 entries per class) and eviction, prefetch,
 * serve_stale, caching SERVFAIL (5 s by default), the DO bit in the key.
 */
export interface CacheConfig {
  /** The cap in seconds (`cache 30`). */
  maxTtl: number;
  /** The floor in seconds (MinimalDefaultTTL). */
  minTtl: number;
  /** Zones whose answers and denials are not cached (`disable success|denial <zone>`). */
  disable: readonly string[];
}

/** kubeadm 1.32's Corefile. */
export const KUBEADM_CACHE: CacheConfig = { maxTtl: 30, minTtl: 5, disable: ['cluster.local'] };

interface Entry {
  response: DnsResponse;
  storedMs: number;
  /** How long it is kept, in seconds. */
  duration: number;
}

export class DnsCache {
  private readonly entries = new Map<string, Entry>();
  readonly config: CacheConfig;

  constructor(config: Partial<CacheConfig> = {}) {
    this.config = Object.assign({}, KUBEADM_CACHE, config);
  }

  /** The cached response for this name and type with its TTLs counted down, or undefined (never cached, or expired). */
  get(query: DnsQuery, nowMs: number): DnsResponse | undefined {
    const entry = this.entries.get(keyOf(query));
    if (entry === undefined) return undefined;
    const left = entry.duration - Math.floor((nowMs - entry.storedMs) / 1000);
    if (left <= 0) {
      this.entries.delete(keyOf(query));
      return undefined;
    }
    const withTtl = (rrs: ResourceRecord[]) => rrs.map((rr) => (Object.assign({}, rr, { ttl: left })));
    const r = entry.response;
    return { id: query.id, rcode: r.rcode, authoritative: true, answers: withTtl(r.answers), authority: withTtl(r.authority), additional: withTtl(r.additional) };
  }

  /** Keeps a response, unless its zone is disabled, it is neither an answer nor a denial, or it would be kept 0 s. */
  put(query: DnsQuery, response: DnsResponse, nowMs: number): void {
    if (this.config.disable.some((zone) => inZone(query.name, zone))) return;
    const denial = response.rcode === 'NXDOMAIN' || (response.rcode === 'NOERROR' && response.answers.length === 0);
    if (!denial && response.rcode !== 'NOERROR') return;
    const ttls = (denial ? response.authority.filter((rr) => rr.type === 'SOA').map(soaTtl) : [...response.answers, ...response.authority].map((rr) => rr.ttl));
    const msgTtl = ttls.length === 0 ? this.config.minTtl : Math.min(...ttls);
    const duration = Math.min(Math.max(msgTtl, this.config.minTtl), this.config.maxTtl);
    this.entries.set(keyOf(query), { response, storedMs: nowMs, duration });
  }

  /** How many responses are kept (expired ones included until asked for). */
  size(): number {
    return this.entries.size;
  }
}

function keyOf(query: DnsQuery): string {
  return `${query.type} ${canonical(query.name)}`;
}

/** A denial's TTL: the smaller of the SOA's own TTL and its MINIMUM field (RFC 2308). */
function soaTtl(soa: ResourceRecord): number {
  const fields = soa.data.split(' ');
  const minimum = Number(fields[fields.length - 1]);
  return Math.min(soa.ttl, Number.isFinite(minimum) ? minimum : soa.ttl);
}
