import type { Status } from '../api/status';
import type { KubeObject, WatchEvent } from '../api/types';

/**
 * The contract of the reflector's pure core: client-go's list/watch/relist loop
 * (tools/cache/reflector.go) as a state machine, in the style of etcd's raft package. The core
 * never does anything itself: it is told what happened (an input) and answers with its new
 * state and what should be done (actions). The runtime (reflector.ts) sends the requests,
 * runs the timers and feeds what comes back in as the next input.
 *
 *   reflectorStep(INITIAL_REFLECTOR_STATE, { kind: 'start' })
 *   // => { state: { phase: 'listing', ... }, actions: [{ kind: 'list', resourceVersion: '0' }] }
 *   reflectorStep({ phase: 'listing', ... }, { kind: 'listed', items: [a, b], resourceVersion: '40' })
 *   // => { state: { phase: 'watching', lastSyncResourceVersion: '40', lastSyncResourceVersionUnavailable: false },
 *   //      actions: [{ kind: 'replace', items: [a, b] }, { kind: 'watch', resourceVersion: '40', allowWatchBookmarks: true }] }
 *   reflectorStep({ phase: 'watching', ... }, { kind: 'watch-failed', status: <410 Expired> })
 *   // => { state: { phase: 'waiting-to-relist', ... }, actions: [{ kind: 'close-watch' }, { kind: 'backoff', then: 'relist' }] }
 *
 * How long a backoff lasts is the runtime's business (ExponentialBackoff: 800 ms doubling to
 * 30 s, with jitter): the core only says "wait, then relist" or "wait, then watch again", and
 * hears { kind: 'backoff-over' } when the wait is over.
 *
 * Which resourceVersion a list asks for is client-go's relistResourceVersion:
 *   the first list                                  "0"   (the API server's watch cache answers, possibly stale)
 *   a relist after a watch ended (a 410 too)        lastSyncResourceVersion   (an answer at least that new)
 *   after a list failed 410 Expired / Gone, or 504 "Too large resource version"   ""   (a consistent read)
 *
 * Exercise `reflector` (exercises/reflector/reflector.ts) implements it; the reference is in
 * solutions/reflector/reflector.ts.
 */

/**
 * Where the loop is:
 *   'stopped'             not started yet
 *   'listing'             a list request is out
 *   'watching'            a watch is open (or being opened)
 *   'waiting-to-relist'   a list or watch failed; after the backoff, list again
 *   'waiting-to-rewatch'  the watch got 429 Too Many Requests, or 503 because the client could not
 *                         connect (client-go: connection refused); after the backoff, watch again
 *                         from lastSyncResourceVersion
 */
export type ReflectorPhase = 'stopped' | 'listing' | 'watching' | 'waiting-to-relist' | 'waiting-to-rewatch';

export interface ReflectorState {
  readonly phase: ReflectorPhase;
  /** The resourceVersion of the last list, or of the last watch event (bookmarks included) since: where a watch resumes. */
  readonly lastSyncResourceVersion: string;
  /** A list at lastSyncResourceVersion failed because the server no longer has it (or not yet): list with "" until a list succeeds. */
  readonly lastSyncResourceVersionUnavailable: boolean;
}

export const INITIAL_REFLECTOR_STATE: ReflectorState = { phase: 'stopped', lastSyncResourceVersion: '', lastSyncResourceVersionUnavailable: false };

/** What happened. */
export type ReflectorInput =
  /** run() was called. */
  | { readonly kind: 'start' }
  /** The list answered 200: these objects, as of this resourceVersion (the list's metadata.resourceVersion). */
  | { readonly kind: 'listed'; readonly items: readonly KubeObject[]; readonly resourceVersion: string }
  /** The list answered with an error Status (500, 429, a timeout ...). */
  | { readonly kind: 'list-failed'; readonly status: Status }
  /** One event of the open watch: ADDED, MODIFIED, DELETED or BOOKMARK. */
  | { readonly kind: 'watch-event'; readonly event: WatchEvent }
  /** The watch ended with an error Status: 410 Expired (too old resource version), 429, 500 ... */
  | { readonly kind: 'watch-failed'; readonly status: Status }
  /**
   * The watch reached its timeout and ended normally. client-go asks every watch to end after
   * 5..10 minutes (timeoutSeconds), so a connection that silently stopped delivering is
   * replaced; it then watches again from lastSyncResourceVersion, at once.
   */
  | { readonly kind: 'watch-timed-out' }
  /** The wait asked for by a 'backoff' action is over. */
  | { readonly kind: 'backoff-over' }
  /** The resync period has passed (only when the informer asked for a resync period). */
  | { readonly kind: 'resync-due' };

/** What to do, in order. */
export type ReflectorAction =
  /** Send a list request with this resourceVersion: "0" (from the watch cache, possibly stale), a revision (at least that new), or "" (a consistent read). */
  | { readonly kind: 'list'; readonly resourceVersion: string }
  /** Open a watch from this resourceVersion, asking for bookmarks. */
  | { readonly kind: 'watch'; readonly resourceVersion: string; readonly allowWatchBookmarks: boolean }
  /** Make the store exactly these objects (it tells the handlers the difference). */
  | { readonly kind: 'replace'; readonly items: readonly KubeObject[] }
  /** Apply one ADDED, MODIFIED or DELETED event to the store (never a BOOKMARK). */
  | { readonly kind: 'apply'; readonly event: WatchEvent }
  /** Close the open watch. */
  | { readonly kind: 'close-watch' }
  /** Wait for the backoff, then (on 'backoff-over') list again or watch again. */
  | { readonly kind: 'backoff'; readonly then: 'relist' | 'rewatch' }
  /** Hand every cached object to the handlers again. */
  | { readonly kind: 'resync' };

export interface ReflectorStepResult {
  state: ReflectorState;
  actions: ReflectorAction[];
}

export type ReflectorStep = (state: ReflectorState, input: ReflectorInput) => ReflectorStepResult;
