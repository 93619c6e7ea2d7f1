import { Informer } from '../client/informer';
import type { ControllerManager } from '../controllers/controller-manager';

/**
 * Which resources each controller of one kube-controller-manager reads, found by looking in
 * the controllers for the process's shared informers (the same objects the factory hands out),
 * so the table shows what the running process really wired up:
 *
 *   controllerWatches(cluster.controllerManager)
 *   // => [{ controller: 'replicaSet', watches: 'replicasets, pods' },
 *   //     { controller: 'deployment', watches: 'deployments, replicasets, pods' }, ...]
 *
 * A controller is a field of the manager with hasSynced() and shutDown(); its informers are
 * its fields, the fields of its fields, and the values of Maps among them.
 */
export interface ControllerWatchRow {
  controller: string;
  watches: string;
}

export function controllerWatches(manager: ControllerManager): ControllerWatchRow[] {
  const byInformer = new Map<unknown, string>();
  for (const resource of manager.informers.resources()) byInformer.set(manager.informers.informerFor(resource), resource);
  const rows: ControllerWatchRow[] = [];
  for (const [name, value] of Object.entries(manager)) {
    if (!isController(value)) continue;
    const found = new Set<string>();
    collect(value, byInformer, found, 2);
    rows.push({ controller: name, watches: [...found].join(', ') });
  }
  return rows;
}

function isController(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as any).hasSynced === 'function' && typeof (value as any).shutDown === 'function';
}

/** The resources of the informers among `value`'s fields, looking `depth` levels down. */
function collect(value: object, byInformer: Map<unknown, string>, found: Set<string>, depth: number): void {
  const children = value instanceof Map ? [...value.values()] : Object.values(value);
  for (const child of children) {
    if (typeof child !== 'object' || child === null) continue;
    if (child instanceof Informer) {
      const resource = byInformer.get(child);
      if (resource !== undefined) found.add(resource);
    } else if (depth > 0 && !Array.isArray(child)) {
      collect(child, byInformer, found, depth - 1);
    }
  }
}
