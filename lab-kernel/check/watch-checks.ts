import type { StoreEvent } from '../store/mvcc-store';

/**
 * Checks over watch streams: did every watcher hear exactly what the store changed, in order?
 *
 * A watch is how every controller in Kubernetes learns about the world, so its promises (the
 * same as etcd's) carry the whole cluster:
 *
 *  - in order: revisions only go up;
 *  - never twice: no change is delivered twice;
 *  - whole revisions: all the events of one revision (one transaction) arrive in one batch,
 *    so a watcher never sees half a transaction;
 *  - no gaps: every change to a watched key at or after the start revision is delivered;
 *  - resumable: a watcher that saw up to revision r and restarts from r + 1 gets exactly the
 *    rest, with nothing skipped and nothing repeated.
 *
 * The checks compare what each watcher received against the store's change log:
 *
 *   changes:  [{ revision: 2, key: 'a', type: 'PUT' }, { revision: 3, key: 'a', type: 'PUT' }, { revision: 3, key: 'b', type: 'PUT' }]
 *   watcher:  { name: 'w', key: '', prefix: true, sessions: [{ fromRevision: 2, batches: [
 *               { revision: 2, events: [{ revision: 2, key: 'a', type: 'PUT' }] },
 *               { revision: 3, events: [{ revision: 3, key: 'a', type: 'PUT' }] },
 *               { revision: 3, events: [{ revision: 3, key: 'b', type: 'PUT' }] } ] }] }
 *   => [{ watcher: 'w', kind: 'split', revision: 3,
 *         message: "watcher 'w': revision 3 came in 2 batches (batch 2, batch 3); all events of a revision must arrive in one batch" }]
 *
 * A watcher is a list of sessions: one per time it (re)started the watch, each from its own
 * revision. A batch with no events is a progress notification (a bookmark): "you have had
 * everything up to this revision", so gaps below it count too.
 */

/** One change in the store's log. */
export interface Change {
  revision: number;
  key: string;
  type: 'PUT' | 'DELETE';
}

/** What a watcher's listener was called with: the events, and the revision they are at (for a bookmark, the store's revision). */
export interface ReceivedBatch {
  revision: number;
  events: Change[];
}

/** One run of a watch, from `fromRevision` until it was stopped or restarted. */
export interface WatchSession {
  fromRevision: number;
  batches: ReceivedBatch[];
}

export interface WatcherRecord {
  /** Used in messages. */
  name: string;
  key: string;
  prefix?: boolean;
  sessions: WatchSession[];
  /**
   * A revision the watcher must have caught up to (say, the store's revision once the
   * simulation ran quiet). Without it, only gaps below the last revision it heard of count:
   * a watcher may simply be behind.
   */
  caughtUpTo?: number;
}

export interface WatchViolation {
  watcher: string;
  /**
   * out-of-order: a revision below one already delivered; duplicate: a change delivered twice;
   * split: one revision in several batches; missing: a change never delivered; unexpected: a
   * change not watched, before the start, or that never happened; mislabelled: an event whose
   * revision is not its batch's.
   */
  kind: 'out-of-order' | 'duplicate' | 'split' | 'missing' | 'unexpected' | 'mislabelled';
  /** The revision the violation is about (the first one, when several are). */
  revision: number;
  /** The whole story in plain words, naming the watcher. */
  message: string;
}

/**
 * A store event as the change log and the checks see it:
 *
 *   changeOf({ type: 'PUT', kv: { key: 'a', value: '1', createRevision: 7, modRevision: 7, version: 1 } })
 *   // => { revision: 7, key: 'a', type: 'PUT' }
 */
export function changeOf(event: StoreEvent): Change {
  return { revision: event.kv.modRevision, key: event.kv.key, type: event.type };
}

/**
 * A listener call as a received batch:
 *
 *   store.watch('a', {}, (events, revision) => batches.push(receivedBatch(events, revision)))
 *   // a put of 'a' at revision 7 => batches: [{ revision: 7, events: [{ revision: 7, key: 'a', type: 'PUT' }] }]
 */
