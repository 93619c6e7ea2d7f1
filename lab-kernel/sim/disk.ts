import type { Rng } from './rng';
import type { Simulation } from './simulation';

/**
 * One node's disk, with the promise real disks make: a write is only safe once synced.
 *
 *   const disk = new SimDisk(sim, 'etcd-2');
 *   disk.write('raft-state', '{"term":3}');
 *   disk.read('raft-state')   => '{"term":3}'   (the running process sees its own write)
 *   disk.crash();             // the power goes out before sync()
 *   disk.read('raft-state')   => undefined      (the write never reached the platter)
 *
 *   disk.write('raft-state', '{"term":3}'); disk.sync(); disk.crash();
 *   disk.read('raft-state')   => '{"term":3}'   (synced: it survives)
 *
 * A write replaces the whole file. sync() makes every write so far durable at once; code that
 * models the cost of an fsync waits some virtual ms after it before acting on it (replying "ok").
 *
 * Torn writes (option tearRate, default 0): on a crash with unsynced writes, with probability
 * tearRate the last unsynced write was half done: its file then holds a seeded, strictly
 * shorter prefix of it, e.g. '{"term":3}' cut to '{"te'. Code that must survive this checks
 * a length or a checksum. The draws come from sim.rng('disk/<node>').
 *
 * failWrites(true) makes write() and sync() throw, as a failing disk does (EIO), to test error paths.
 */
export interface DiskOptions {
  /** Probability in [0, 1] that a crash tears the last unsynced write. Default 0. */
  tearRate?: number;
}

/** What a crash destroyed. */
export interface CrashLoss {
  /** How many unsynced writes were lost (a torn one counts). */
  lostWrites: number;
  /** The file whose last write was torn, if one was. */
  torn?: string;
}

interface Write {
  file: string;
  data: string;
}

export class SimDisk {
  private readonly durable = new Map<string, string>();
  private unsynced: Write[] = [];
  private failing = false;
  private readonly tearRate: number;
  private readonly rng: Rng;

  constructor(
    sim: Simulation,
    readonly node: string,
    options: DiskOptions = {},
  ) {
    this.tearRate = options.tearRate ?? 0;
    if (!(this.tearRate >= 0 && this.tearRate <= 1)) throw new RangeError(`tearRate must be a probability in [0, 1], got ${this.tearRate}`);
    this.rng = sim.rng(`disk/${node}`);
  }

  /** Replaces the file's content; volatile until sync(). Throws while failWrites is on. */
  write(file: string, data: string): void {
    if (this.failing) throw new Error(`disk of ${this.node}: write to ${file} failed (EIO)`);
    this.unsynced.push({ file, data });
  }

  /** The file as the running process sees it (its unsynced writes included), or undefined if there is none. */
  read(file: string): string | undefined {
    for (let i = this.unsynced.length - 1; i >= 0; i--) if (this.unsynced[i].file === file) return this.unsynced[i].data;
    return this.durable.get(file);
  }

  /** Makes every write so far durable. Throws while failWrites is on (the writes stay volatile). */
  sync(): void {
    if (this.failing) throw new Error(`disk of ${this.node}: sync failed (EIO)`);
    for (const w of this.unsynced) this.durable.set(w.file, w.data);
    this.unsynced = [];
  }

  /** Power loss: unsynced writes are gone (the last one maybe torn, see tearRate); synced ones stay. */
  crash(): CrashLoss {
    const loss: CrashLoss = { lostWrites: this.unsynced.length };
    const last = this.unsynced[this.unsynced.length - 1];
    if (last !== undefined && last.data.length > 0 && this.tearRate > 0 && this.rng.next() < this.tearRate) {
      this.durable.set(last.file, last.data.slice(0, this.rng.int(last.data.length)));
      loss.torn = last.file;
    }
    this.unsynced = [];
    return loss;
  }

  /** true: every write() and sync() throws until failWrites(false). */
  failWrites(on: boolean): void {
    this.failing = on;
  }
}
