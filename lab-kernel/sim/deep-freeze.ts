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

export function isDeepFrozen(value: unknown): boolean {
  return value !== null && typeof value === 'object' && deeplyFrozen.has(value);
}
