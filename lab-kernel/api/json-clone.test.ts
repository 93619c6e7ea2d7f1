import { describe, expect, it } from 'vitest';
import { jsonClone, jsonCloneSized } from './json-clone';

/** What the lab used to do, and what jsonClone must equal exactly. */
const viaText = (v: unknown) => {
  const text = JSON.stringify(v);
  return text === undefined ? undefined : JSON.parse(text);
};

describe('jsonClone (a copy as JSON would carry it)', () => {
  const cases: [string, unknown][] = [
    ['a pod-like object', { kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] } }],
    ['undefined, functions and symbols in objects and arrays', { a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, () => 1, Symbol('t'), 1] }],
    ['numbers JSON cannot write, and -0', { nan: NaN, inf: Infinity, ninf: -Infinity, zero: -0, list: [-0, NaN] }],
    ['toJSON and dates', { when: new Date(0), custom: { toJSON: (key: string) => `key ${key}` }, list: [new Date(1000)] }],
    ['boxed primitives', { s: new String('x'), n: new Number(2), b: new Boolean(false) }],
    ['integer-like keys, which come first', { b: 1, 2: 'two', a: 3, 1: 'one' }],
    ['holes in arrays', [1, , 3]], // eslint-disable-line no-sparse-arrays
    ['nested empty things', { a: {}, b: [], c: [[], [{}]] }],
    ['strings with escapes and lone surrogates', { s: 'quote " backslash \\ newline \n \ud800 é 漢' }],
    ['top-level primitives', 'text'],
    ['null', null],
  ];
  for (const [what, value] of cases) {
    it(`does it equal JSON.parse(JSON.stringify(...)) for ${what}, keys in the same order?`, () => {
      const copy = jsonClone(value);
      expect(copy).toStrictEqual(viaText(value));
      expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
    });
  }

  it('is undefined at the top what JSON leaves undefined?', () => {
    expect(jsonClone(undefined)).toBeUndefined();
    expect(jsonClone(() => 1)).toBeUndefined();
  });

  it('does a key named __proto__ become an own property, not the prototype?', () => {
    const body = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const copy = jsonClone(body) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(JSON.stringify(copy)).toBe(JSON.stringify(body));
  });

  it('does it copy, sharing nothing with the original?', () => {
    const original = { a: { b: [1, { c: 2 }] } };
    const copy = jsonClone(original) as typeof original;
    (copy.a.b[1] as { c: number }).c = 3;
    expect(original.a.b[1]).toEqual({ c: 2 });
  });

  it('does it refuse what JSON.stringify refuses: a cycle, a BigInt?', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => jsonClone(cyclic)).toThrow(TypeError);
    expect(() => jsonClone({ n: BigInt(1) })).toThrow(TypeError);
    // The same object twice, side by side, is no cycle.
    const shared = { x: 1 };
    expect(jsonClone({ a: shared, b: shared })).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });

  it('is its size bound never below the bytes JSON.stringify writes?', () => {
    const values: unknown[] = [
      { a: 'xy' }, [undefined, undefined, undefined], { s: '\u0001\u0002"\\', n: [1.5e300, -0.000001, 12345678901234567890] },
      { k: '漢字'.repeat(100), e: 'é'.repeat(50), deep: [[[[{ x: null, y: true, z: false }]]]] }, 'plain', 42, null,
    ];
    for (const v of values) {
      const { copy, atMostBytes } = jsonCloneSized(v);
      expect(copy).toStrictEqual(viaText(v));
      expect(atMostBytes).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(v)));
    }
    expect(jsonCloneSized({ a: 'xy' }).atMostBytes).toBe(26);
  });
});
