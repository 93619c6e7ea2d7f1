import type { StoreEvent, WatchListener } from './types';

/**
 * The store's watchers, and the promises etcd makes to each of them:
 *
 * - in order: revision after revision, never going back;
 * - whole revisions: the events of one transaction arrive in one call, never split;
 * - never twice: after a batch at revision r, only batches above r;
 * - resumable: a watcher that saw up to revision r and starts again from r + 1 gets exactly
 *   the rest (the store replays its change log from there, then the watcher follows live).
 *
 *   hub.add('/registry/pods/', true, 5, pastEvents, listener)  // replays pastEvents (revisions >= 5), then follows
 *   hub.publish([put /registry/pods/default/web], 9)            // listener([put ...], 9)
 *   hub.progress(9)                                             // listener([], 9): a bookmark, nothing new up to 9
 *
 * Every delivery goes through one queue. A listener may write to the store or start another
 * watch while it runs: the new deliveries wait in the queue behind the ones already due, so
 * no watcher ever sees a later revision before an earlier one.
 */
interface Watcher {
  readonly key: string;
  readonly prefix: boolean;
  readonly listener: WatchListener;
  /** The first revision this watcher wants; deliveries below it are skipped. */
  next: number;
  active: boolean;
}

interface Delivery {
  readonly watcher: Watcher;
  /** Empty for a progress notification. */
  readonly events: StoreEvent[];
  readonly revision: number;
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private readonly queue: Delivery[] = [];
  private draining = false;

  /**
   * Starts a watch at `startRevision`. `replay` holds the logged events at or above it, in
   * revision order. Returns a function that stops the watch.
   */
  add(key: string, prefix: boolean, startRevision: number, replay: readonly StoreEvent[], listener: WatchListener): () => void {
    const watcher: Watcher = { key, prefix, listener, next: startRevision, active: true };
    let i = 0;
    while (i < replay.length) {
      const revision = replay[i].kv.modRevision;
      const batch: StoreEvent[] = [];
      while (i < replay.length && replay[i].kv.modRevision === revision) batch.push(replay[i++]);
      this.enqueue(watcher, batch, revision);
    }
    this.watchers.add(watcher);
    this.drain();
    return () => {
      watcher.active = false;
      this.watchers.delete(watcher);
    };
  }

  /** The events of one transaction, all at `revision`, to every watcher they concern. */
  publish(events: readonly StoreEvent[], revision: number): void {
    for (const w of this.watchers) this.enqueue(w, events, revision);
    this.drain();
  }

  /**
   * A progress notification to every watcher: the store is at `revision` and the watcher has
   * had every event up to it. A watcher that starts in the future gets none (as in etcd).
   */
  progress(revision: number): void {
    for (const w of this.watchers) {
      if (w.next <= revision + 1) this.queue.push({ watcher: w, events: [], revision });
    }
    this.drain();
  }

  private enqueue(w: Watcher, events: readonly StoreEvent[], revision: number): void {
    const mine = events.filter((e) => (w.prefix ? e.kv.key.startsWith(w.key) : e.kv.key === w.key));
    if (mine.length > 0) this.queue.push({ watcher: w, events: mine, revision });
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let d = this.queue.shift(); d !== undefined; d = this.queue.shift()) {
        const w = d.watcher;
        if (!w.active) continue;
        if (d.events.length === 0) {
          w.listener([], d.revision);
        } else if (d.revision >= w.next) {
          w.next = d.revision + 1;
          w.listener(d.events, d.revision);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
