import type { KubeObject } from '../api/types';
import { fieldValue } from './field-selector';

/** What the index needs of a watcher: the field its selector pins to one value, if any. */
export interface Triggered {
  readonly req: { readonly trigger?: { readonly field: string; readonly value: string } };
}

/**
 * The watch cache's index of watchers by trigger (kube-apiserver's indexedTrigger): a kubelet
 * watching pods with spec.nodeName=node-1 hears only of changes to pods on node-1, before or
 * after the change; a watcher without a trigger hears of every change. Finding the watchers of
 * a change costs the watchers it finds, not all of them: with a kubelet per node, a pod's
 * change reaches one kubelet, and asking each of 200 whether it cares would cost 200 checks.
 *
 *   index.add(scheduler)          // no trigger
 *   index.add(kubelet1)           // trigger spec.nodeName=node-1
 *   index.add(kubelet2)           // trigger spec.nodeName=node-2
 *   index.relevantTo(() => [pod on node-2])   // => [scheduler, kubelet2]: in the order they were added
 */
export class TriggerIndex<W extends Triggered> {
  /** field => value => watchers. */
  private readonly byField = new Map<string, Map<string, Set<W>>>();
  /** The watchers without a trigger, in the order they were added. */
  private readonly untriggered = new Set<W>();
  /** Each watcher's place in the order of adding: the order the watch cache hands changes out in. */
  private readonly order = new Map<W, number>();
  private added = 0;

  add(w: W): void {
    this.order.set(w, this.added++);
    const set = this.setOf(w);
    if (set === undefined) this.untriggered.add(w);
    else set.add(w);
  }

  remove(w: W): void {
    this.order.delete(w);
    this.untriggered.delete(w);
    this.setOf(w)?.delete(w);
  }

  /** How many watchers there are. */
  get size(): number {
    return this.order.size;
  }

  /** Every watcher, in the order they were added (a copy: removing them as it goes is fine). */
  all(): W[] {
    return [...this.order.keys()];
  }

  /**
   * The watchers that can care about changes whose objects (before and after) are these, in the
   * order they were added; the objects are asked for only when some watcher has a trigger.
   * When no trigger matches, this is the index's own set of untriggered watchers: iterate it
   * at once, before any watcher comes or goes.
   */
  relevantTo(objectsOf: () => readonly (Readonly<KubeObject> | undefined)[]): Iterable<W> {
    if (this.byField.size === 0) return this.untriggered;
    const objects = objectsOf();
    const hit = new Set<W>();
    for (const [field, byValue] of this.byField) {
      for (const obj of objects) {
        if (obj !== undefined) byValue.get(fieldValue(obj, field))?.forEach((w) => hit.add(w));
      }
    }
    if (hit.size === 0) return this.untriggered;
    return [...this.untriggered, ...hit].sort((a, b) => this.order.get(a)! - this.order.get(b)!);
  }

  private setOf(w: W): Set<W> | undefined {
    const t = w.req.trigger;
    if (t === undefined) return undefined;
    let byValue = this.byField.get(t.field);
    if (byValue === undefined) this.byField.set(t.field, (byValue = new Map()));
    let set = byValue.get(t.value);
    if (set === undefined) byValue.set(t.value, (set = new Set()));
    return set;
  }
}
