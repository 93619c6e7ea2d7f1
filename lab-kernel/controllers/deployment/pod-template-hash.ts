import { canonicalJson, fnv32a } from '../../api/object-hash';
import type { PodTemplateSpec } from '../../api/types';

/**
 * The pod-template-hash: how a Deployment names the ReplicaSet of each version of its pod
 * template, as kube-controller-manager's controller.ComputeHash does it — FNV-32a over the
 * template, then over the collision count when the Deployment has one (4 bytes little-endian
 * and 4 zero bytes), the 32-bit sum written in decimal and each digit mapped onto the
 * consonants-and-digits alphabet of rand.SafeEncodeString:
 *
 *   safeEncodeString('1234567890')                  // => '56789bcdf4', digit by digit
 *   computeHash(template)                           // => e.g. '7c5ddbdf54' (10 characters or fewer)
 *   computeHash(template, 1)                        // => another name: the collision count is hashed too
 *   `${deployment}-${computeHash(template)}`        // => 'nginx-deployment-7c5ddbdf54', the ReplicaSet's name
 *
 * Digits '0'-'9' are runes 48-57, and 48 % 27 ... 57 % 27 land on '4' '5' '6' '7' '8' '9' 'b' 'c'
 * 'd' 'f': every hash is made of those ten characters, as real ones are.
 *
 * What is hashed differs: Kubernetes hashes go-spew's dump of the Go struct v1.PodTemplateSpec
 * (every field, defaulted ones included, in Go's field order); the lab hashes the template's
 * JSON with sorted keys. Same algorithm, same alphabet, same behaviour (a new template, a new
 * name; the same template, the same name), but not the same 10 characters as a real cluster.
 */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** rand.String's alphabet: no vowels, no 0/1/3 (apimachinery util/rand). */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: each character (rune) to ALPHANUMS[rune % 27]. */
export function safeEncodeString(s: string): string {
  return [...s].map((ch) => ALPHANUMS[ch.codePointAt(0)! % ALPHANUMS.length]).join('');
}

export function computeHash(template: Readonly<PodTemplateSpec>, collisionCount?: number): string {
  // A frozen template (an informer's object, shared and never changed) is hashed once per
  // collision count: every sync of its Deployment asks.
  if (!Object.isFrozen(template)) return hashOf(template, collisionCount);
  let known = hashes.get(template);
  if (known === undefined) hashes.set(template, (known = new Map()));
  let hash = known.get(collisionCount);
  if (hash === undefined) known.set(collisionCount, (hash = hashOf(template, collisionCount)));
  return hash;
}

const hashes = new WeakMap<Readonly<PodTemplateSpec>, Map<number | undefined, string>>();

function hashOf(template: Readonly<PodTemplateSpec>, collisionCount: number | undefined): string {
  let hash = fnv32a(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv32a(bytes, hash);
  }
  return safeEncodeString(String(hash));
}
