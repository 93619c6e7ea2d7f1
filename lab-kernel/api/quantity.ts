/**
 * Kubernetes' resource.Quantity: the numbers in `cpu: 500m`, `memory: 1Gi`, `pods: "10"`.
 *
 *   parseQuantity('100m')                  // => 0.1, written in DecimalSI
 *   parseQuantity('1Gi')                   // => 1073741824, written in BinarySI
 *   formatQuantity(parseQuantity('0.5'))   // => '500m'
 *   formatQuantity(parseQuantity('1024Mi'))// => '1Gi'
 *   formatQuantity(addQuantities(parseQuantity('512Mi'), parseQuantity('512Mi'))) // => '1Gi'
 *   compareQuantities(parseQuantity('1'), parseQuantity('1000m'))                // => 0
 *
 * A quantity keeps the notation it was written in (its format), and prints itself in that
 * notation's canonical form, as Kubernetes does in every message: `1Gi`, `500m`, `2`, `1500`,
 * `1536Mi`, `1e3`. The value is held exactly as a whole number of nano-units (a BigInt), the
 * smallest step Kubernetes keeps; a finer value is rounded up to it, as Kubernetes rounds.
 */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in nano-units (1 = 10^-9): 500m is 500_000_000n. */
  readonly nanos: bigint;
  readonly format: QuantityFormat;
}

/** The pattern every quantity must match, and Kubernetes' error when one does not. */
export const QUANTITY_PATTERN = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${QUANTITY_PATTERN}'`;
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";

export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

const NANOS_PER_UNIT = 1_000_000_000n;

/** Decimal SI suffixes, as powers of ten. */
const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
/** Binary SI suffixes, as powers of 1024. */
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };

export const ZERO_QUANTITY: Quantity = { nanos: 0n, format: 'DecimalSI' };

/**
 * Reads a quantity; throws a QuantityError with Kubernetes' message if it cannot.
 *
 *   parseQuantity('1.5Gi')  // => { nanos: 1610612736_000000000n, format: 'BinarySI' }
 *   parseQuantity('1e3')    // => { nanos: 1000_000000000n, format: 'DecimalExponent' }
 *   parseQuantity('1K')     // throws "unable to parse quantity's suffix" (k is lower-case)
 */
export function parseQuantity(text: string): Quantity {
  // The same few texts ('10m', '128Mi') come back on every pod the scheduler, the kubelet and
  // validation look at: each is read once, and its frozen answer shared.
  let quantity = PARSED.get(text);
  if (quantity === undefined) {
    quantity = Object.freeze(parseFresh(text));
    if (PARSED.size >= PARSED_KEPT) PARSED.clear();
    PARSED.set(text, quantity);
  }
  return quantity;
}

const PARSED = new Map<string, Quantity>();
const PARSED_KEPT = 4096;
const QUANTITY = new RegExp(QUANTITY_PATTERN);

function parseFresh(text: string): Quantity {
  const match = QUANTITY.exec(text);
  if (text === '' || match === null) throw new QuantityError(ERR_FORMAT_WRONG);
  const [, numberPart, suffix] = match;
  const number = /^([+-]?)([0-9]*)(?:\.([0-9]*))?$/.exec(numberPart);
  if (number === null || (number[2] === '' && (number[3] ?? '') === '')) throw new QuantityError(ERR_NUMERIC);
  const negative = number[1] === '-';
  const whole = number[2];
  const fraction = number[3] ?? '';
  // The number as digits / 10^fraction.length, then scaled by the suffix.
  const digits = BigInt(whole + fraction || '0');
  let numerator = digits;
  let denominator = 10n ** BigInt(fraction.length);
  let format: QuantityFormat;
  if (suffix in DECIMAL_SUFFIXES) {
    format = 'DecimalSI';
    const power = DECIMAL_SUFFIXES[suffix];
    if (power >= 0) numerator *= 10n ** BigInt(power);
    else denominator *= 10n ** BigInt(-power);
  } else if (suffix in BINARY_SUFFIXES) {
    format = 'BinarySI';
    numerator *= 1024n ** BigInt(BINARY_SUFFIXES[suffix]);
  } else {
    const exponent = /^[eE]([-+]?[0-9]+)$/.exec(suffix);
    if (exponent === null) throw new QuantityError(ERR_SUFFIX);
    format = 'DecimalExponent';
    const power = Number(exponent[1]);
    if (power >= 0) numerator *= 10n ** BigInt(power);
    else denominator *= 10n ** BigInt(-power);
  }
  // Round up (away from zero) to a whole nano-unit, as Kubernetes rounds to its precision.
  const scaled = numerator * NANOS_PER_UNIT;
  const nanos = (scaled + denominator - 1n) / denominator;
  return { nanos: negative ? -nanos : nanos, format };
}

