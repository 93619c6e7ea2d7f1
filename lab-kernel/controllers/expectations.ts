/**
 * Controller expectations, as in Kubernetes' controller_utils: after a controller asks for N
 * pods, it waits to *see* them in its cache before it reconciles that owner again. Otherwise
 * a second reconcile — triggered before the informer caught up — would count too few pods
 * and create duplicates.
 *
 *   exp.expect('default/web', { adds: 2, deletes: 0 }, now);
 *   exp.satisfied('default/web', now)   // => false
 *   exp.observeAdd('default/web'); exp.observeAdd('default/web');
 *   exp.satisfied('default/web', now)   // => true
 *
 * Expectations that are never met (a lost event) expire after 5 minutes, like Kubernetes'
 * ExpectationsTimeout, so the controller cannot wedge.
 */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Pending {
  adds: number;
  deletes: number;
  setAt: number;
}

export class Expectations {
  private readonly pending = new Map<string, Pending>();

  expect(key: string, counts: { adds: number; deletes: number }, now: number): void {
    this.pending.set(key, Object.assign({}, counts, { setAt: now }));
  }

  observeAdd(key: string): void {
    const p = this.pending.get(key);
    if (p !== undefined) p.adds--;
  }

  observeDelete(key: string): void {
    const p = this.pending.get(key);
    if (p !== undefined) p.deletes--;
  }

  satisfied(key: string, now: number): boolean {
    const p = this.pending.get(key);
    return p === undefined || (p.adds <= 0 && p.deletes <= 0) || now - p.setAt > EXPECTATIONS_TIMEOUT_MS;
  }

  forget(key: string): void {
    this.pending.delete(key);
  }
}
