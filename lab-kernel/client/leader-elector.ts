import { uuid } from '../api/names';
import type { ApiRequest, ApiResponse } from '../api/request';
import type { Status } from '../api/status';
import type { Lease } from '../api/types';
import type { Simulation, Timer } from '../sim/simulation';
import type { Client } from './client';
import type { EventRecorder } from './event-recorder';
import {
  decide,
  DEFAULT_ELECTION_TIMINGS,
  isLeader,
  JITTER_FACTOR,
  leaseSpec,
  NOTHING_OBSERVED,
  observeWrite,
  optimisticRenewal,
  recordOf,
  type ElectionTimings,
  type LeaderElectionRecord,
  type Observation,
} from './leader-election';

/**
 * client-go's LeaderElector (tools/leaderelection, v0.32): runs leader-election.ts's decisions
 * against a Lease in kube-system, with the component's client and the simulation's clock.
 *
 *   const elector = new LeaderElector(sim, client, {
 *     lease: 'kube-controller-manager', identity: 'control-plane_6f1c...', recorder,
 *     onStartedLeading: () => startControllers(), onStoppedLeading: () => exit(),
 *   });
 *   elector.run();
 *
 * Two loops, as Run runs them:
 *
 *   acquire   try at once; failed, wait RetryPeriod plus up to 1.2 times it at random (2 to
 *             4.4 s, counted from the end of the try: wait.JitterUntil, sliding), and try again.
 *             Acquired: an Event "<identity> became leader" on the Lease, onStartedLeading, renew.
 *   renew     a round every RetryPeriod (2 s from the end of the last: wait.Until); each round
 *             tries at once, then on a failure again at the round's next 2 s tick
 *             (wait.PollUntilContextTimeout), for at most RenewDeadline (10 s). A round that
 *             runs out: "failed to renew lease ...: context deadline exceeded", an Event
 *             "<identity> stopped leading", onStoppedLeading. The elector is done.
 *
 * One try (tryAcquireOrRenew): the leader first PUTs its renewal straight away, with the
 * resourceVersion of its last write (the fast path); if that fails, or for anyone else, it
 * GETs the Lease, and decide() says whether to create it, update it or wait. Each request
 * gives up after RenewDeadline / 2 (5 s), the timeout of the client client-go builds for the
 * election (resourcelock.NewFromKubeconfig); an answer that arrives later is ignored.
 *
 * stop() is the process dying: no more tries, no release (the Lease runs out on its own).
 */
export interface LeaderElectorOptions {
  /** The Lease's name in kube-system (kube-controller-manager's --leader-elect-resource-name). */
  lease: string;
  /** Who this instance is: `<hostname>_<uuid>` (electionIdentity). */
  identity: string;
  timings?: ElectionTimings;
  /** Where the LeaderElection Events go (the component's own recorder). */
  recorder: EventRecorder;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
}

export const LEASE_NAMESPACE = 'kube-system';

/**
 * `<hostname>_<uuid>`, as kube-controller-manager and kube-scheduler name themselves to the
 * election: the uuid tells apart two instances on one machine. Drawn from a stream of the
 * component's own, so the same seed gives the same identity.
 *
 *   electionIdentity(sim, 'kube-controller-manager', 'control-plane')  // => 'control-plane_<a v4 uuid>'
 */
export function electionIdentity(sim: Simulation, component: string, hostname: string): string {
  return `${hostname}_${uuid(sim.rng(`leader-election/${component}`))}`;
}

