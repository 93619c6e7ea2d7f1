import type { NewRaft } from '../raft/types';
import { Machines } from '../sim/machines';
import type { Network } from '../sim/network';
import type { Simulation } from '../sim/simulation';
import type { VersionAt } from '../store/version-at-contract';
import { EtcdMember, type EtcdRaftOptions } from './etcd-member';

/**
 * A replicated etcd: `size` members named etcd-0, etcd-1, ... on their own simulated machines,
 * each with a disk that survives crashes.
 *
 *   const etcd = new EtcdCluster(sim, net, newRaft, 3);
 *   etcd.crash('etcd-1');   // a minority down: writes go on
 *   etcd.restart('etcd-1'); // it replays its log from disk and catches up from the leader
 *   etcd.leader()           // => 'etcd-0' (whoever leads now), or undefined
 *
 * Odd sizes are the useful ones: 3 members survive 1 failure, 5 survive 2, 7 survive 3; a
 * fourth member would not survive more than three do, it would only make the majority bigger.
 */
export class EtcdCluster {
  readonly names: string[];
  private readonly machines: Machines<EtcdMember>;

  constructor(
    readonly sim: Simulation,
    readonly net: Network,
    newRaft: NewRaft,
    size: number,
    versionAt?: VersionAt,
    /** Pre-vote and check-quorum for every member (default: neither; etcd 3.5 runs with both). */
    raft: EtcdRaftOptions = {},
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`an etcd cluster needs at least one member, got ${size}`);
    this.names = Array.from({ length: size }, (_, i) => `etcd-${i}`);
    this.machines = new Machines(sim, net, (machine) => new EtcdMember(machine, { sim, net, newRaft, members: this.names, route: (m) => this.member(m), versionAt, raft }));
    for (const name of this.names) this.machines.start(name);
  }

  /** The running member of that name (undefined while it is crashed). */
  member(name: string): EtcdMember | undefined {
    return this.machines.get(name);
  }

  /**
   * The member that leads now, as the members see it: one that is leader and running. `among`
   * asks only some members: after a partition, the majority's side may have elected a new
   * leader while the old one, cut off, still believes it leads.
   *
   *   etcd.leader(['etcd-1', 'etcd-2'])   // => 'etcd-2', or undefined while they have none
   */
  leader(among: readonly string[] = this.names): string | undefined {
    return among.find((n) => this.member(n)?.raft.status().role === 'leader');
  }

  crash(name: string): void {
    this.machines.crash(name);
  }

  start(name: string): void {
    this.machines.start(name);
  }

  restart(name: string): void {
    this.machines.restart(name);
  }

  /** How many members must agree: a majority. */
  quorum(): number {
    return Math.floor(this.names.length / 2) + 1;
  }
}
