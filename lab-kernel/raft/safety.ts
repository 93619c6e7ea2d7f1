import { hashString } from '../sim/rng';
import type { Entry } from './types';

/**
 * Raft's safety properties, checked on every entry any peer applies, as it happens — not once
 * at the end of a test, when the evidence is gone.
 *
 *   State Machine Safety (§5.4.3)  no two peers apply different entries at one index; and what
 *                                  a peer applied at an index stays there (a restarted peer
 *                                  re-applying its log must apply the same entries again)
 *   in order, without gaps         each peer applies index i + 1 right after index i (or right
 *                                  after the snapshot it loaded)
 *   snapshots hold the committed   a snapshot's state is the state of the committed entries up
 *   state (§7)                     to its index, and a running peer never loads one older than
 *                                  what it has applied (its state would go back in time)
 *   Election Safety (§5.2)         at most one leader per term
 *
 *   const safety = new SafetyChecker();
 *   safety.applied('raft-0', { index: 1, term: 1, data: 'x' }, 0)   // => undefined: fine
 *   safety.applied('raft-1', { index: 1, term: 1, data: 'y' }, 0)
 *   // => 'raft-1 applied "y" (term 1) at index 1, but raft-0 applied "x" (term 1) there: ...'
 *
 * Each check returns the violation in words (and keeps it in `violations`), or undefined.
 *
 * The applications of the cluster keep a running digest of the commands they applied: their
 * whole state, in a number. `digest(i)` is the digest of the committed entries 1..i, which
 * every correct state at index i must equal.
 */
export class SafetyChecker {
  readonly violations: string[] = [];
  /** index => the entry first applied there, and by whom. */
  private readonly committed = new Map<number, { entry: Entry; by: string }>();
  /** digests[i]: the digest of the committed entries 1..i (digests[0] is the empty state's). */
  private readonly digests: number[] = [EMPTY_DIGEST];
  /** term => the peer that became leader in it. */
  private readonly leaders = new Map<number, string>();
  /** data => the first index it was applied at. */
  private readonly indexes = new Map<string, number>();

  /**
   * `peer` applied `entry`, having applied up to `appliedBefore` (its last applied index, or
   * the index of the snapshot it last loaded).
   */
  applied(peer: string, entry: Entry, appliedBefore: number): string | undefined {
    if (entry.index !== appliedBefore + 1) {
      const what = entry.index <= appliedBefore ? `again, after index ${appliedBefore}` : `right after index ${appliedBefore}, skipping ${appliedBefore + 1}`;
      return this.violation(`${peer} applied index ${entry.index} ${what}: each peer must apply every committed entry once, in index order`);
    }
    const first = this.committed.get(entry.index);
    if (first === undefined) {
      this.committed.set(entry.index, { entry, by: peer });
      this.digests[entry.index] = nextDigest(this.digests[entry.index - 1], entry.data);
      if (!this.indexes.has(entry.data)) this.indexes.set(entry.data, entry.index);
      return undefined;
    }
    if (first.entry.data !== entry.data || first.entry.term !== entry.term) {
      const who = first.by === peer ? `${peer} itself had applied` : `${first.by} applied`;
      return this.violation(
        `${peer} applied ${describe(entry)} at index ${entry.index}, but ${who} ${describe(first.entry)} there: ` +
          'a committed entry must be the same on every peer and never change (State Machine Safety, §5.4.3)',
      );
    }
    return undefined;
  }

  /**
   * `peer` loaded a snapshot at `index` whose state is `digest`, having applied up to
   * `appliedBefore` (0 for a peer that just started: its state is empty).
   */
  loaded(peer: string, index: number, digest: number, appliedBefore: number): string | undefined {
    if (index < appliedBefore) {
      return this.violation(`${peer} loaded a snapshot at index ${index} after applying up to ${appliedBefore}: its state went back in time, undoing committed entries`);
    }
    const expected = this.digests[index];
    if (expected === undefined) {
      return this.violation(`${peer} loaded a snapshot at index ${index}, but no peer has applied that far: a snapshot may only hold applied entries (§7)`);
    }
    if (digest !== expected) {
      return this.violation(`${peer} loaded a snapshot at index ${index} whose state differs from the committed entries 1..${index}: the snapshot does not hold what was applied`);
    }
    return undefined;
  }

  /** `peer` became leader in `term`. */
  leader(peer: string, term: number): string | undefined {
    const other = this.leaders.get(term);
    if (other !== undefined && other !== peer) {
      return this.violation(`${peer} became leader in term ${term}, but ${other} already led term ${term}: at most one leader per term (Election Safety, §5.2)`);
    }
    this.leaders.set(term, peer);
    return undefined;
  }

  /** The entry applied at `index`, if any peer applied it. */
  entryAt(index: number): Entry | undefined {
    return this.committed.get(index)?.entry;
  }

  /** The first index at which some peer applied an entry with this data. */
  indexOf(data: string): number | undefined {
    return this.indexes.get(data);
  }

  /** The highest index any peer applied. */
  maxApplied(): number {
    return this.digests.length - 1;
  }

  /** A violation found outside these checks (the caller words it). */
  report(text: string): void {
    this.violations.push(text);
  }

  private violation(text: string): string {
    this.violations.push(text);
    return text;
  }
}

/** The digest of an application that applied nothing yet. */
export const EMPTY_DIGEST = 0;

/** The state after applying `data` to a state whose digest is `digest`. */
export function nextDigest(digest: number, data: string): number {
  return hashString(`${digest}\u0000${data}`);
}

/** '"cmd-7" (term 3)', or 'the empty entry of a new leader (term 3)'. */
function describe(entry: Entry): string {
  return entry.data === '' ? `the empty entry of a new leader (term ${entry.term})` : `${JSON.stringify(entry.data)} (term ${entry.term})`;
}