export function receivedBatch(events: readonly StoreEvent[], revision: number): ReceivedBatch {
  return { revision, events: events.map(changeOf) };
}

/**
 * Every violation of every watcher, in the order found: watcher by watcher, session by
 * session, batch by batch. An empty list means every stream kept every promise.
 *
 *   checkWatchStreams(changes, [goodWatcher])  // => []
 *   checkWatchStreams(changes, [watcherThatSkippedRevision6])
 *   // => [{ watcher: 'w', kind: 'missing', revision: 6, message: "watcher 'w': never received revision 6 (PUT 'a'), although it received up to revision 8" }]
 */
export function checkWatchStreams(changes: readonly Change[], watchers: readonly WatcherRecord[]): WatchViolation[] {
  const violations: WatchViolation[] = [];
  for (const watcher of watchers) {
    // Messages start with the watcher's name; each check adds where and what.
    const report: Report = (kind, revision, message) => violations.push({ watcher: watcher.name, kind, revision, message: `watcher '${watcher.name}'${message}` });
    const watched = changes.filter((c) => watches(watcher, c.key));
    // The highest revision heard of (event or bookmark) in earlier sessions; undefined before any.
    let seen: number | undefined;
    watcher.sessions.forEach((session, s) => {
      const where = (b: number) => (watcher.sessions.length === 1 ? `batch ${b + 1}` : `session ${s + 1}, batch ${b + 1}`);
      if (seen !== undefined) checkRestart(watched, session, s, seen, report);
      const last = checkSession(watcher, watched, session, where, s === watcher.sessions.length - 1, report);
      if (last !== undefined) seen = Math.max(seen ?? last, last);
    });
  }
  return violations;
}

type Report = (kind: WatchViolation['kind'], revision: number, message: string) => void;

/**
 * One session on its own: order, duplicates, splits, strays and gaps from its start up to
 * the last revision it heard of (or `caughtUpTo`, for the last session). Returns that last
 * revision, undefined if it heard nothing.
 */
