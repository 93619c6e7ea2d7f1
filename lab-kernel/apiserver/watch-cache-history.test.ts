import { describe, expect, it } from 'vitest';
import type { StoreEvent } from '../store/mvcc-store';
import { EventHistory } from './watch-cache-history';

const put = (rev: number): StoreEvent => ({ type: 'PUT', kv: { key: `/registry/pods/default/p${rev}`, value: '{}', createRevision: rev, modRevision: rev, version: 1, lease: 0 } }) as StoreEvent;
const revisions = (events: StoreEvent[]) => events.map((e) => e.kv.modRevision);

describe("the watch cache's event history", () => {
  it('doubles its capacity rather than drop an event younger than freshMs, up to its maximum', () => {
    const h = new EventHistory({ minCapacity: 2, maxCapacity: 4, freshMs: 1000 });
    h.reset(40);
    for (let rev = 41; rev <= 45; rev++) h.remember(put(rev), 0);
    expect(revisions(h.after(0)), 'grew 2 -> 4, then dropped 41 at the maximum').toEqual([42, 43, 44, 45]);
    expect(h.oldestResourceVersion()).toBe(41);
  });

  it('drops the oldest event once it is older than freshMs, and says so in the oldest resourceVersion it serves', () => {
    const h = new EventHistory({ minCapacity: 2, maxCapacity: 100, freshMs: 1000 });
    h.reset(40);
    h.remember(put(41), 0);
    h.remember(put(42), 0);
    expect(h.oldestResourceVersion(), 'nothing dropped: the list revision').toBe(40);
    h.remember(put(43), 5000);
    expect(revisions(h.after(0))).toEqual([42, 43]);
    expect(h.oldestResourceVersion(), 'the revision just before the oldest kept').toBe(41);
  });

  it('hands out the events after a revision, and starts over empty at a new list', () => {
    const h = new EventHistory({ minCapacity: 100, maxCapacity: 100, freshMs: 1000 });
    h.reset(40);
    for (let rev = 41; rev <= 45; rev++) h.remember(put(rev), 0);
    expect(revisions(h.after(43))).toEqual([44, 45]);
    expect(revisions(h.after(45))).toEqual([]);
    h.reset(120);
    expect([h.after(0), h.oldestResourceVersion()]).toEqual([[], 120]);
  });
});
