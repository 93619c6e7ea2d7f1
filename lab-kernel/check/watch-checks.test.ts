import { describe, expect, it } from 'vitest';
import { MvccStore, type StoreEvent } from '../store/mvcc-store';
import { changeOf, checkWatchStreams, receivedBatch, type Change, type ReceivedBatch, type WatcherRecord, type WatchSession } from './watch-checks';

const change = (revision: number, key: string, type: Change['type'] = 'PUT'): Change => ({ revision, key, type });
/** The store's log: revision 3 is one transaction writing two keys. */
const changes = [change(2, 'a'), change(3, 'a'), change(3, 'b'), change(4, 'x/c'), change(5, 'a', 'DELETE'), change(6, 'b')];
const at = (revision: number): Change[] => changes.filter((c) => c.revision === revision);

/** A batch of the given changes, at the revision of the first (or an explicit label). */
const batch = (events: Change[], revision = events[0].revision): ReceivedBatch => ({ revision, events });
const bookmark = (revision: number): ReceivedBatch => ({ revision, events: [] });
/** A prefix watch on every key: the common case here. */
const everything = (sessions: WatchSession[], caughtUpTo?: number): WatcherRecord => ({ name: 'w', key: '', prefix: true, sessions, caughtUpTo });
const session = (fromRevision: number, ...batches: ReceivedBatch[]): WatchSession => ({ fromRevision, batches });

const check = (watcher: WatcherRecord) => checkWatchStreams(changes, [watcher]);
const kinds = (watcher: WatcherRecord) => check(watcher).map((v) => `${v.kind}@${v.revision}`);