export class LeaderElector {
  readonly identity: string;
  private readonly timings: ElectionTimings;
  private observed: Observation = NOTHING_OBSERVED;
  /** The Lease as last read or written (client-go's LeaseLock.lease): its resourceVersion goes with the next PUT. */
  private lease: Lease | undefined;
  private running = false;
  /** The one timer the loops are waiting on, and a renewal round's deadline. */
  private timer: Timer | undefined;
  private deadline: Timer | undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    private readonly options: LeaderElectorOptions,
  ) {
    this.identity = options.identity;
    this.timings = options.timings ?? DEFAULT_ELECTION_TIMINGS;
  }

  /** Starts the acquire loop (Run). */
  run(): void {
    this.running = true;
    this.log(`attempting to acquire leader lease ${this.describe()}...`);
    this.acquire();
  }

  /** The process is gone: nothing more is sent, answers on their way are dropped, nothing is released. */
  stop(): void {
    this.running = false;
    for (const timer of [this.timer, this.deadline]) if (timer !== undefined) this.sim.cancel(timer);
  }

  /**
   * Whether the last record this elector observed names it (IsLeader). Like client-go's, it
   * stays true after a renewal round ran out, until another holder is read: onStoppedLeading
   * is what tells the process it no longer leads.
   */
  isLeader(): boolean {
    return isLeader(this.identity, this.observed);
  }

  /** The holder of the last record observed (GetLeader); undefined before the first. */
  leader(): string | undefined {
    return this.observed.record?.holderIdentity;
  }

  /** What it has observed, and when: a standby's lease runs out 15 s after `at`. */
  observation(): Observation {
    return this.observed;
  }

  private acquire(): void {
    this.tryAcquireOrRenew((acquired) => {
      if (!acquired) {
        const wait = this.timings.retryPeriodMs * (1 + this.sim.rng(`leader-election/${this.client.component}`).next() * JITTER_FACTOR);
        this.timer = this.sim.after(wait, () => this.acquire());
        return;
      }
      this.recordEvent('became leader');
      this.log(`successfully acquired lease ${this.describe()}`);
      this.options.onStartedLeading();
      this.renew();
    });
  }

  /** One renewal round: tries on a RetryPeriod beat from its start until one succeeds or RenewDeadline passes. */
  private renew(): void {
    const start = this.sim.now();
    const period = this.timings.retryPeriodMs;
    let over = false;
    /** The last tick of the round's beat that was used for a try (0: the try at its start). */
    let tick = 0;
    this.deadline = this.sim.after(this.timings.renewDeadlineMs, () => {
      over = true;
      if (this.timer !== undefined) this.sim.cancel(this.timer);
      this.lost('context deadline exceeded');
    });
    const attempt = () => {
      if (over) return;
      this.tryAcquireOrRenew((renewed) => {
        if (over) return;
        if (renewed) {
          over = true;
          this.sim.cancel(this.deadline!);
          this.timer = this.sim.after(period, () => this.renew());
          return;
        }
        // The beat is a ticker: a tick that came while the try was out is taken at once; those
        // that came meanwhile beyond it are dropped.
        const elapsed = this.sim.now() - start;
        if (elapsed >= (tick + 1) * period) {
          tick = Math.floor(elapsed / period);
          attempt();
        } else {
          tick += 1;
          this.timer = this.sim.after(start + tick * period - this.sim.now(), attempt);
        }
      });
    };
    attempt();
  }

  private lost(why: string): void {
    this.log(`failed to renew lease ${this.describe()}: ${why}`);
    this.recordEvent('stopped leading');
    this.running = false;
    this.options.onStoppedLeading();
  }

  /** tryAcquireOrRenew: `done(true)` once this elector holds the Lease afresh. */
  private tryAcquireOrRenew(done: (ok: boolean) => void): void {
    const now = this.sim.now();
    const renewal = optimisticRenewal(this.identity, this.timings, now, this.observed);
    if (renewal === undefined) return this.readThenDecide(now, done);
    this.put(renewal, (failure) => {
      if (failure === undefined) return done(true);
      this.error(`Failed to update lock optimistically: ${failure}, falling back to slow path`);
      this.readThenDecide(now, done);
    });
  }

  /** The slow path: GET the Lease, then create, update or wait as decide() says. */
  private readThenDecide(now: number, done: (ok: boolean) => void): void {
    this.send({ verb: 'get', resource: 'leases', namespace: LEASE_NAMESPACE, name: this.options.lease }, (res) => {
      const found = res.code === 200;
      if (!found && res.code !== 404) {
        this.error(`error retrieving resource lock ${this.describe()}: ${messageOf(res)}`);
        return done(false);
      }
      if (found) this.lease = res.body as Lease;
      const read = found ? recordOf(this.lease!) : 'not-found';
      const { decision, observed } = decide({ identity: this.identity, timings: this.timings, now, readAt: this.sim.now(), observed: this.observed, read });
      this.observed = observed;
      switch (decision.kind) {
        case 'held':
          this.log(`lock is held by ${decision.holder} and has not yet expired`);
          return done(false);
        case 'create':
          return this.create(decision.record, done);
        case 'update':
          return this.put(decision.record, (failure) => {
            if (failure !== undefined) this.error(`Failed to update lock: ${failure}`);
            done(failure === undefined);
          });
      }
    });
  }

  private create(record: LeaderElectionRecord, done: (ok: boolean) => void): void {
    const body: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.options.lease, namespace: LEASE_NAMESPACE }, spec: leaseSpec(record) };
    this.send({ verb: 'create', resource: 'leases', namespace: LEASE_NAMESPACE, body }, (res) => {
      if (res.code >= 300) {
        this.error(`error initially creating leader election record: ${messageOf(res)}`);
        return done(false);
      }
      this.lease = res.body as Lease;
      this.observed = observeWrite(this.observed, record, this.sim.now());
      done(true);
    });
  }

  /**
   * PUT the Lease as last read or written, with `record` as its spec; `done()` with why it
   * failed, or nothing. (There is one: the fast path follows a write, the slow path a read.)
   */
  private put(record: LeaderElectionRecord, done: (failure?: string) => void): void {
    const body: Lease = Object.assign({}, this.lease!, { spec: leaseSpec(record) });
    this.send({ verb: 'update', resource: 'leases', namespace: LEASE_NAMESPACE, name: this.options.lease, body }, (res) => {
      if (res.code >= 300) return done(messageOf(res));
      this.lease = res.body as Lease;
      this.observed = observeWrite(this.observed, record, this.sim.now());
      done();
    });
  }

  /** One request under the election client's timeout; answers are dropped once the elector has stopped. */
  private send(req: ApiRequest, onResponse: (res: ApiResponse) => void): void {
    let settled = false;
    const timeout = this.sim.after(this.timings.renewDeadlineMs / 2, () => {
      settled = true;
      if (this.running) onResponse({ code: CLIENT_TIMEOUT.code, body: CLIENT_TIMEOUT });
    });
    this.client.request(req, (res) => {
      if (settled) return;
      settled = true;
      this.sim.cancel(timeout);
      if (this.running) onResponse(res);
    });
  }

  /** client-go's LeaseLock.RecordEvent: a Normal LeaderElection Event on the Lease (held, or just lost: read or written before). */
  private recordEvent(what: string): void {
    const lease: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: this.lease!.metadata };
    this.options.recorder.event(lease, 'Normal', 'LeaderElection', `${this.identity} ${what}`);
  }

  private describe(): string {
    return `${LEASE_NAMESPACE}/${this.options.lease}`;
  }

  private log(line: string): void {
    this.sim.trace.action(this.sim.now(), this.client.component, line);
  }

  private error(line: string): void {
    this.sim.trace.error(this.sim.now(), this.client.component, line);
  }
}

/** What a request that got no answer in time reports: the client's own error, not the API server's. */
const CLIENT_TIMEOUT: Status = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  reason: 'Timeout',
  code: 504,
  message: 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
};

function messageOf(res: ApiResponse): string {
  return (res.body as Partial<Status> | undefined)?.message ?? `${res.code}`;
}
