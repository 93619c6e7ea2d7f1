import { SimDisk, type DiskOptions } from './disk';
import type { Network } from './network';
import type { Simulation, Timer } from './simulation';

/**
 * Crash and restart for a set of nodes (Raft peers, etcd members): each has a disk that
 * outlives it, and a process that dies with everything it had scheduled.
 *
 *   const peers = new Machines(sim, net, (m) => new RaftPeer(m));   // how to boot one from its disk
 *   peers.start('etcd-1'); peers.start('etcd-2'); peers.start('etcd-3');
 *   peers.crash('etcd-2');    // down on the network, unsynced writes lost, its timers never fire
 *   peers.start('etcd-2');    // a new RaftPeer on the same disk: it reads what it had synced
 *   peers.restart('etcd-3');  // both at once: a reboot
 *
 * A crashed process must not act any more, so the booted code schedules through its context:
 *   m.after(150, () => this.startElection())   // skipped if the machine crashed first
 *   m.guard((reply) => this.onVote(reply))     // a reply handler that ignores replies after a crash
 * (The network already loses messages to and from a crashed node, in flight ones included.)
 *
 * Trace: a crash is an 'error' event from the node ('crashed: lost 2 unsynced writes'),
 * followed by the network's 'down'; a start after a crash is the network's 'up' and an
 * 'action' event 'restarted from its disk'.
 */
export interface MachineContext {
  /** The node's name, as on the network: 'etcd-2'. */
  readonly name: string;
  /** Its disk: what was synced before a crash is still there after it. */
  readonly disk: SimDisk;
  /** Like sim.after, but `fn` is skipped if this process crashed before the timer fires. */
  after(delayMs: number, fn: () => void): Timer;
  /** `fn` wrapped so that it does nothing once this process crashed. */
  guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
}

interface Process<T> {
  instance: T;
  /** Set to false by a crash; every timer and guarded callback of this process checks it. */
  life: { alive: boolean };
}

export class Machines<T> {
  private readonly disks = new Map<string, SimDisk>();
  private readonly running = new Map<string, Process<T>>();
  private readonly everStarted = new Set<string>();

  /**
   * @param boot builds a node's process; it runs on start(name), with a context whose disk
   *   holds what the previous process synced (nothing on the first start).
   * @param diskOptions for every disk, e.g. { tearRate: 0.1 }.
   */
  constructor(
    private readonly sim: Simulation,
    private readonly net: Network,
    private readonly boot: (machine: MachineContext) => T,
    private readonly diskOptions: DiskOptions = {},
  ) {}

  /** Boots the node: the first time on an empty disk, after a crash on the disk it left. */
  start(name: string): T {
    if (this.running.has(name)) throw new Error(`start: ${name} is already running`);
    if (!this.net.isUp(name)) this.net.up(name);
    if (this.everStarted.has(name)) this.sim.trace.action(this.sim.now(), name, 'restarted from its disk');
    this.everStarted.add(name);
    const life = { alive: true };
    const guard = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A) => {
      if (life.alive) fn(...args);
    };
    const context: MachineContext = {
      name,
      disk: this.disk(name),
      after: (delayMs, fn) => this.sim.after(delayMs, guard(fn)),
      guard,
    };
    const instance = this.boot(context);
    this.running.set(name, { instance, life });
    return instance;
  }

  /** Kills the node's process: its timers die, its messages are lost, its disk loses unsynced writes. */
  crash(name: string): void {
    const process = this.running.get(name);
    if (process === undefined) throw new Error(`crash: ${name} is not running`);
    process.life.alive = false;
    this.running.delete(name);
    const loss = this.disk(name).crash();
    const torn = loss.torn === undefined ? '' : `, the last one torn (${loss.torn})`;
    this.sim.trace.error(this.sim.now(), name, `crashed: lost ${loss.lostWrites} unsynced writes${torn}`, {
      lostWrites: loss.lostWrites,
      ...(loss.torn === undefined ? {} : { torn: loss.torn }),
    });
    this.net.down(name);
  }

  /** crash(name) then start(name): a reboot, at the same virtual instant. */
  restart(name: string): T {
    this.crash(name);
    return this.start(name);
  }

  /** The node's running process, or undefined while it is crashed (or never started). */
  get(name: string): T | undefined {
    return this.running.get(name)?.instance;
  }

  /** The node's disk (there even while the node is crashed). */
  disk(name: string): SimDisk {
    let disk = this.disks.get(name);
    if (disk === undefined) {
      disk = new SimDisk(this.sim, name, this.diskOptions);
      this.disks.set(name, disk);
    }
    return disk;
  }
}
