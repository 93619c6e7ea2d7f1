/**
 * The alphabet of the 5-character suffixes Kubernetes generates for names (generateName
 * `web-` => `web-x7k2p`, pod names of ReplicaSets, token volume names): no vowels, so no
 * words, and no 0, 1 or 3, so nothing to misread (apimachinery's util/rand).
 */
export const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export const NAME_SUFFIX_LENGTH = 5;
