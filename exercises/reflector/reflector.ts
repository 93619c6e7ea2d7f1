/**
 * Exercise `reflector` — the reflector's list/watch/relist loop.            (chapter 04)
 *
 * Every informer keeps its cache in step with the API server through a reflector: it LISTS
 * once, then WATCHES from the list's resourceVersion, so it sees every change after the
 * snapshot exactly once. When the watch breaks, it cannot simply reopen it from where it was:
 * the events in between may be gone (410 Gone, reason Expired). So it waits a little (a
 * backoff) and lists again; the cache works out the difference itself.
 *
 * You write the decision-making, as a pure state machine (the style of etcd's raft package):
 * you are told what happened, and you answer with the new state and the actions to take. The
 * runtime (lab-kernel/client/reflector.ts) sends the requests, runs the backoff timers, and
 * feeds every answer back to you. Every informer of the cluster runs your code with
 *   createCluster({ use: { reflector: 'exercise' } })
 * and you grade it with
 *   npm run grade -- reflector
 *
 * Input => output, by example (rv = lastSyncResourceVersion; see reflector-contract.ts for every type):
 *
 *   stopped,  start                                  => listing;            [list from "0"]
 *   listing,  listed [a, b] at rv 40                 => watching, rv 40;    [replace [a, b], watch from 40 with bookmarks]
 *   listing,  list-failed (500)                      => waiting-to-relist;  [backoff then relist]
 *   listing,  list-failed 410 Expired (list from 40) => listing, rv 40 unavailable; [list from ""] at once
 *   watching, watch-event MODIFIED a (rv 41)         => watching, rv 41;    [apply that event]
 *   watching, watch-event BOOKMARK (rv 60)           => watching, rv 60;    []  (nothing to store)
 *   watching, watch-failed 410 Expired               => waiting-to-relist;  [close-watch, backoff then relist]
 *   watching, watch-failed 429 Too Many Requests     => waiting-to-rewatch; [close-watch, backoff then rewatch]
 *   watching, watch-failed 503 (could not connect)   => waiting-to-rewatch; [close-watch, backoff then rewatch]
 *   watching, watch-timed-out                        => watching;           [close-watch, watch from rv]
 *   waiting-to-relist,  backoff-over, rv 57          => listing;            [list from "57"]  ("" while rv is unavailable)
 *   waiting-to-rewatch, backoff-over                 => watching;           [watch from rv]
 *   watching, resync-due                             => watching;           [resync]
 *
 * Which resourceVersion a list asks for (client-go's relistResourceVersion): "0" for the first
 * list (the API server's watch cache answers at once, possibly a little stale); after that the
 * last one synced (an answer at least that new, still from the cache), even after a watch's
 * 410; "" (a consistent read) only once a list failed because its resourceVersion is
 * unavailable (isResourceVersionUnavailable, given below), until a list succeeds.
 *
 * An input that does not fit the phase (a late answer, a resync while listing) changes
 * nothing and asks for nothing. Return new objects; never change the ones you are given.
 */
import type { Status } from '../../lab-kernel/api/status';
import type { ReflectorInput, ReflectorState, ReflectorStepResult } from '../../lab-kernel/client/reflector-contract';
import { notImplemented } from '../../lab-kernel/sim/not-implemented';

/**
 * Whether a failed list says its resourceVersion is unavailable: 410 (reason Expired, or Gone
 * from old servers), or a Timeout whose cause is ResourceVersionTooLarge (client-go's
 * isExpiredError, isTooLargeResourceVersionError).
 *   410 Expired 'The resourceVersion for the provided list is too old.'    => true
 *   504 Timeout 'Timeout: Too large resource version: 90, current: 57'     => true
 *   500 InternalError                                                      => false
 */
export function isResourceVersionUnavailable(status: Status): boolean {
  if (status.reason === 'Expired' || status.reason === 'Gone') return true;
  return (status.details?.causes ?? []).some((c) => c.reason === 'ResourceVersionTooLarge');
}

export function reflectorStep(state: ReflectorState, input: ReflectorInput): ReflectorStepResult {
  // TODO(1) 'start': phase 'listing', and ask for a list. Every list names its resourceVersion:
  //         "" if lastSyncResourceVersionUnavailable, else "0" if lastSyncResourceVersion is "",
  //         else lastSyncResourceVersion.
  // TODO(2) 'listed' (only while listing): remember input.resourceVersion as lastSyncResourceVersion
  //         (now available), replace the store with input.items, then open a watch from that
  //         resourceVersion with allowWatchBookmarks: true. Phase 'watching'. 'list-failed': if
  //         isResourceVersionUnavailable(input.status) and it was not already unavailable, mark it
  //         unavailable and list again at once (from ""); else back off, then relist.
  // TODO(3) 'watch-event' (only while watching): every event, a BOOKMARK too, moves
  //         lastSyncResourceVersion to event.object.metadata.resourceVersion; every event but a
  //         BOOKMARK is applied to the store.
  // TODO(4) 'watch-failed' (only while watching): close the watch and back off. Then relist —
  //         except after 429 Too Many Requests or 503 (the client could not connect; status.code),
  //         where the events are still there: then rewatch. 'watch-timed-out': close the watch and watch again from
  //         lastSyncResourceVersion at once.
  // TODO(5) 'backoff-over': list again, or watch again from lastSyncResourceVersion, as the
  //         phase says. 'resync-due': a resync action, but only while watching.
  throw notImplemented('reflector');
}
