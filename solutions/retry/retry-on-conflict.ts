/**
 * Exercise `retry-on-conflict` — reference solution. See exercises/retry/retry-on-conflict.ts
 * for the full task description; this file mirrors it with the parts filled in.
 */
import type { Status } from '../../lab-kernel/api/status';
import type { KubeObject } from '../../lab-kernel/api/types';
import type { Change, RetryInput, RetryState, RetryStepResult } from '../../lab-kernel/client/retry-contract';

export function retryStep(state: RetryState, input: RetryInput): RetryStepResult {
  switch (input.kind) {
    case 'start':
      return { state: { ...state, phase: 'getting', attempt: 1 }, action: { kind: 'get' } };
    case 'got':
      return { state: { ...state, phase: 'updating' }, action: { kind: 'update', object: applyChange(input.object, state.change) } };
    case 'get-failed':
      return { state: { ...state, phase: 'failed' }, action: { kind: 'fail', status: input.status } };
    case 'updated':
      return { state: { ...state, phase: 'done' }, action: { kind: 'done', object: input.object } };
    case 'update-failed': {
      if (!isConflict(input.status) || state.attempt >= state.backoff.steps) {
        return { state: { ...state, phase: 'failed' }, action: { kind: 'fail', status: input.status } };
      }
      const ms = state.delayMs + input.random * state.backoff.jitter * state.delayMs;
      return { state: { ...state, phase: 'waiting', delayMs: state.delayMs * state.backoff.factor }, action: { kind: 'wait', ms } };
    }
    case 'wait-over':
      return { state: { ...state, phase: 'getting', attempt: state.attempt + 1 }, action: { kind: 'get' } };
  }
}

// Part 1: the change, made to a copy of the object just read (its resourceVersion stays).
export function applyChange(object: KubeObject, change: Change): KubeObject {
  const next = structuredClone(object);
  switch (change.kind) {
    case 'increment-data': {
      const data = (next.data ?? {}) as Record<string, string>;
      data[change.key] = String(Number(data[change.key] ?? '0') + 1);
      next.data = data;
      return next;
    }
    case 'set-label':
      next.metadata.labels = { ...next.metadata.labels, [change.key]: change.value };
      return next;
  }
}

// client-go's errors.IsConflict: the reason, not the code (AlreadyExists is a 409 too).
export function isConflict(status: Status): boolean {
  return status.reason === 'Conflict';
}
