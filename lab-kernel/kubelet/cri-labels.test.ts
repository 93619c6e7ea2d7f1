import { describe, expect, it } from 'vitest';
import type { Container } from '../api/types';
import { deepFreeze } from '../sim/deep-freeze';
import { containerHash } from './cri-labels';

describe('containerHash (HashContainer)', () => {
  const web = (image: string): Container => ({ name: 'web', image, resources: { requests: { cpu: '100m' } } });

  it('changes with the image, not with the resources (they may change in place)', () => {
    expect(containerHash(web('nginx:1.27'))).toMatch(/^[0-9a-f]{8}$/);
    expect(containerHash(web('nginx:1.27'))).not.toBe(containerHash(web('nginx:1.26')));
    expect(containerHash({ ...web('nginx:1.27'), resources: { requests: { cpu: '1' } } })).toBe(containerHash(web('nginx:1.27')));
  });

  it('hashes a frozen container (an informer\'s pod) as it hashes a copy, each time it is asked', () => {
    const frozen = deepFreeze(web('nginx:1.27'));
    expect([containerHash(frozen), containerHash(frozen)]).toEqual([containerHash(web('nginx:1.27')), containerHash(web('nginx:1.27'))]);
    expect(containerHash(deepFreeze(web('nginx:1.26')))).toBe(containerHash(web('nginx:1.26')));
  });
});
