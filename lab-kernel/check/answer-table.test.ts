import { describe, expect, it } from 'vitest';
import { answerTable } from './answer-table';

const CASES = [{ what: 'two', n: 2 }, { what: 'three', n: 3 }];
const square = (c: { n: number }) => c.n * c.n;

describe('answerTable', () => {
  it("puts the learner's answer beside the reference's, with ok where they agree", () => {
    const yours = (c: { n: number }) => (c.n === 3 ? 6 : c.n * c.n);
    expect(answerTable(CASES, { reference: square, yours, describe: String, column: 'your square' })).toEqual([
      { case: 'two', expected: '4', 'your square': '4', ok: 'yes' },
      { case: 'three', expected: '9', 'your square': '6', ok: '' },
    ]);
  });

  it('says when the function threw or was not loaded', () => {
    const throws = () => {
      throw new Error('not implemented yet: square');
    };
    expect(answerTable(CASES, { reference: square, yours: throws, describe: String, column: 'yours', caseColumn: 'n' })[0]).toEqual({
      n: 'two',
      expected: '4',
      yours: 'threw: not implemented yet: square',
      ok: '',
    });
    expect(answerTable(CASES, { reference: square, yours: undefined, describe: String, column: 'yours' })[1].yours).toBe('(not loaded)');
  });
});
