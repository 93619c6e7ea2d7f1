import type { KubeObject } from '../api/types';
import { fieldValue } from './field-selector';

/** What the index needs of a watcher: the field its selector pins to one value, if any. */
export interface Triggered {
  readonly req: { readonly trigger?: { readonly field: string; readonly value: string } };
}

/**
 * The watch cache's index of watchers by trigger (kube-apiserver's indexedTrigger): a kubelet
 * watching pods with spec.nodeName=node-1 hears only of changes to pods on node-1, before or
 * after the change; a watcher without a trigger hears of every change.
 *
 *   index.add(kubeletWatcher)                     // trigger spec.nodeName=node-1
 *   index.relevantTo(() => [pod on node-2 => node-2])   // => w => w is not that kubelet's watcher
 */
export class TriggerIndex<W extends Triggered> {
  /** field => value => watchers. */
  private readonly byField = new Map<string, Map<string, Set<W>>>();

  add(w: W): void {
    this.setOf(w)?.add(w);
  }

  remove(w: W): void {
    this.setOf(w)?.delete(w);
  }

  /**
   * Which watchers can care about changes whose objects (before and after) are these; the
   * objects are asked for only when some watcher has a trigger.
   */
  relevantTo(objectsOf: () => readonly (Readonly<KubeObject> | undefined)[]): (w: W) => boolean {
    if (this.byField.size === 0) return EVERY_WATCHER;
    const objects = objectsOf();
    const hit = new Set<W>();
    for (const [field, byValue] of this.byField) {
      for (const obj of objects) {
        if (obj !== undefined) byValue.get(fieldValue(obj, field))?.forEach((w) => hit.add(w));
      }
    }
    return (w) => w.req.trigger === undefined || hit.has(w);
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

const EVERY_WATCHER = (): boolean => true;
