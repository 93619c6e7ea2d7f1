/**
 * A Linux bridge's forwarding database (FDB): which port each source MAC was last seen on.
 * Frames to a known MAC go out its port; to an unknown (or aged-out) MAC they are flooded to
 * every port but the one they came in on. Entries age out after the bridge's ageing time,
 * 300 s by default (BR_DEFAULT_AGEING_TIME).
 *
 *   const fdb = new Fdb();
 *   fdb.learn('02:00:00:00:00:01', 'veth-a', 0);
 *   fdb.lookup('02:00:00:00:00:01', 1000)      // => 'veth-a'
 *   fdb.lookup('02:00:00:00:00:01', 301_000)   // => undefined (aged out: flood)
 *   fdb.show('cni0', 1000)                     // => ['02:00:00:00:00:01 dev veth-a master cni0']
 */
export const DEFAULT_AGEING_MS = 300_000;

interface FdbEntry {
  port: string;
  updated: number;
}

export class Fdb {
  ageingMs = DEFAULT_AGEING_MS;
  private readonly entries = new Map<string, FdbEntry>();

  /** Records that `mac` was seen arriving on `port` at `now`. */
  learn(mac: string, port: string, now: number): void {
    const entry = this.entries.get(mac);
    if (entry === undefined) this.entries.set(mac, { port, updated: now });
    else {
      entry.port = port;
      entry.updated = now;
    }
  }

  /** The port for `mac`, or undefined when unknown or older than the ageing time. */
  lookup(mac: string, now: number): string | undefined {
    const entry = this.entries.get(mac);
    if (entry === undefined) return undefined;
    if (now - entry.updated > this.ageingMs) {
      this.entries.delete(mac);
      return undefined;
    }
    return entry.port;
  }

  /** Forgets a port's entries (the port was removed). */
  forgetPort(port: string): void {
    for (const [mac, entry] of this.entries) if (entry.port === port) this.entries.delete(mac);
  }

  flush(): void {
    this.entries.clear();
  }

  /** The live entries as `bridge fdb show br <bridge>` lists learned ones. */
  show(bridge: string, now: number): string[] {
    const out: string[] = [];
    for (const [mac, entry] of this.entries) if (now - entry.updated <= this.ageingMs) out.push(`${mac} dev ${entry.port} master ${bridge}`);
    return out;
  }
}
