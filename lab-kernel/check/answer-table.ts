/**
 * A learner's function beside the reference, case by case: the tables at the end of a chapter's
 * "your turn" section. A function that throws, or is not loaded, says so in its row.
 *
 *   answerTable(CASES, { reference, yours, describe, column: 'your relistDiff' })
 *   // => [{ case: 'first list [b, a]', expected: 'add default/b, add default/a',
 *   //        'your relistDiff': 'threw: not implemented yet: relist', ok: '' }, ...]
 */
export interface AnswerTableOptions<C, R> {
  reference: (c: C) => R;
  /** undefined: the learner's file could not be loaded. */
  yours: ((c: C) => R) | undefined;
  /** One line for an answer; equal lines mean equal answers. */
  describe: (answer: R) => string;
  /** The heading of the learner's column. */
  column: string;
  /** The heading of the first column (default 'case'). */
  caseColumn?: string;
}

export function answerTable<C extends { what: string }, R>(cases: readonly C[], options: AnswerTableOptions<C, R>): Record<string, string>[] {
  return cases.map((c) => {
    const expected = options.describe(options.reference(c));
    let answer: string;
    try {
      answer = options.yours ? options.describe(options.yours(c)) : '(not loaded)';
    } catch (err) {
      answer = `threw: ${(err as Error).message}`;
    }
    return { [options.caseColumn ?? 'case']: c.what, expected, [options.column]: answer, ok: answer === expected ? 'yes' : '' };
  });
}
