import { describe, expect, it } from 'vitest';
import { Simulation } from '../sim/simulation';
import { PendingRequests, runWorker, type ReconcileOutcome } from './controller-runner';
import { WorkQueue } from './work-queue';

/** A worker whose every sync starts one request, answered `latencyMs` later with `failure` (or success). */
function setup(failure: string | undefined, latencyMs = 3, workers = 1) {
  const sim = new Simulation({ seed: 1 });
  const queue = new WorkQueue(sim);
  const syncs: { key: string; at: number }[] = [];
  runWorker(
    sim,
    'test',
    queue,
    (key): ReconcileOutcome | PendingRequests => {
      syncs.push({ key, at: sim.now() });
      const requests = new PendingRequests();
      const answered = requests.start();
      sim.after(latencyMs, () => answered(failure));
      return requests;
    },
    { controller: 'test-controller', workers },
  );
  return { sim, queue, syncs };
}

describe('a controller worker', () => {
  it('backs a key off 5, 10, 20 ms when the writes of its syncs fail: the backoff only resets after a sync that fully succeeded', () => {
    const { sim, queue, syncs } = setup('create pod: forbidden');
    queue.add('default/web');
    sim.runFor(100);
    const gaps = syncs.slice(1).map((s, i) => s.at - syncs[i].at);
    // each gap: the request's 3 ms, then the backoff
    expect(gaps.slice(0, 4)).toEqual([3 + 5, 3 + 10, 3 + 20, 3 + 40]);
  });

  it('keeps a key in processing while its writes are in flight: an add meanwhile syncs it again only after', () => {
    const { sim, queue, syncs } = setup(undefined, 10);
    queue.add('default/web');
    sim.runFor(1);
    queue.add('default/web'); // the object changed while the first sync's write is in flight
    sim.runFor(50);
    expect(syncs.map((s) => s.at)).toEqual([0, 10]);
  });

  it('runs up to `workers` syncs at once', () => {
    const { sim, queue, syncs } = setup(undefined, 10, 2);
    for (const k of ['a', 'b', 'c']) queue.add(k);
    sim.runFor(50);
    expect(syncs.map((s) => `${s.key}@${s.at}`)).toEqual(['a@0', 'b@0', 'c@10']);
  });

  it('settles a sync with no requests at once, and reports the first failure and how many more', () => {
    const none = new PendingRequests();
    let outcome: ReconcileOutcome | undefined;
    none.whenSettled((o) => (outcome = o));
    expect(outcome).toBe('done');
    const two = new PendingRequests();
    const [a, b] = [two.start(), two.start()];
    two.whenSettled((o) => (outcome = o));
    a('create pod x: forbidden');
    b('create pod y: forbidden');
    expect(outcome).toEqual({ retry: 'create pod x: forbidden (and 1 more failed writes)' });
  });
});
