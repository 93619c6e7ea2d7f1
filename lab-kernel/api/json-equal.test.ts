import { describe, expect, it } from 'vitest';
import { jsonEqual } from './json-equal';

/** The definition it must agree with: the same text once keys are sorted. */
function viaText(a: unknown, b: unknown): boolean {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map((x) => sorted(x ?? null)) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

describe('jsonEqual', () => {
  it.each([
    [{ a: 1, b: undefined }, { a: 1 }],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }],
    [[1, undefined], [1, null]],
    [{ a: [1, 2] }, { a: [2, 1] }],
    [{ a: {} }, { a: { b: undefined } }],
    [{ a: null }, {}],
    [{ a: 0 }, { a: '0' }],
    [{ a: NaN }, { a: null }],
    [[], {}],
    [{ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }, { spec: { containers: [{ image: 'nginx', name: 'c' }] }, metadata: { labels: { app: 'web' } } }],
    [{ metadata: { labels: { app: 'web' } } }, { metadata: { labels: { app: 'web', tier: 'front' } } }],
    ['x', 'x'],
    [true, false],
  ])('agrees with comparing sorted JSON text: %j vs %j', (a, b) => {
    expect(jsonEqual(a, b)).toBe(viaText(a, b));
    expect(jsonEqual(b, a)).toBe(viaText(a, b));
  });

  it('tells undefined from null at the top, as JSON.stringify does', () => {
    expect(jsonEqual(undefined, null)).toBe(false);
    expect(jsonEqual(undefined, undefined)).toBe(true);
  });
});
