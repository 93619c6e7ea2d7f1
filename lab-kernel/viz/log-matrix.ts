import type { Figure8Stage } from '../raft/figure8';
import { memberLogs, type MemberLog } from '../raft/log-view';
import type { RaftCluster } from '../raft/raft-cluster';
import { showHtml } from './display';

/**
 * The log matrix of a Raft cluster: one row per member, one column per log index, each cell the
 * term of the entry the member holds there. Green: committed, as far as that member knows.
 * Yellow: held, not known to be committed yet. `s`: folded into a snapshot. A crashed member's
 * row is what its disk holds.
 *
 *   showLogs(cluster)                   // the cluster as it is now
 *   showLogStages(figure8(ref, 17).stages)   // one matrix per stage, with its caption
 *   logMatrixHtml(memberLogs(cluster))  // the HTML, for a test or a page of one's own
 */
export interface LogMatrixOptions {
  /** Show the commit and applied columns (default true). */
  indexes?: boolean;
  /** Draw at least this many index columns, so that matrices side by side line up. */
  minColumns?: number;
}

const GREEN = 'background:#c8e6c9';
const YELLOW = 'background:#fff3b0';
const GREY = 'background:#e2e3e5;color:#555';

export const LOG_MATRIX_LEGEND =
  'Each cell: the term of the entry that member holds at that index. Green: committed, as far as the member knows. ' +
  'Yellow: held, not known to be committed. s: folded into a snapshot. A crashed member shows its disk.';

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Who the row is, in words: 'raft-0 (leader t2)', 'raft-1 (crashed)', 'raft-2 (cut off)'. */
function who(log: MemberLog): string {
  if (log.role === undefined) return `${log.member} (crashed)`;
  const notes = [log.role === 'leader' ? `leader t${log.term}` : '', log.cutOff ? 'cut off' : ''].filter((n) => n !== '');
  return notes.length > 0 ? `${log.member} (${notes.join(', ')})` : log.member;
}

/** The matrix as an HTML table. */
export function logMatrixHtml(logs: readonly MemberLog[], options: LogMatrixOptions = {}): string {
  const showIndexes = options.indexes ?? true;
  const lastOf = (l: MemberLog) => (l.entries.length > 0 ? l.entries[l.entries.length - 1].index : l.snapshotIndex);
  const last = Math.max(1, options.minColumns ?? 0, ...logs.map(lastOf));
  const td = (text: string | number, style = '') => `<td style="text-align:center;min-width:1.6em;${style}">${escapeHtml(String(text))}</td>`;
  const indexes = Array.from({ length: last }, (_, i) => i + 1);
  const head = ['member', ...indexes.map(String), ...(showIndexes ? ['commit', 'applied'] : [])]
    .map((h) => `<th style="text-align:center">${h}</th>`);
  const rows = logs.map((log) => {
    const cells = indexes.map((index) => {
      if (index <= log.snapshotIndex) return td('s', GREY);
      const e = log.entries.find((x) => x.index === index);
      if (e === undefined) return td('');
      return td(e.term, index <= log.commit ? GREEN : YELLOW);
    });
    const tail = showIndexes ? td(log.commit) + td(log.applied ?? '') : '';
    return `<tr><td style="text-align:left;white-space:nowrap;min-width:16em">${escapeHtml(who(log))}</td>${cells.join('')}${tail}</tr>`;
  });
  return `<table class="kubelab-table kubelab-log-matrix"><tr>${head.join('')}</tr>\n${rows.join('\n')}</table>`;
}

/** Shows the cluster's log matrix, read from the members' disks and statuses. */
export function showLogs(cluster: RaftCluster, options: LogMatrixOptions = {}): void {
  showHtml(logMatrixHtml(memberLogs(cluster), options));
}

/** Several moments of one story, each a caption and its matrix, one under the other (Figure 8). */
export function logStagesHtml(stages: readonly Pick<Figure8Stage, 'label' | 'caption' | 'logs'>[]): string {
  const width = Math.max(1, ...stages.flatMap((s) => s.logs.map((l) => (l.entries.length > 0 ? l.entries[l.entries.length - 1].index : l.snapshotIndex))));
  const rows = stages.map((s) =>
    `<div style="display:flex;gap:1.5em;align-items:flex-start;margin:0.6em 0">` +
    `<div style="flex:0 0 22em;max-width:22em"><b>${escapeHtml(s.label)}</b> ${escapeHtml(s.caption)}</div>` +
    `<div>${logMatrixHtml(s.logs, { indexes: true, minColumns: width })}</div></div>`,
  );
  return `<div class="kubelab-log-stages">\n${rows.join('\n')}\n<p style="font-size:90%">${escapeHtml(LOG_MATRIX_LEGEND)}</p></div>`;
}

export function showLogStages(stages: readonly Pick<Figure8Stage, 'label' | 'caption' | 'logs'>[]): void {
  showHtml(logStagesHtml(stages));
}
