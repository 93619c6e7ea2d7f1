import type { Simulation } from '../sim/simulation';
import type { Client } from './client';
import type { Change, RetryStep } from './retry-contract';
import { retryOnConflict, type RetryOutcome, type RetryTarget } from './retry-runner';

/**
 * Several writers start the same read-modify-write with retry on conflict at the same instant,
 * each through its own client, and the simulation runs until every one has an outcome: chapter
 * 03's race of two increments. The outcomes are keyed by client, in the order they finished.
 *
 *   const increment = { kind: 'increment-data', key: 'counter' } as const;
 *   const outcomes = raceRetries(cluster.sim, [writerA, writerB], hits, increment, retryStep);
 *   // => { 'writer-a': { kind: 'updated', object: hits (counter 2) }, 'writer-b': { kind: 'updated', object: hits (counter 3) } }
 *   describeRetryOutcome(outcomes['writer-b'], increment)   // => 'updated, counter 3'
 *
 * A writer with no outcome within `limitMs` of virtual time (a step function that keeps waiting)
 * is missing from the answer.
 */
export function raceRetries(
  sim: Simulation,
  writers: readonly Client[],
  target: RetryTarget,
  change: Change,
  step: RetryStep,
  limitMs = 60_000,
): Record<string, RetryOutcome> {
  const outcomes: Record<string, RetryOutcome> = {};
  // Each writer gets its own copy of the change: a step function that changes it cannot touch the others'.
  for (const w of writers) retryOnConflict(sim, w, target, { ...change }, step, (o) => (outcomes[w.component] = o));
  sim.runUntil(() => Object.keys(outcomes).length === writers.length, limitMs);
  return outcomes;
}

/**
 * One outcome in a line: 'updated' with what the change left in the object, or why it failed.
 *
 *   { kind: 'updated', object: cm (data.counter '3') }, increment-data counter  => 'updated, counter 3'
 *   { kind: 'updated', object: pod (labels.tier 'gold') }, set-label tier       => 'updated, label tier=gold'
 *   { kind: 'failed', status: <409> }                                          => 'failed: Operation cannot be fulfilled on ...'
 *   { kind: 'step-failed', message: 'retry configmaps hits: ...' }             => 'step-failed: retry configmaps hits: ...'
 */
export function describeRetryOutcome(outcome: RetryOutcome, change: Change): string {
  if (outcome.kind === 'failed') return `failed: ${outcome.status.message}`;
  if (outcome.kind === 'step-failed') return `step-failed: ${outcome.message}`;
  const obj = outcome.object as { data?: Record<string, string>; metadata: { labels?: Record<string, string> } };
  return change.kind === 'increment-data' ? `updated, ${change.key} ${obj.data?.[change.key]}` : `updated, label ${change.key}=${obj.metadata.labels?.[change.key]}`;
}
