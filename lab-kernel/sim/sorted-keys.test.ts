import { describe, expect, it } from 'vitest';
import { SortedKeys } from './sorted-keys';

describe('SortedKeys', () => {
  it('are the keys read in code-unit order, whatever order they came and went in?', () => {
    const keys = new SortedKeys();
    const alive = new Set<string>();
    ['/b', '/a', 'Z', '/c/1', 'ü', '/c/10', '/c/2'].forEach((k, i) => {
      keys.add(k);
      alive.add(k);
      if (i % 2 === 1) {
        const gone = [...alive][0];
        keys.remove(gone);
        alive.delete(gone);
      }
      expect(keys.all()).toEqual([...alive].sort());
    });
    expect(keys.withPrefix('/c/')).toEqual([...alive].filter((k) => k.startsWith('/c/')).sort());
  });

  it('is a list once read left as it was when keys change later (a snapshot)?', () => {
    const keys = new SortedKeys();
    keys.add('/a');
    const before = keys.all();
    expect(keys.all(), 'unchanged keys: the same array').toBe(before);
    keys.add('/b');
    keys.remove('/a');
    expect(keys.all()).toEqual(['/b']);
    expect(before).toEqual(['/a']);
  });

  it('does a key removed and added again before the next read count once?', () => {
    const keys = new SortedKeys();
    keys.add('/a');
    keys.all();
    keys.remove('/a');
    keys.add('/a');
    expect(keys.all()).toEqual(['/a']);
  });

  it('does it stay right through many adds and removes between reads (checked against a sort)?', () => {
    const keys = new SortedKeys();
    const alive = new Set<string>();
    let x = 7;
    const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
    for (let round = 0; round < 200; round++) {
      for (let i = next() % 6; i >= 0; i--) {
        const k = `/k/${next() % 50}`;
        if (alive.has(k)) {
          keys.remove(k);
          alive.delete(k);
        } else {
          keys.add(k);
          alive.add(k);
        }
      }
      expect(keys.all()).toEqual([...alive].sort());
    }
  });
});
