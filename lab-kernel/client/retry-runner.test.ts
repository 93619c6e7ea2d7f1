import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { API_SERVER, ApiServer } from '../apiserver/api-server';
import type { ApiResponse } from '../api/request';
import { LocalEtcd } from '../etcd/storage';
import { Network } from '../sim/network';
import { Simulation } from '../sim/simulation';
import { loadSlot } from '../slots/slots';
import { MvccStore } from '../store/mvcc-store';
import { Client } from './client';
import type { RetryStep } from './retry-contract';
import { retryOnConflict, type RetryOutcome } from './retry-runner';

const retryStep = loadSlot('retry-on-conflict', 'solution');
const HITS = { resource: 'configmaps', namespace: 'default', name: 'hits' };
const INCREMENT = { kind: 'increment-data', key: 'counter' } as const;

function setUp(seed = 1) {
  const sim = new Simulation({ seed });
  const net = new Network(sim);
  const api = new ApiServer(sim, net, new LocalEtcd(sim, new MvccStore(), API_SERVER));
  api.bootstrap();
  const admin = new Client('admin', net, api);
  const call = (req: Parameters<Client['request']>[0]): ApiResponse => {
    let res: ApiResponse | undefined;
    admin.request(req, (r) => (res = r));
    sim.runUntil(() => res !== undefined, 5_000);
    return res!;
  };
  const created = call({ verb: 'create', ...HITS, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hits' }, data: { counter: '0' } } });
  expect(created.code).toBe(201);
  const counter = () => Number((call({ verb: 'get', ...HITS }).body as KubeObject & { data: Record<string, string> }).data.counter);
  return { sim, net, api, call, counter };
}

/**
 * `writers` clients, each making `times` increments, one after the other; every outcome, in
 * order. Under heavy contention RetryOnConflict may give up after its 5 attempts with the last
 * Conflict: the writer then starts that increment over, as a controller's work queue would.
 */
function race(env: ReturnType<typeof setUp>, step: RetryStep, writers: number, times: number): RetryOutcome[] {
  const outcomes: RetryOutcome[] = [];
  let finished = 0;
  for (let w = 0; w < writers; w++) {
    const client = new Client(`writer-${w}`, env.net, env.api);
    const next = (left: number) => {
      if (left === 0) return void finished++;
      retryOnConflict(env.sim, client, HITS, INCREMENT, step, (outcome) => {
        outcomes.push(outcome);
        const gaveUp = outcome.kind === 'failed' && outcome.status.reason === 'Conflict';
        next(gaveUp ? left : left - 1);
      });
    };
    next(times);
  }
  env.sim.runUntil(() => finished === writers, 60_000);
  return outcomes;
}

describe('retryOnConflict (client-go retry.RetryOnConflict with DefaultRetry)', () => {
  it('reads, changes and updates, carrying the resourceVersion read', () => {
    const env = setUp();
    const [outcome] = race(env, retryStep, 1, 1);
    expect(outcome.kind).toBe('updated');
    expect(env.counter()).toBe(1);
    const update = env.sim.trace.all().find((e) => e.kind === 'message' && e.summary.startsWith('update configmaps'));
    expect(update?.actor).toBe('writer-0');
  });

  it('five writers incrementing concurrently lose no increment: conflicts are retried on the fresh object', () => {
    const env = setUp();
    const outcomes = race(env, retryStep, 5, 10);
    expect(outcomes.filter((o) => o.kind === 'updated')).toHaveLength(50);
    expect(env.counter()).toBe(50);
    const gaveUp = outcomes.filter((o) => o.kind !== 'updated');
    expect(gaveUp.every((o) => o.kind === 'failed' && o.status.reason === 'Conflict'), 'a give-up returns the last Conflict').toBe(true);
    const conflicts = env.sim.trace.all().filter((e) => e.kind === 'message' && e.data?.code === 409);
    expect(conflicts.length).toBeGreaterThan(0);
  });

  it('a naive writer that drops the resourceVersion gets no conflicts and loses updates (last write wins)', () => {
    const env = setUp();
    const naive: RetryStep = (state, input) => {
      const result = retryStep(state, input);
      if (result.action.kind !== 'update') return result;
      const { resourceVersion: _dropped, ...metadata } = result.action.object.metadata;
      return { ...result, action: { kind: 'update', object: { ...result.action.object, metadata } } };
    };
    const outcomes = race(env, naive, 5, 10);
    expect(outcomes.every((o) => o.kind === 'updated')).toBe(true);
    expect(env.sim.trace.all().filter((e) => e.kind === 'message' && e.data?.code === 409)).toEqual([]);
    expect(env.counter()).toBeLessThan(50);
  });

  it('fails at once with the 404 when the object does not exist', () => {
    const env = setUp();
    let outcome: RetryOutcome | undefined;
    retryOnConflict(env.sim, new Client('writer', env.net, env.api), { ...HITS, name: 'missing' }, INCREMENT, retryStep, (o) => (outcome = o));
    env.sim.runFor(1_000);
    expect(outcome?.kind === 'failed' && outcome.status.code).toBe(404);
  });

  it('reports a step function that throws as step-failed, in the trace too, without crashing', () => {
    const env = setUp();
    let outcome: RetryOutcome | undefined;
    const broken: RetryStep = () => {
      throw new Error('boom');
    };
    retryOnConflict(env.sim, new Client('writer', env.net, env.api), HITS, INCREMENT, broken, (o) => (outcome = o));
    expect(outcome).toEqual({ kind: 'step-failed', message: "retry configmaps hits: the step function failed on 'start': boom" });
    expect(env.sim.trace.all().some((e) => e.kind === 'error' && e.summary.includes('boom'))).toBe(true);
  });
});
