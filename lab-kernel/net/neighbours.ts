import { formatIp, type Ip } from './ipv4';

/**
 * A namespace's neighbour (ARP) table: the MAC each next hop was resolved to, per device.
 *
 * Simplified, and said so: resolution is immediate (no ARP packets are queued or retried, and
 * a failure is known at once instead of after the kernel's 3 s of probes), but every resolution
 * is recorded here and in the packet trace. An entry is REACHABLE for 30 s (the kernel's
 * base_reachable_time, without its random 0.5-1.5 factor); after that the next packet resolves
 * again, as the kernel's revalidation would.
 *
 *   neigh.record('eth0', 10.244.1.1, '02:00:00:00:00:09', 0)
 *   neigh.lookup('eth0', 10.244.1.1, 1000)    // => '02:00:00:00:00:09'
 *   neigh.lookup('eth0', 10.244.1.1, 31_000)  // => undefined (resolve again)
 *   neigh.show(1000)  // => ['10.244.1.1 dev eth0 lladdr 02:00:00:00:00:09 REACHABLE']
 */
export const REACHABLE_MS = 30_000;

interface NeighbourEntry {
  mac: string | undefined;
  updated: number;
}

export class NeighbourTable {
  private readonly byDev = new Map<string, Map<Ip, NeighbourEntry>>();

  lookup(dev: string, ip: Ip, now: number): string | undefined {
    const entry = this.byDev.get(dev)?.get(ip);
    return entry !== undefined && entry.mac !== undefined && now - entry.updated < REACHABLE_MS ? entry.mac : undefined;
  }

  /** Records a resolution (mac undefined: nobody answered, FAILED). */
  record(dev: string, ip: Ip, mac: string | undefined, now: number): void {
    let table = this.byDev.get(dev);
    if (table === undefined) this.byDev.set(dev, (table = new Map()));
    table.set(ip, { mac, updated: now });
  }

  forgetDevice(dev: string): void {
    this.byDev.delete(dev);
  }

  /** `ip neigh` lines: REACHABLE, STALE (older than 30 s) or FAILED. */
  show(now: number): string[] {
    const out: string[] = [];
    for (const [dev, table] of this.byDev) {
      for (const [ip, e] of table) {
        if (e.mac === undefined) out.push(`${formatIp(ip)} dev ${dev} FAILED`);
        else out.push(`${formatIp(ip)} dev ${dev} lladdr ${e.mac} ${now - e.updated < REACHABLE_MS ? 'REACHABLE' : 'STALE'}`);
      }
    }
    return out;
  }
}
