import { describe, expect, it } from 'vitest';
import type { MemberLog } from '../raft/log-view';
import { logMatrixHtml, logStagesHtml } from './log-matrix';

const row = (member: string, terms: number[], commit: number, extra: Partial<MemberLog> = {}): MemberLog => ({
  member, role: 'follower', term: Math.max(0, ...terms), entries: terms.map((term, i) => ({ index: i + 1, term })),
  snapshotIndex: 0, commit, applied: commit, ...extra,
});

describe('logMatrixHtml', () => {
  it('draws one row per member and one column per index, committed cells green and the others yellow', () => {
    const html = logMatrixHtml([row('raft-0', [1, 1, 2], 2, { role: 'leader', term: 2 }), row('raft-1', [1], 1)]);
    expect(html).toContain('<th style="text-align:center">3</th>');
    expect(html).toContain('raft-0 (leader t2)');
    expect(html.match(/background:#c8e6c9/g)).toHaveLength(3); // 1 and 2 on raft-0, 1 on raft-1
    expect(html.match(/background:#fff3b0/g)).toHaveLength(1); // 3 on raft-0
  });

  it('names crashed and cut-off members, and marks snapshot entries s', () => {
    const html = logMatrixHtml([
      row('raft-0', [], 0, { role: undefined, applied: undefined }),
      row('raft-1', [0, 0, 0, 0, 0, 1], 6, { snapshotIndex: 5, entries: [{ index: 6, term: 1 }], cutOff: true }),
    ]);
    expect(html).toContain('raft-0 (crashed)');
    expect(html).toContain('raft-1 (cut off)');
    expect(html.match(/>s</g)).toHaveLength(5);
  });

  it('can leave out the index columns and pad to a width', () => {
    const html = logMatrixHtml([row('a', [1], 1)], { indexes: false, minColumns: 4 });
    expect(html).not.toContain('commit');
    expect(html).toContain('<th style="text-align:center">4</th>');
  });

  it('escapes what it is given', () => {
    expect(logMatrixHtml([row('<b>', [1], 1)])).toContain('&lt;b&gt;');
  });
});

describe('logStagesHtml', () => {
  it('puts each stage’s caption beside its matrix, all matrices as wide as the widest', () => {
    const html = logStagesHtml([
      { label: '(a)', caption: 'one entry', logs: [row('S1', [1], 1)] },
      { label: '(b)', caption: 'three entries', logs: [row('S1', [1, 2, 2], 1)] },
    ]);
    expect(html).toContain('<b>(a)</b> one entry');
    expect(html.match(/<th style="text-align:center">3<\/th>/g)).toHaveLength(2);
    expect(html).toContain('Green: committed');
  });
});