function checkSession(
  watcher: WatcherRecord,
  watched: readonly Change[],
  session: WatchSession,
  where: (batch: number) => string,
  isLast: boolean,
  report: Report,
): number | undefined {
  const expected = new Map<number, Change[]>();
  for (const c of watched) {
    if (c.revision < session.fromRevision) continue;
    let atRevision = expected.get(c.revision);
    if (atRevision === undefined) expected.set(c.revision, (atRevision = []));
    atRevision.push(c);
  }
  /** Per revision: the batches that brought its events, and where each event first came. */
  const delivered = new Map<number, { batches: Set<number>; firstIn: Map<string, number> }>();
  let lastEvent: number | undefined;
  let lastBookmark: number | undefined;

  session.batches.forEach((batch, b) => {
    if (batch.events.length === 0) {
      if (lastEvent !== undefined && batch.revision < lastEvent) {
        report('out-of-order', batch.revision, ` (${where(b)}): a progress notification at revision ${batch.revision} arrived after revision ${lastEvent}; revisions must only go up`);
      }
      lastBookmark = Math.max(lastBookmark ?? batch.revision, batch.revision);
      return;
    }
    let mislabelled = false;
    for (const e of batch.events) {
      const event = `${describeChange(e)} (revision ${e.revision})`;
      if (e.revision !== batch.revision && !mislabelled) {
        mislabelled = true;
        report('mislabelled', batch.revision, ` (${where(b)}): a batch at revision ${batch.revision} holds ${event}; a batch holds the events of its own revision`);
      }
      if (!watches(watcher, e.key)) {
        report('unexpected', e.revision, ` (${where(b)}): received ${event}, but it watches ${watcher.prefix ? `keys under '${watcher.key}'` : `'${watcher.key}'`}`);
        continue;
      }
      if (e.revision < session.fromRevision) {
        report('unexpected', e.revision, ` (${where(b)}): received ${event}, but it started from revision ${session.fromRevision}`);
        continue;
      }
      if (!(expected.get(e.revision) ?? []).some((c) => sameChange(c, e))) {
        report('unexpected', e.revision, ` (${where(b)}): received ${event}, but the store made no such change`);
        continue;
      }
      let got = delivered.get(e.revision);
      if (got === undefined) delivered.set(e.revision, (got = { batches: new Set(), firstIn: new Map() }));
      const first = got.firstIn.get(describeChange(e));
      if (first !== undefined) {
        report('duplicate', e.revision, ` (${where(b)}): received ${event} again (first in ${where(first)}); a change is delivered once`);
        continue;
      }
      if (lastEvent !== undefined && e.revision < lastEvent) {
        report('out-of-order', e.revision, ` (${where(b)}): received ${event} after revision ${lastEvent}; revisions must only go up`);
      } else if (lastBookmark !== undefined && e.revision <= lastBookmark) {
        report('out-of-order', e.revision, ` (${where(b)}): received ${event} after a progress notification at revision ${lastBookmark} said everything up to it was delivered`);
      }
      got.firstIn.set(describeChange(e), b);
      got.batches.add(b);
      lastEvent = Math.max(lastEvent ?? e.revision, e.revision);
    }
  });

  const heard = lastEvent === undefined ? lastBookmark : lastBookmark === undefined ? lastEvent : Math.max(lastEvent, lastBookmark);
  const upTo = Math.max(heard ?? -Infinity, isLast ? (watcher.caughtUpTo ?? -Infinity) : -Infinity);
  const because =
    heard !== undefined && heard >= upTo ? `, although it received up to revision ${heard}` : `, although it should have caught up to revision ${upTo}`;
  for (const [revision, wanted] of [...expected.entries()].sort(([a], [b]) => a - b)) {
    if (revision > upTo) break;
    const got = delivered.get(revision);
    const missing = wanted.filter((c) => got?.firstIn.get(describeChange(c)) === undefined);
    if (got === undefined) {
      report('missing', revision, `: never received revision ${revision} (${missing.map(describeChange).join(', ')})${because}`);
    } else if (missing.length > 0) {
      report('missing', revision, `: revision ${revision} arrived without ${missing.map(describeChange).join(', ')}; all events of a revision must arrive together`);
    }
    if (got !== undefined && got.batches.size > 1) {
      const batches = [...got.batches].map(where).join(', ');
      report('split', revision, `: revision ${revision} came in ${got.batches.size} batches (${batches}); all events of a revision must arrive in one batch`);
    }
  }
  return heard;
}

/**
 * Session `s` (counting from 0) restarted a watch that had heard up to revision `seen`: it
 * must resume from seen + 1. Earlier, and it hears some changes again; later, and it skips some.
 */
function checkRestart(watched: readonly Change[], session: WatchSession, s: number, seen: number, report: Report): void {
  const from = session.fromRevision;
  const advice = `a restarted watch resumes from the last revision it saw + 1 (${seen + 1})`;
  const context = `: session ${s + 1} started from revision ${from} after it had seen up to revision ${seen}`;
  if (from <= seen) {
    const again = [...new Set(session.batches.flatMap((batch) => batch.events.map((e) => e.revision)).filter((r) => r >= from && r <= seen))];
    if (again.length > 0) report('duplicate', again[0], `${context}, so it heard revision${again.length === 1 ? '' : 's'} ${again.join(', ')} again; ${advice}`);
  } else {
    const skipped = watched.filter((c) => c.revision > seen && c.revision < from);
    if (skipped.length > 0) {
      const list = skipped.map((c) => `${describeChange(c)} at ${c.revision}`).join(', ');
      report('missing', skipped[0].revision, `${context}, so it missed ${list}; ${advice}`);
    }
  }
}

function watches(watcher: WatcherRecord, key: string): boolean {
  return watcher.prefix ? key.startsWith(watcher.key) : key === watcher.key;
}

function sameChange(a: Change, b: Change): boolean {
  return a.revision === b.revision && a.key === b.key && a.type === b.type;
}

/** PUT 'a': also the identity of a change within its revision (a transaction writes a key at most once). */
function describeChange(c: Change): string {
  return `${c.type} '${c.key}'`;
}