describe('checkWatchStreams', () => {
  it('accepts complete, ordered, whole-revision streams (prefix and exact-key watchers)', () => {
    expect(check(everything([session(2, ...[2, 3, 4, 5, 6].map((r) => batch(at(r))))], 6))).toEqual([]);
    const onlyA: WatcherRecord = { name: 'a', key: 'a', sessions: [session(3, batch([change(3, 'a')]), batch([change(5, 'a', 'DELETE')]))], caughtUpTo: 6 };
    expect(check(onlyA)).toEqual([]);
    const underX: WatcherRecord = { name: 'x', key: 'x/', prefix: true, sessions: [session(1, batch(at(4)), bookmark(6))] };
    expect(check(underX)).toEqual([]);
  });

  it('accepts what MvccStore delivers, including a watch stopped and resumed from its last revision + 1', () => {
    const store = new MvccStore();
    const log: Change[] = [];
    const write = (result: { events: StoreEvent[] }) => log.push(...result.events.map(changeOf));
    write(store.put('/pods/a', '1'));
    const first: ReceivedBatch[] = [];
    const stop = store.watch('/pods/', { prefix: true, fromRevision: 1 }, (events, revision) => first.push(receivedBatch(events, revision)));
    write(store.txn([], [{ type: 'put', key: '/pods/b', value: '1' }, { type: 'put', key: '/nodes/n', value: '1' }]));
    write(store.delete('/pods/a'));
    stop();
    write(store.put('/pods/c', '1'));
    const second: ReceivedBatch[] = [];
    const resumeFrom = first[first.length - 1].revision + 1;
    store.watch('/pods/', { prefix: true, fromRevision: resumeFrom }, (events, revision) => second.push(receivedBatch(events, revision)));
    write(store.txn([], [{ type: 'put', key: '/pods/d', value: '1' }, { type: 'put', key: '/pods/e', value: '1' }]));
    const watcher: WatcherRecord = { name: 'pods', key: '/pods/', prefix: true, sessions: [session(1, ...first), session(resumeFrom, ...second)], caughtUpTo: store.revision };
    expect(checkWatchStreams(log, [watcher])).toEqual([]);
    expect(second.map((b) => b.revision)).toEqual([5, 6]);
  });

  it('reports a revision delivered after a later one', () => {
    expect(kinds(everything([session(2, ...[2, 5, 3, 4, 6].map((r) => batch(at(r))))]))).toEqual(['out-of-order@3', 'out-of-order@3', 'out-of-order@4']);
    const v = check(everything([session(2, batch(at(2)), batch(at(4)), batch(at(3)))]));
    expect(v[0].message).toBe("watcher 'w' (batch 3): received PUT 'a' (revision 3) after revision 4; revisions must only go up");
  });

  it('reports a change delivered twice', () => {
    const v = check({ name: 'a', key: 'a', sessions: [session(2, batch(at(2)), batch(at(2)), batch([change(3, 'a')]))] });
    expect(v).toEqual([
      { watcher: 'a', kind: 'duplicate', revision: 2, message: "watcher 'a' (batch 2): received PUT 'a' (revision 2) again (first in batch 1); a change is delivered once" },
    ]);
  });

  it('reports a revision split across batches', () => {
    const v = check(everything([session(2, batch(at(2)), batch([change(3, 'a')]), batch([change(3, 'b')]), ...[4, 5, 6].map((r) => batch(at(r))))]));
    expect(v).toEqual([
      { watcher: 'w', kind: 'split', revision: 3, message: "watcher 'w': revision 3 came in 2 batches (batch 2, batch 3); all events of a revision must arrive in one batch" },
    ]);
  });

  it('reports gaps: a skipped revision, half a revision, and (when told how far it should be) a missing tail', () => {
    expect(check(everything([session(2, ...[2, 3, 5, 6].map((r) => batch(at(r))))])).map((v) => v.message)).toEqual([
      "watcher 'w': never received revision 4 (PUT 'x/c'), although it received up to revision 6",
    ]);
    expect(check(everything([session(2, batch(at(2)), batch([change(3, 'a')]))])).map((v) => v.message)).toEqual([
      "watcher 'w': revision 3 arrived without PUT 'b'; all events of a revision must arrive together",
    ]);
    const behind = [session(2, batch(at(2)), batch(at(3)))];
    expect(kinds(everything(behind))).toEqual([]);
    expect(check(everything(behind, 6)).map((v) => v.message)).toEqual([
      "watcher 'w': never received revision 4 (PUT 'x/c'), although it should have caught up to revision 6",
      "watcher 'w': never received revision 5 (DELETE 'a'), although it should have caught up to revision 6",
      "watcher 'w': never received revision 6 (PUT 'b'), although it should have caught up to revision 6",
    ]);
  });

  it('holds progress notifications to their word', () => {
    // A bookmark at 5 says everything up to 5 was delivered: 4 and 5 are missing.
    expect(kinds(everything([session(2, batch(at(2)), batch(at(3)), bookmark(5))]))).toEqual(['missing@4', 'missing@5']);
    // An event at or below a bookmark arrives too late.
    expect(check(everything([session(4, bookmark(4), batch(at(4)))]))[0].message).toBe(
      "watcher 'w' (batch 2): received PUT 'x/c' (revision 4) after a progress notification at revision 4 said everything up to it was delivered",
    );
    // A bookmark never goes back.
    expect(kinds(everything([session(5, batch(at(5)), batch(at(6)), bookmark(5))]))).toEqual(['out-of-order@5']);
  });

  it('reports changes a watcher should not have received', () => {
    const onlyA = (...batches: ReceivedBatch[]): WatcherRecord => ({ name: 'a', key: 'a', sessions: [session(3, ...batches)], caughtUpTo: 6 });
    expect(check(onlyA(batch(at(3)), batch(at(5)))).map((v) => v.message)).toEqual(["watcher 'a' (batch 1): received PUT 'b' (revision 3), but it watches 'a'"]);
    expect(check(onlyA(batch(at(2)), batch([change(3, 'a')]), batch(at(5)))).map((v) => v.message)).toEqual([
      "watcher 'a' (batch 1): received PUT 'a' (revision 2), but it started from revision 3",
    ]);
    expect(check(onlyA(batch([change(3, 'a')]), batch([change(5, 'a', 'PUT')]))).map((v) => v.message)).toEqual([
      "watcher 'a' (batch 2): received PUT 'a' (revision 5), but the store made no such change",
      "watcher 'a': never received revision 5 (DELETE 'a'), although it should have caught up to revision 6",
    ]);
  });

  it('reports a batch that holds events of another revision', () => {
    expect(check(everything([session(2, batch([...at(2), ...at(3)]), batch(at(4)))])).map((v) => v.message)).toEqual([
      "watcher 'w' (batch 1): a batch at revision 2 holds PUT 'a' (revision 3); a batch holds the events of its own revision",
    ]);
  });

  it('checks that a restarted watch resumes from the last revision seen + 1', () => {
    const before = session(2, batch(at(2)), batch(at(3)));
    const from = (revision: number) => session(revision, ...[4, 5, 6].filter((r) => r >= revision).map((r) => batch(at(r))));
    expect(check(everything([before, from(4)], 6))).toEqual([]);
    // Resuming after a bookmark counts from the bookmark: nothing changed 'a' at 4.
    const onlyA: WatcherRecord = { name: 'a', key: 'a', sessions: [session(2, batch(at(2)), batch([change(3, 'a')]), bookmark(4)), session(5, batch(at(5)))], caughtUpTo: 6 };
    expect(check(onlyA)).toEqual([]);
    const early = session(3, batch(at(3)), ...[4, 5, 6].map((r) => batch(at(r))));
    expect(check(everything([before, early], 6))).toEqual([
      {
        watcher: 'w',
        kind: 'duplicate',
        revision: 3,
        message: "watcher 'w': session 2 started from revision 3 after it had seen up to revision 3, so it heard revision 3 again; a restarted watch resumes from the last revision it saw + 1 (4)",
      },
    ]);
    expect(check(everything([before, from(6)], 6)).map((v) => v.message)).toEqual([
      "watcher 'w': session 2 started from revision 6 after it had seen up to revision 3, so it missed PUT 'x/c' at 4, DELETE 'a' at 5; a restarted watch resumes from the last revision it saw + 1 (4)",
    ]);
    // Batches are named by session once there are several.
    expect(check(everything([before, session(4, batch(at(5)), batch(at(4)))]))[0].message).toMatch(/^watcher 'w' \(session 2, batch 2\): received PUT 'x\/c'/);
  });
});
