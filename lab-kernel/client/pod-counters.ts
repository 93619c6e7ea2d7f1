import type { Status } from '../api/status';
import type { KubeObject, WatchEvent } from '../api/types';
import type { Simulation } from '../sim/simulation';
import type { Client } from './client';
import { runWorker } from './controller-runner';
import { Informer } from './informer';
import { WorkQueue } from './work-queue';

/**
 * Chapter 04's two small controllers, which keep a count of some objects in a ConfigMap: one
 * edge-triggered, one level-triggered. The plumbing is here; the rule each one follows is
 * given by the caller, so that a notebook cell shows exactly that rule.
 *
 *   edgeCounter(sim, client, target, (event) => (event.type === 'ADDED' ? 1 : event.type === 'DELETED' ? -1 : 0))
 *   levelCounter(sim, client, target, (objects) => objects.length)
 *
 * The edge counter lists once for a starting count, then watches from the list's
 * resourceVersion and adds each event's delta. When its watch ends or fails (a broken
 * connection, a 410), it waits a second and watches again from the last resourceVersion it saw:
 * it has nothing else to go on. The level counter is an informer whose handlers queue one key,
 * and a worker that counts the informer's cache; a failed write is retried with backoff.
 */
export interface CounterTarget {
  /** What to count: the objects of this resource in this namespace matching the selector. */
  resource: string;
  namespace: string;
  labelSelector: string;
  /** Where to write the count: ConfigMap `configMap` in `namespace`, key `count`. */
  configMap: string;
}

export interface EdgeCounter {
  count(): number;
  /** The last resourceVersion it saw. */
  resourceVersion(): string;
  /** Every error its watches ended with, oldest first (a 410 among them, after a long partition). */
  readonly failures: Status[];
}

function writeCount(client: Client, target: CounterTarget, count: number, onDone: (code: number) => void = () => undefined): void {
  client.request(
    { verb: 'patch', resource: 'configmaps', namespace: target.namespace, name: target.configMap, patchType: 'application/merge-patch+json', body: { data: { count: String(count) } } },
    (res) => onDone(res.code),
  );
}

export function edgeCounter(sim: Simulation, client: Client, target: CounterTarget, delta: (event: WatchEvent) => number): EdgeCounter {
  let count = 0;
  let rv = '';
  const failures: Status[] = [];
  const query = { resource: target.resource, namespace: target.namespace, labelSelector: target.labelSelector };
  const watch = (): void => {
    client.watch(
      { verb: 'watch', ...query, resourceVersion: rv },
      (event) => {
        rv = event.object.metadata.resourceVersion ?? rv;
        const d = delta(event);
        if (d === 0) return;
        count += d;
        writeCount(client, target, count);
      },
      (status) => {
        failures.push(status);
        sim.after(1000, watch);
      },
      () => sim.after(1000, watch),
    );
  };
  client.request({ verb: 'list', ...query }, (res) => {
    const list = res.body as { items: KubeObject[]; metadata: { resourceVersion: string } };
    count = list.items.length;
    rv = list.metadata.resourceVersion;
    writeCount(client, target, count);
    watch();
  });
  return { count: () => count, resourceVersion: () => rv, failures };
}

export interface LevelCounter<T extends KubeObject> {
  informer: Informer<T>;
  queue: WorkQueue;
}

export function levelCounter<T extends KubeObject>(sim: Simulation, client: Client, target: CounterTarget, measure: (objects: readonly Readonly<T>[]) => number): LevelCounter<T> {
  const informer = new Informer<T>(sim, client, { resource: target.resource, namespace: target.namespace, labelSelector: target.labelSelector });
  const queue = new WorkQueue(sim);
  const key = `${target.namespace}/${target.configMap}`;
  informer.addEventHandler({ onAdd: () => queue.add(key), onUpdate: () => queue.add(key), onDelete: () => queue.add(key) });
  runWorker(sim, client.component, queue, (k) => {
    writeCount(client, target, measure(informer.lister.list()), (code) => {
      if (code === 200) queue.forget(k);
      else queue.addRateLimited(k);
    });
    return 'done';
  });
  informer.start();
  return { informer, queue };
}
