import type { Simulation } from '../sim/simulation';
import type { Lessor } from './lessor';
import type { MvccStore, TxnResult } from './mvcc-store';

/**
 * Leader election on leases, etcd's recipe (its client's `concurrency` package), around a
 * campaign you write: a candidate campaigns (a fresh lease, then a transaction that creates the
 * leader key with it only if nobody holds the key). The winner renews its lease every
 * `renewEveryMs` until it crashes; a loser watches the key and campaigns again when the key is
 * deleted, which happens when the leader's lease runs out. Everything each candidate does goes
 * into `timeline`, at the simulation's time.
 *
 *   const election = new LeaseElection(sim, store, lessor, campaign, { key: '/election/scheduler', renewEveryMs: 3_000 });
 *   election.candidate('A', { crashAt: 20_000 });     // t = 0: A wins, renews at 3 s, 6 s, ... 18 s, crashes at 20 s
 *   sim.after(1_000, () => election.candidate('B'));  // t = 1 s: B loses and watches
 *   sim.runFor(35_000);
 *   election.timeline
 *   // => [{ time: '0.0 s', who: 'A', what: 'won: put /election/scheduler=A with lease 1 (revision 2)' },
 *   //     { time: '1.0 s', who: 'B', what: 'lost to A; watching /election/scheduler' }, ...
 *   //     { time: '28.0 s', who: 'B', what: 'hears: DELETE /election/scheduler (revision 3)' },
 *   //     { time: '28.0 s', who: 'B', what: 'won: put /election/scheduler=B with lease 3 (revision 4)' }, ...]
 */
export interface Campaign {
  /** One campaign of `name`: the lease it took, and the transaction's result (a loser has already revoked its lease). */
  (name: string): { leaseId: number; result: TxnResult };
}

export interface LeaseElectionOptions {
  /** The leader key. */
  key: string;
  /** How often the leader sends a keep-alive. */
  renewEveryMs: number;
}

export interface TimelineRow {
  time: string;
  who: string;
  what: string;
}

export class LeaseElection {
  readonly timeline: TimelineRow[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly store: MvccStore,
    private readonly lessor: Lessor,
    private readonly campaign: Campaign,
    private readonly options: LeaseElectionOptions,
  ) {}

  /** `name` campaigns now. If it wins it leads (until `crashAt`, a time on the simulation's clock); if not, it waits for the key's DELETE and campaigns again. */
  candidate(name: string, options: { crashAt?: number } = {}): void {
    const key = this.options.key;
    const { leaseId, result } = this.campaign(name);
    if (result.succeeded) {
      this.say(name, `won: put ${key}=${name} with lease ${leaseId} (revision ${result.revision})`);
      this.lead(name, leaseId, options.crashAt);
      return;
    }
    const holder = result.responses.flatMap((r) => (r.type === 'range' ? r.kvs : []))[0];
    this.say(name, `lost to ${holder?.value ?? '(nobody)'}; watching ${key}`);
    const stop = this.store.watch(key, {}, (events) => {
      const deleted = events.find((e) => e.type === 'DELETE');
      if (deleted === undefined) return;
      this.say(name, `hears: DELETE ${key} (revision ${deleted.kv.modRevision})`);
      stop();
      this.candidate(name, options);
    });
  }

  /** Renews the lease every renewEveryMs; at `crashAt` the leader stops, and so do its keep-alives. */
  private lead(name: string, leaseId: number, crashAt?: number): void {
    let alive = true;
    if (crashAt !== undefined) {
      this.sim.after(crashAt - this.sim.now(), () => {
        alive = false;
        this.say(name, 'crashes: its keep-alives stop');
      });
    }
    const renew = () => {
      if (!alive) return;
      const ttl = this.lessor.keepAlive(leaseId);
      this.say(name, `keep-alive: lease ${leaseId} now runs until ${(this.sim.now() / 1000 + ttl).toFixed(1)} s`);
      this.sim.after(this.options.renewEveryMs, renew);
    };
    this.sim.after(this.options.renewEveryMs, renew);
  }

  private say(who: string, what: string): void {
    this.timeline.push({ time: `${(this.sim.now() / 1000).toFixed(1)} s`, who, what });
  }
}
