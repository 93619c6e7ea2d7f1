import type { Rng } from '../sim/rng';

/**
 * The alphabet of the 5-character suffixes Kubernetes generates for names (generateName
 * `web-` => `web-x7k2p`, pod names of ReplicaSets, token volume names): no vowels, so no
 * words, and no 0, 1 or 3, so nothing to misread (apimachinery's util/rand).
 */
export const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export const NAME_SUFFIX_LENGTH = 5;

const HEX_DIGITS = '0123456789abcdef';

/**
 * A random (version 4) UUID from a seeded stream, as apimachinery's uuid.NewUUID makes an
 * object's metadata.uid and a leader election identity's uniquifier:
 *
 *   uuid(new Simulation({ seed: 1 }).rng('apiserver/uids'))  // => 'c58b371d-7a54-4103-9dad-fed7e17a3ad6', on every run
 */
export function uuid(rng: Pick<Rng, 'int'>): string {
  const hex = (n: number) => {
    let digits = '';
    for (let i = 0; i < n; i++) digits += HEX_DIGITS[rng.int(16)];
    return digits;
  };
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + rng.int(4)).toString(16)}${hex(3)}-${hex(12)}`;
}
