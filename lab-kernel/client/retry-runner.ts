import type { Status } from '../api/status';
import type { KubeObject } from '../api/types';
import type { ApiResponse } from '../api/request';
import type { Simulation } from '../sim/simulation';
import type { Client } from './client';
import { DEFAULT_RETRY, initialRetryState, type Change, type RetryBackoff, type RetryInput, type RetryState, type RetryStep } from './retry-contract';

/**
 * Runs one read-modify-write with retry on conflict (client-go's retry.RetryOnConflict)
 * through a Client, asking a pure step function (retry-contract.ts) what to do after each
 * answer: it sends the get and the update, waits with sim.after, and hands the outcome to `done`.
 *
 *   retryOnConflict(sim, client, { resource: 'configmaps', namespace: 'default', name: 'hits' },
 *     { kind: 'increment-data', key: 'counter' }, retryStep, (outcome) => ...)
 *   // get hits (rv 17) => update (rv 17) => 409 Conflict => wait 10..11 ms => get hits (rv 18) => update (rv 18) => 200
 *   // outcome: { kind: 'updated', object: hits with counter one higher, rv 19 }
 *
 * The jitter of each wait comes from the random stream `retry/<component>`. If the step
 * function throws or answers something that is not an action, the outcome is 'step-failed'
 * (and the trace says why): nothing a learner writes can crash the simulation.
 */
export interface RetryTarget {
  readonly resource: string;
  readonly namespace?: string;
  readonly name: string;
}

export type RetryOutcome =
  | { readonly kind: 'updated'; readonly object: KubeObject }
  | { readonly kind: 'failed'; readonly status: Status }
  | { readonly kind: 'step-failed'; readonly message: string };

export function retryOnConflict(
  sim: Simulation,
  client: Client,
  target: RetryTarget,
  change: Change,
  step: RetryStep,
  done: (outcome: RetryOutcome) => void,
  backoff: RetryBackoff = DEFAULT_RETRY,
): void {
  const rng = sim.rng(`retry/${client.component}`);
  const where = { resource: target.resource, namespace: target.namespace, name: target.name };
  let state: RetryState = initialRetryState(change, backoff);

  const feed = (input: RetryInput): void => {
    let action;
    try {
      const result = step(state, input);
      state = result.state;
      action = result.action;
      if (typeof action?.kind !== 'string') throw new Error('expected { state, action }');
    } catch (err) {
      const message = `retry ${target.resource} ${target.name}: the step function failed on '${input.kind}': ${err instanceof Error ? err.message : String(err)}`;
      sim.trace.error(sim.now(), client.component, message);
      return done({ kind: 'step-failed', message });
    }
    switch (action.kind) {
      case 'get':
        return client.request(Object.assign({}, where, { verb: 'get' as const }), (res) => feed(isOk(res) ? { kind: 'got', object: res.body as KubeObject } : { kind: 'get-failed', status: res.body as Status }));
      case 'update':
        return client.request(Object.assign({}, where, { verb: 'update' as const, body: action.object }), (res) =>
          feed(isOk(res) ? { kind: 'updated', object: res.body as KubeObject } : { kind: 'update-failed', status: res.body as Status, random: rng.next() }),
        );
      case 'wait':
        if (!(action.ms >= 0)) return done({ kind: 'step-failed', message: `retry ${target.resource} ${target.name}: cannot wait ${action.ms} ms` });
        sim.after(action.ms, () => feed({ kind: 'wait-over' }));
        return;
      case 'done':
        return done({ kind: 'updated', object: action.object });
      case 'fail':
        return done({ kind: 'failed', status: action.status });
      default:
        return done({ kind: 'step-failed', message: `retry ${target.resource} ${target.name}: unknown action ${JSON.stringify(action)}` });
    }
  };
  feed({ kind: 'start' });
}

function isOk(res: ApiResponse): boolean {
  return res.code >= 200 && res.code < 300;
}
