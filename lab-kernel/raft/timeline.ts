import type { Role } from './types';
import { formatTime } from '../sim/trace';

/**
 * What each Raft peer was, term by term, over virtual time: the picture a failed test shows,
 * so that "no leader after 10 s" comes with the elections that never finished.
 *
 *   const timeline = new Timeline(['raft-0', 'raft-1', 'raft-2']);
 *   timeline.record('raft-0', 1200, { role: 'candidate', term: 1 });
 *   timeline.record('raft-0', 1204, { role: 'leader' });
 *   timeline.mark(3000, 'disconnect raft-0');
 *   timeline.text({ fromMs: 0, toMs: 4000 })
 *
 *   virtual time 0.000s to 4.000s, one column = 100 ms
 *           0s        1s        2s        3s
 *   raft-0  FFFFFFFFFFFFLLLLLLLLLLLLLLLLLLllllllllll
 *           0           1
 *   ...
 *   events                                ^
 *       3.000s  disconnect raft-0
 *   L leader, C candidate, P pre-candidate, F follower, x crashed; lowercase: cut off from a majority; ...
 *
 * A column stands for 100 ms; when a peer was several things within one, it shows the one that
 * matters most for a diagnosis: crashed, then leader, then candidate, then pre-candidate. So a
 * leader that lasted 20 ms still shows, and so does a restart (a crash and a start at the same
 * instant).
 */
export type PeerState = Role | 'crashed';

/** One change of a peer: from `at` on, it is `state` in `term`, and `cutOff` says whether it can reach a majority. */
export interface PeerChange {
  at: number;
  state: PeerState;
  term: number;
  cutOff: boolean;
}

/** Something that happened to the cluster rather than inside a peer: a crash, a partition, faults. */
export interface Marker {
  at: number;
  text: string;
}

export interface TimelineWindow {
  /** Where the picture starts, in virtual ms (default 0). */
  fromMs?: number;
  /** Where it ends, in virtual ms. */
  toMs: number;
  /** Virtual ms per column of the text picture (default 100: one tick). */
  columnMs?: number;
}

/** The key to the picture, under it (last, so that a report cut short still shows the rows). */
const LEGEND = 'L leader, C candidate, P pre-candidate, F follower, x crashed; lowercase: cut off from a majority; digits under a row: the term from there on';

const LETTER: Record<PeerState, string> = { leader: 'L', candidate: 'C', 'pre-candidate': 'P', follower: 'F', crashed: 'x' };

/** Mermaid gantt task tags, which colour the bars: leaders plain (blue), crashes 'crit' (red). */
const MERMAID_TAG: Record<PeerState, string> = { leader: '', candidate: 'active', 'pre-candidate': 'active', follower: 'done', crashed: 'crit' };

/** Which state a column shows when a peer was several things within it: the first in this list. */
const SALIENCE: readonly PeerState[] = ['crashed', 'leader', 'candidate', 'pre-candidate', 'follower'];

export class Timeline {
  private readonly changes = new Map<string, PeerChange[]>();
  private readonly markers: Marker[] = [];

  /** Every peer starts at time 0 as a brand-new node does: a follower in term 0, cut off from no one. */
  constructor(readonly peers: readonly string[]) {
    for (const peer of peers) this.changes.set(peer, [{ at: 0, state: 'follower', term: 0, cutOff: false }]);
  }

  /** From `at` on, the peer is what `change` says; fields left out keep their value. */
  record(peer: string, at: number, change: Partial<Omit<PeerChange, 'at'>>): void {
    const list = this.list(peer);
    const last = list[list.length - 1];
    const next = Object.assign({}, last, change, { at });
    if (next.state === last.state && next.term === last.term && next.cutOff === last.cutOff) return;
    list.push(next);
  }

  /** A cluster event worth a note under the picture. */
  mark(at: number, text: string): void {
    this.markers.push({ at, text });
  }

  /** Every change of one peer, oldest first (the first one at 0). */
  history(peer: string): readonly PeerChange[] {
    return this.list(peer);
  }

  private list(peer: string): PeerChange[] {
    const list = this.changes.get(peer);
    if (list === undefined) throw new RangeError(`timeline: no peer named ${peer} (peers: ${this.peers.join(', ')})`);
    return list;
  }

  /** What the peer was at virtual time `at` (after every change at that instant). */
  at(peer: string, at: number): PeerChange {
    const list = this.history(peer);
    let found = list[0];
    for (const c of list) {
      if (c.at > at) break;
      found = c;
    }
    return found;
  }

