import { describe, expect, it } from 'vitest';
import { parseSelector, selectorMatches } from './labels';
import type { LabelSelector } from './types';

describe('selectorMatches', () => {
  const labels = { app: 'web', tier: 'fe' };
  it.each<[string, LabelSelector, boolean]>([
    ['empty selector matches everything', {}, true],
    ['matchLabels subset', { matchLabels: { app: 'web' } }, true],
    ['matchLabels wrong value', { matchLabels: { app: 'db' } }, false],
    ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] }, true],
    ['In, absent key', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, false],
    ['NotIn, absent key matches', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    ['NotIn, listed value', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['fe'] }] }, false],
    ['Exists', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    ['all requirements must hold', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['be'] }] }, false],
  ])('%s', (_name, selector, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });
});

describe('parseSelector', () => {
  it('parses the kubectl -l syntax', () => {
    expect(parseSelector('app=web,tier in (fe, be),env!=prod,!legacy,team')).toEqual({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['fe', 'be'] },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'legacy', operator: 'DoesNotExist' },
        { key: 'team', operator: 'Exists' },
      ],
    });
  });

  it('rejects what it cannot parse, naming the part', () => {
    expect(() => parseSelector('app=web,=oops')).toThrow(/unable to parse requirement: "=oops"/);
  });
});