/** Whether a string is a valid quantity. */
export function isQuantity(text: string): boolean {
  try {
    parseQuantity(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The canonical text of a quantity, the way Kubernetes prints it:
 *   DecimalSI: trailing zeros become the largest fitting suffix, in steps of 1000
 *              (0.5 => '500m', 1000 => '1k', 1500 => '1500', 2000m => '2');
 *   BinarySI:  the largest power of 1024 that divides it exactly (1024Mi => '1Gi', 1536Mi => '1536Mi');
 *              a value under 1024 or with a fraction is written in DecimalSI instead (0.5Gi => '512Mi', 0.5Ki => '512');
 *   DecimalExponent: like DecimalSI with `e<n>` for the suffix (1000 => '1e3').
 */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  const sign = q.nanos < 0n ? '-' : '';
  const magnitude = q.nanos < 0n ? -q.nanos : q.nanos;
  if (q.format === 'BinarySI' && magnitude >= 1024n * NANOS_PER_UNIT && magnitude % NANOS_PER_UNIT === 0n) {
    let amount = magnitude / NANOS_PER_UNIT;
    let power = 0;
    while (power < 6 && amount % 1024n === 0n) {
      amount /= 1024n;
      power++;
    }
    const suffix = Object.keys(BINARY_SUFFIXES).find((s) => BINARY_SUFFIXES[s] === power) ?? '';
    return `${sign}${amount}${suffix}`;
  }
  // value = amount * 10^exponent, with the exponent a multiple of 3 and as large as possible.
  let amount = magnitude;
  let exponent = -9;
  while (amount % 1000n === 0n) {
    amount /= 1000n;
    exponent += 3;
  }
  if (q.format === 'DecimalExponent') return `${sign}${amount}${exponent === 0 ? '' : `e${exponent}`}`;
  const suffix = Object.keys(DECIMAL_SUFFIXES).find((s) => DECIMAL_SUFFIXES[s] === exponent);
  return suffix === undefined ? `${sign}${amount}e${exponent}` : `${sign}${amount}${suffix}`;
}

/** Re-writes a quantity string canonically: canonicalQuantity('0.5') => '500m'. */
export function canonicalQuantity(text: string): string {
  return formatQuantity(parseQuantity(text));
}

/** -1, 0 or 1 as a is less than, equal to or greater than b: compareQuantities(1, 1000m) => 0. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  return a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0;
}

/** a + b, in a's format (a zero takes b's, as in Kubernetes): 0 + 512Mi => '512Mi'. */
export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

/** a - b, in a's format (a zero takes b's): 1Gi - 512Mi => '512Mi'. */
export function subtractQuantities(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos - b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

/** The value in thousandths, rounded up, as Quantity.MilliValue(): milliValue(parseQuantity('0.5')) => 500. */
export function milliValue(q: Quantity): number {
  return Number(ceilDiv(q.nanos, 1_000_000n));
}

/** The value in whole units, rounded up, as Quantity.Value(): value(parseQuantity('1Ki')) => 1024. */
export function value(q: Quantity): number {
  return Number(ceilDiv(q.nanos, NANOS_PER_UNIT));
}

function ceilDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d > 0n ? q + 1n : q;
}