  /** The compact picture: one row per peer, one column per `columnMs`, events listed below. */
  text(window: TimelineWindow): string {
    const columnMs = window.columnMs ?? 100;
    const from = Math.max(0, Math.floor((window.fromMs ?? 0) / columnMs) * columnMs);
    const columns = Math.max(1, Math.ceil((window.toMs - from) / columnMs));
    const label = Math.max(8, ...this.peers.map((p) => p.length + 2));
    const pad = ' '.repeat(label);
    const lines = [`virtual time ${formatTime(from)} to ${formatTime(from + columns * columnMs)}, one column = ${columnMs} ms`, pad + axis(from, columns, columnMs)];
    for (const peer of this.peers) {
      const { roles, terms } = this.row(peer, from, columns, columnMs);
      lines.push(peer.padEnd(label) + roles, pad + terms);
    }
    const shown = this.markers.filter((m) => m.at >= from && m.at < from + columns * columnMs);
    if (shown.length > 0) {
      const row = Array.from({ length: columns }, () => ' ');
      for (const m of shown) row[Math.floor((m.at - from) / columnMs)] = '^';
      lines.push('events'.padEnd(label) + row.join('').trimEnd());
      for (const m of shown) lines.push(`  ${formatTime(m.at).padStart(8)}  ${m.text}`);
    }
    lines.push(LEGEND);
    return lines.map((l) => l.trimEnd()).join('\n');
  }

  /**
   * The same story as a Mermaid gantt chart, for a chapter: one lane per peer, a bar for each
   * stretch in one state and term — leaders in blue, candidates in light blue, followers in
   * grey, crashes in red — and the cluster events as milestones in a lane of their own.
   */
  mermaid(window: TimelineWindow): string {
    const from = window.fromMs ?? 0;
    const seconds = (window.toMs - from) / 1000;
    const tick = seconds <= 12 ? '1second' : seconds <= 60 ? '5second' : '1minute';
    const lines = ['---', 'displayMode: compact', '---', 'gantt', '  dateFormat x', '  axisFormat %M:%S', `  tickInterval ${tick}`, '  todayMarker off'];
    for (const peer of this.peers) {
      lines.push(`  section ${peer}`);
      for (const span of this.spans(peer, from, window.toMs)) {
        const tag = MERMAID_TAG[span.state];
        const name = span.state === 'crashed' ? 'crashed' : `${span.state} t${span.term}`;
        lines.push(`  ${name} :${tag === '' ? '' : `${tag}, `}${span.from}, ${Math.max(1, span.to - span.from)}ms`);
      }
    }
    // Events at one instant share one milestone, so that their labels do not overlap.
    const instants = new Map<number, string[]>();
    for (const m of this.markers) if (m.at >= from && m.at < window.toMs) instants.set(m.at, [...(instants.get(m.at) ?? []), m.text]);
    if (instants.size > 0) {
      lines.push('  section events');
      for (const [at, texts] of instants) lines.push(`  ${texts.join(', ').replace(/[:#;]/g, ' ')} :milestone, ${at}, 0ms`);
    }
    return lines.join('\n');
  }

  /** The peer's stretches of one state and term within [from, to), in order. */
  private spans(peer: string, from: number, to: number): { state: PeerState; term: number; from: number; to: number }[] {
    const list = this.history(peer);
    const spans: { state: PeerState; term: number; from: number; to: number }[] = [];
    list.forEach((c, i) => {
      const start = Math.max(c.at, from);
      const end = Math.min(list[i + 1]?.at ?? to, to);
      if (end <= start) return;
      const last = spans[spans.length - 1];
      if (last !== undefined && last.state === c.state && last.term === c.term && last.to === start) last.to = end;
      else spans.push({ state: c.state, term: c.term, from: start, to: end });
    });
    return spans;
  }

  /** One peer's row of letters and the row of term labels under it. */
  private row(peer: string, from: number, columns: number, columnMs: number): { roles: string; terms: string } {
    const list = this.history(peer);
    const roles: string[] = [];
    const terms = Array.from({ length: columns }, () => ' ');
    let previousTerm = -1;
    /** Where the last label ends (exclusive), so that labels keep a blank between them. */
    let lastLabel: { at: number; end: number } | undefined;
    for (let col = 0; col < columns; col++) {
      const c0 = from + col * columnMs;
      const c1 = c0 + columnMs;
      const inside = list.filter((c) => c.at >= c0 && c.at < c1);
      const held = inside.some((c) => c.at === c0) ? inside : [this.at(peer, c0 - 1), ...inside];
      const state = SALIENCE.find((s) => held.some((c) => c.state === s)) ?? 'follower';
      const end = this.at(peer, c1 - 1);
      roles.push(end.cutOff ? LETTER[state].toLowerCase() : LETTER[state]);
      if (end.term !== previousTerm) {
        const text = String(end.term);
        // A later label wins over an earlier one it would touch: the current term matters most.
        if (lastLabel !== undefined && lastLabel.end >= col) for (let i = lastLabel.at; i < lastLabel.end; i++) terms[i] = ' ';
        for (let i = 0; i < text.length && col + i < columns; i++) terms[col + i] = text[i];
        lastLabel = { at: col, end: Math.min(columns, col + text.length) };
        previousTerm = end.term;
      }
    }
    return { roles: roles.join(''), terms: terms.join('') };
  }
}

/** '0s        1s        2s' over the columns: a label where each second starts. */
function axis(from: number, columns: number, columnMs: number): string {
  const row = Array.from({ length: columns }, () => ' ');
  let free = 0;
  for (let col = 0; col < columns; col++) {
    const t = from + col * columnMs;
    const text = `${t / 1000}s`;
    if (t % 1000 !== 0 || col < free || col + text.length > columns) continue;
    for (let i = 0; i < text.length; i++) row[col + i] = text[i];
    free = col + text.length + 1;
  }
  return row.join('');
}
