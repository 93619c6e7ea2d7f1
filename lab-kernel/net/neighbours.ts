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
 *
 * A static entry (`ip neigh replace 10.244.2.0 lladdr 5a:0e:36:b1:7c:02 dev flannel.1 nud
 * permanent`, as flanneld makes for each other node's VTEP) is PERMANENT: it never ages, and no
 * resolution replaces it.
 *
 *   neigh.addPermanent('flannel.1', 10.244.2.0, '5a:0e:36:b1:7c:02')
 *   neigh.lookup('flannel.1', 10.244.2.0, 10_000_000)   // => '5a:0e:36:b1:7c:02'
 *   neigh.delete('flannel.1', 10.244.2.0)                // => true (ip neigh del)
 */
export const REACHABLE_MS = 30_000;

interface NeighbourEntry {
  mac: string | undefined;
  updated: number;
  permanent?: boolean;
}

export class NeighbourTable {
  private readonly byDev = new Map<string, Map<Ip, NeighbourEntry>>();

  lookup(dev: string, ip: Ip, now: number): string | undefined {
    const entry = this.byDev.get(dev)?.get(ip);
    if (entry?.permanent) return entry.mac;
    return entry !== undefined && entry.mac !== undefined && now - entry.updated < REACHABLE_MS ? entry.mac : undefined;
  }

  /** Records a resolution (mac undefined: nobody answered, FAILED); a PERMANENT entry stays as it is. */
  record(dev: string, ip: Ip, mac: string | undefined, now: number): void {
    const table = this.tableOf(dev);
    if (table.get(ip)?.permanent) return;
    table.set(ip, { mac, updated: now });
  }

  /** `ip neigh replace <ip> lladdr <mac> dev <dev> nud permanent`. */
  addPermanent(dev: string, ip: Ip, mac: string): void {
    this.tableOf(dev).set(ip, { mac, updated: 0, permanent: true });
  }

  /** `ip neigh del <ip> dev <dev>`: false when there was no entry. */
  delete(dev: string, ip: Ip): boolean {
    return this.byDev.get(dev)?.delete(ip) ?? false;
  }

  forgetDevice(dev: string): void {
    this.byDev.delete(dev);
  }

  private tableOf(dev: string): Map<Ip, NeighbourEntry> {
    let table = this.byDev.get(dev);
    if (table === undefined) this.byDev.set(dev, (table = new Map()));
    return table;
  }

  /** `ip neigh` lines: PERMANENT, REACHABLE, STALE (older than 30 s) or FAILED. */
  show(now: number): string[] {
    const out: string[] = [];
    for (const [dev, table] of this.byDev) {
      for (const [ip, e] of table) {
        if (e.mac === undefined) out.push(`${formatIp(ip)} dev ${dev} FAILED`);
        else if (e.permanent) out.push(`${formatIp(ip)} dev ${dev} lladdr ${e.mac} PERMANENT`);
        else out.push(`${formatIp(ip)} dev ${dev} lladdr ${e.mac} ${now - e.updated < REACHABLE_MS ? 'REACHABLE' : 'STALE'}`);
      }
    }
    return out;
  }
}
