/**
 * Deeply frozen data, and a cheap way to know it is: an informer's cached objects are frozen
 * all the way down, so code handed them (a learner's reconcile, say) can read them without a
 * copy: a write fails loudly instead of corrupting the cache.
 *
 *   const pod = deepFreeze(decoded);   // pod, pod.spec, pod.spec.containers[0] ... all frozen
 *   isDeepFrozen(pod)                   // => true
 *   isDeepFrozen(Object.freeze({ a: {} }))  // => false: frozen only on top
 *
 * Only the objects deepFreeze was called on are remembered (a nested one reads as not known
 * to be deep-frozen, and is copied where that matters); an object found already frozen inside
 * is taken to be frozen all the way down, as everything this lab freezes is.
 */
const deeplyFrozen = new WeakSet<object>();

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !deeplyFrozen.has(value)) {
    freezeTree(value);
    deeplyFrozen.add(value);
  }
  return value;
}

function freezeTree(node: object): void {
  Object.freeze(node);
  for (const key in node) {
    const child = (node as Record<string, unknown>)[key];
    if (child !== null && typeof child === 'object' && !Object.isFrozen(child)) freezeTree(child);
  }
}

/**
 * A new version of an object, deep-frozen, sharing every part that did not change with the
 * version before (itself deep-frozen): the watch cache decodes each version of a pod afresh,
 * and most of a pod (its spec, labels, owner references) is the same in every version.
 * `next` must be fresh, held by no one else: its unchanged parts are swapped for `prev`'s in
 * place. A part counts as unchanged only if it would serialize to the same JSON, key order
 * included, so a reader cannot tell the shared object from a fresh decode.
 *
 *   const v2 = deepFreezeSharing(JSON.parse(json2), v1)
 *   v2.spec === v1.spec              // => true when only the status changed
 *   v2.status === v1.status          // => false; v2.status.podIP === v1.status.podIP still
 *
 * Why: each version lives until the next replaces it, long enough for the garbage collector
 * to copy it twice; shared parts are copied once, in the first version.
 */
export function deepFreezeSharing<T>(next: T, prev: T | undefined): T {
  const shared = share(next, prev) as T;
  if (shared !== null && typeof shared === 'object') deeplyFrozen.add(shared);
  return shared;
}

/** `next`, or `prev` where they are equal as JSON with the same key order; what is returned is frozen. */
function share(next: unknown, prev: unknown): unknown {
  if (next === prev || next === null || typeof next !== 'object') return next;
  if (prev === null || typeof prev !== 'object' || Array.isArray(next) !== Array.isArray(prev) || !Object.isFrozen(prev)) {
    if (!Object.isFrozen(next)) freezeTree(next);
    return next;
  }
  let same: boolean;
  if (Array.isArray(next)) {
    const before = prev as readonly unknown[];
    same = next.length === before.length;
    for (let i = 0; i < next.length; i++) {
      const child = share(next[i], before[i]);
      if (child !== before[i]) same = false;
      next[i] = child;
    }
  } else {
    const node = next as Record<string, unknown>;
    const before = prev as Readonly<Record<string, unknown>>;
    const beforeKeys = Object.keys(before);
    let i = 0;
    same = true;
    for (const key in node) {
      const child = share(node[key], before[key]);
      if (child !== before[key] || beforeKeys[i] !== key) same = false;
      node[key] = child;
      i++;
    }
    if (i !== beforeKeys.length) same = false;
  }
  return same ? prev : Object.freeze(next);
}

export function isDeepFrozen(value: unknown): boolean {
  return value !== null && typeof value === 'object' && deeplyFrozen.has(value);
}
