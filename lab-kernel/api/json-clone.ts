/**
 * A deep copy of a value as JSON would carry it: JSON.parse(JSON.stringify(value)) without the
 * text in between (about six times faster on a pod, and every request body goes through it).
 *
 *   undefined, functions, symbols   left out of objects; null in arrays (undefined at the top)
 *   NaN, Infinity                   null;  -0 => 0
 *   an object with toJSON()         what toJSON returns (a Date => its ISO string)
 *   new String('a'), new Number(1)  'a', 1
 *   a key named "__proto__"         an own property, as JSON.parse makes it
 *
 * What JSON.stringify refuses (a cycle, a BigInt) throws a TypeError here too.
 *
 *   jsonClone({ a: 1, b: undefined, c: [undefined, NaN], d: new Date(0) })
 *   // => { a: 1, c: [null, null], d: '1970-01-01T00:00:00.000Z' }
 */
export function jsonClone(value: unknown): unknown {
  return copy(value, '', [], NO_SIZE);
}

/**
 * jsonClone, and an upper bound on the UTF-8 bytes of JSON.stringify(value): each string
 * counted as if every character took a six-byte \uXXXX escape, each number as 24 bytes. A body
 * the bound keeps under a limit is under it; one over it needs JSON.stringify to know.
 *
 *   jsonCloneSized({ a: 'xy' })   // => { copy: { a: 'xy' }, atMostBytes: 26 }   (JSON: 10 bytes)
 */
export function jsonCloneSized(value: unknown): { copy: unknown; atMostBytes: number } {
  const size = { bytes: 0 };
  const result = copy(value, '', [], size);
  return { copy: result, atMostBytes: size.bytes };
}

const NO_SIZE = { bytes: 0 };

function copy(value: unknown, key: string, ancestors: object[], size: { bytes: number }): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'string':
      size.bytes += 6 * value.length + 2;
      return value;
    case 'number':
      size.bytes += 24;
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
    case 'boolean':
      size.bytes += 5;
      return value;
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    case 'object':
      break;
    default:
      return undefined; // undefined, a function, a symbol
  }
  if (value === null) {
    size.bytes += 4;
    return null;
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) return copy(value.valueOf(), key, ancestors, size);
  if (ancestors.includes(value)) throw new TypeError('Converting circular structure to JSON');
  ancestors.push(value);
  size.bytes += 2;
  let out: unknown;
  if (Array.isArray(value)) {
    const list: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = copy(value[i], String(i), ancestors, size);
      if (item === undefined) size.bytes += 4;
      list[i] = item === undefined ? null : item;
      size.bytes += 1;
    }
    out = list;
  } else {
    const object: Record<string, unknown> = {};
    for (const k in value) {
      if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
      const item = copy((value as Record<string, unknown>)[k], k, ancestors, size);
      if (item === undefined) continue;
      size.bytes += 6 * k.length + 4;
      if (k === '__proto__') Object.defineProperty(object, k, { value: item, writable: true, enumerable: true, configurable: true });
      else object[k] = item;
    }
    out = object;
  }
  ancestors.pop();
  return out;
}
