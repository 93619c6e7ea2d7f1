/**
 * Deeply frozen data, and a cheap way to know it is: an informer's cached objects are frozen
 * all the way down, so code handed them (a learner's reconcile, say) can read them without a
 * copy: a write fails loudly instead of corrupting the cache.
 *
 *   const pod = deepFreeze(decoded);   // pod, pod.spec, pod.spec.containers[0] ... all frozen
 *   isDeepFrozen(pod)                   // => true
 *   isDeepFrozen(Object.freeze({ a: {} }))  // => false: frozen only on top
 */
const deeplyFrozen = new WeakSet<object>();

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !deeplyFrozen.has(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
    deeplyFrozen.add(value);
  }
  return value;
}

export function isDeepFrozen(value: unknown): boolean {
  return value !== null && typeof value === 'object' && deeplyFrozen.has(value);
}
