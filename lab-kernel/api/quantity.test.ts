import { describe, expect, it } from 'vitest';
import {
  addQuantities,
  canonicalQuantity,
  compareQuantities,
  ERR_FORMAT_WRONG,
  ERR_NUMERIC,
  ERR_SUFFIX,
  formatQuantity,
  milliValue,
  parseQuantity,
  QuantityError,
  subtractQuantities,
  value,
} from './quantity';

const q = parseQuantity;

describe('resource.Quantity', () => {
  it.each([
    ['100m', 100],
    ['0.5', 500],
    ['2', 2000],
    ['1k', 1_000_000],
    ['1e3', 1_000_000],
    ['1.5', 1500],
    ['-1', -1000],
  ])('parses %s as %d milli-units', (text, milli) => {
    expect(milliValue(q(text))).toBe(milli);
  });

  it.each([
    ['1Gi', 1024 ** 3],
    ['512Mi', 512 * 1024 ** 2],
    ['1G', 1e9],
    ['1Ki', 1024],
    ['1.5Gi', 1.5 * 1024 ** 3],
  ])('parses %s as %d bytes', (text, bytes) => {
    expect(value(q(text))).toBe(bytes);
  });

  it.each([
    ['0.5', '500m'],
    ['2000m', '2'],
    ['1000', '1k'],
    ['1500', '1500'],
    ['1.5k', '1500'],
    ['100m', '100m'],
    ['0.1m', '100u'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['0.5Ki', '512'],
    ['1e3', '1e3'],
    ['1000e-3', '1'],
    ['0', '0'],
    ['0Gi', '0'],
    ['-500m', '-500m'],
  ])('prints %s canonically as %s', (text, canonical) => {
    expect(canonicalQuantity(text)).toBe(canonical);
  });

  it('is a text read twice the same frozen answer, and a bad text refused every time?', () => {
    const q = parseQuantity('10Mi');
    expect(parseQuantity('10Mi')).toBe(q);
    expect(Object.isFrozen(q)).toBe(true);
    expect(() => parseQuantity('10K')).toThrow(QuantityError);
    expect(() => parseQuantity('10K')).toThrow(QuantityError);
  });

  it('rejects a string that is not a quantity with the regular expression it must match', () => {
    expect(() => q('abc')).toThrow(ERR_FORMAT_WRONG);
    expect(() => q('')).toThrow(ERR_FORMAT_WRONG);
    expect(ERR_FORMAT_WRONG).toBe("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  });

  it('rejects an unknown suffix (K is not k) and a malformed number', () => {
    expect(() => q('1K')).toThrow(ERR_SUFFIX);
    expect(() => q('1Gb')).toThrow(ERR_FORMAT_WRONG);
    expect(() => q('1.2.3')).toThrow(ERR_NUMERIC);
  });

  it('compares values whatever their notation (1 == 1000m, 1Gi > 1G)', () => {
    expect(compareQuantities(q('1'), q('1000m'))).toBe(0);
    expect(compareQuantities(q('1Gi'), q('1G'))).toBe(1);
    expect(compareQuantities(q('500m'), q('1'))).toBe(-1);
  });

  it("adds and subtracts in the left operand's format; a zero takes the other's", () => {
    expect(formatQuantity(addQuantities(q('512Mi'), q('512Mi')))).toBe('1Gi');
    expect(formatQuantity(addQuantities(q('0'), q('512Mi')))).toBe('512Mi');
    expect(formatQuantity(addQuantities(q('1'), q('500m')))).toBe('1500m');
    expect(formatQuantity(subtractQuantities(q('1Gi'), q('512Mi')))).toBe('512Mi');
    expect(formatQuantity(subtractQuantities(q('1'), q('1')))).toBe('0');
  });
});
