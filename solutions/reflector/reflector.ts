/**
 * Exercise `reflector` — reference solution. See exercises/reflector/reflector.ts for the full
 * task description; this file mirrors it with the parts filled in.
 */
import type { ReflectorInput, ReflectorState, ReflectorStepResult } from '../../lab-kernel/client/reflector-contract';

export function reflectorStep(state: ReflectorState, input: ReflectorInput): ReflectorStepResult {
  switch (input.kind) {
    case 'start':
      return { state: { ...state, phase: 'listing' }, actions: [{ kind: 'list' }] };

    case 'listed':
      if (state.phase !== 'listing') return unchanged(state);
      return {
        state: { phase: 'watching', lastSyncResourceVersion: input.resourceVersion },
        actions: [
          { kind: 'replace', items: input.items },
          { kind: 'watch', resourceVersion: input.resourceVersion, allowWatchBookmarks: true },
        ],
      };

    case 'list-failed':
      if (state.phase !== 'listing') return unchanged(state);
      return { state: { ...state, phase: 'waiting-to-relist' }, actions: [{ kind: 'backoff', then: 'relist' }] };

    case 'watch-event': {
      if (state.phase !== 'watching') return unchanged(state);
      const lastSyncResourceVersion = input.event.object.metadata.resourceVersion ?? state.lastSyncResourceVersion;
      // A bookmark only moves the resourceVersion on: there is nothing to store.
      const actions: ReflectorStepResult['actions'] = input.event.type === 'BOOKMARK' ? [] : [{ kind: 'apply', event: input.event }];
      return { state: { ...state, lastSyncResourceVersion }, actions };
    }

    case 'watch-failed': {
      if (state.phase !== 'watching') return unchanged(state);
      // 429: the server only asks for patience; 503: the client could not reach it (its connection
      // failed). Either way the events are still there: watch again. Anything else: list again.
      const then = input.status.code === 429 || input.status.code === 503 ? 'rewatch' : 'relist';
      return {
        state: { ...state, phase: then === 'rewatch' ? 'waiting-to-rewatch' : 'waiting-to-relist' },
        actions: [{ kind: 'close-watch' }, { kind: 'backoff', then }],
      };
    }

    case 'watch-timed-out':
      if (state.phase !== 'watching') return unchanged(state);
      return { state, actions: [{ kind: 'close-watch' }, watchFrom(state)] };

    case 'backoff-over':
      if (state.phase === 'waiting-to-relist') return { state: { ...state, phase: 'listing' }, actions: [{ kind: 'list' }] };
      if (state.phase === 'waiting-to-rewatch') return { state: { ...state, phase: 'watching' }, actions: [watchFrom(state)] };
      return unchanged(state);

    case 'resync-due':
      return { state, actions: state.phase === 'watching' ? [{ kind: 'resync' }] : [] };
  }
}

function watchFrom(state: ReflectorState) {
  return { kind: 'watch', resourceVersion: state.lastSyncResourceVersion, allowWatchBookmarks: true } as const;
}

/** An input that belongs to another phase (a late answer): nothing changes, nothing to do. */
function unchanged(state: ReflectorState): ReflectorStepResult {
  return { state, actions: [] };
}
