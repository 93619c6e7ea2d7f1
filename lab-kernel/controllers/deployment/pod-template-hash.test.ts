import { describe, expect, it } from 'vitest';
import type { PodTemplateSpec } from '../../api/types';
import { canonicalJson, fnv32a } from '../../api/object-hash';
import { deepFreeze } from '../../sim/deep-freeze';
import { computeHash, safeEncodeString } from './pod-template-hash';

/**
 * controller.ComputeHash's algorithm: FNV-32a (Go's hash/fnv), then the collision count as 8
 * bytes (uint32 little-endian and 4 zero bytes), the sum in decimal through
 * rand.SafeEncodeString.
 */
const utf8 = (s: string) => new TextEncoder().encode(s);
const template = (image: string): PodTemplateSpec => ({ metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image }] } });

describe('the pod-template-hash', () => {
  it('is FNV-32a: the published test vectors', () => {
    expect(fnv32a(utf8(''))).toBe(0x811c9dc5);
    expect(fnv32a(utf8('a'))).toBe(0xe40c292c);
    expect(fnv32a(utf8('foobar'))).toBe(0xbf9cf968);
  });

  it('writes the sum with rand.SafeEncodeString: digit d becomes alphanums[(48 + d) % 27]', () => {
    expect(safeEncodeString('1234567890')).toBe('56789bcdf4');
  });

  it('hashes the collision count after the template, as 4 little-endian bytes and 4 zero bytes', () => {
    const t = template('nginx:1.14.2');
    const bytes = new Uint8Array([...utf8(canonicalJson(t)), 2, 1, 0, 0, 0, 0, 0, 0]);
    expect(computeHash(t, 258)).toBe(safeEncodeString(String(fnv32a(bytes))));
    expect(computeHash(t)).toBe(safeEncodeString(String(fnv32a(utf8(canonicalJson(t))))));
  });

  it('is the same for the same template, whatever the key order, and differs for another template or collision count', () => {
    const t = template('nginx:1.14.2');
    const reordered: PodTemplateSpec = { spec: { containers: [{ image: 'nginx:1.14.2', name: 'nginx' }] }, metadata: { labels: { app: 'nginx' } } };
    expect(computeHash(reordered)).toBe(computeHash(t));
    const hashes = [computeHash(t), computeHash(template('nginx:1.16.1')), computeHash(t, 0), computeHash(t, 1)];
    expect(new Set(hashes).size).toBe(4);
    for (const h of hashes) expect(h).toMatch(/^[4-9bcdf]{1,10}$/);
  });

  it('hashes a frozen template (an informer\'s) as it hashes a copy, for each collision count', () => {
    const frozen = deepFreeze(template('nginx:1.14.2'));
    const copy = template('nginx:1.14.2');
    for (const count of [undefined, 0, 1, undefined, 1]) expect(computeHash(frozen, count)).toBe(computeHash(copy, count));
  });
});
