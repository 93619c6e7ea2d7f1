import { describe, expect, it } from 'vitest';
import { applyMutant } from './mutants';

describe('a mutant', () => {
  const mutant = { name: 'off by one', file: 'x.ts', find: 'i < n', replace: 'i <= n' };

  it('edits the one place its text occurs', () => {
    expect(applyMutant('for (let i = 0; i < n; i++) {}', mutant)).toBe('for (let i = 0; i <= n; i++) {}');
  });

  it('does not apply where its text is missing or occurs twice (it would be ambiguous)', () => {
    expect(applyMutant('for (let j = 0; j < n; j++) {}', mutant)).toBeUndefined();
    expect(applyMutant('i < n; i < n', mutant)).toBeUndefined();
  });
});
