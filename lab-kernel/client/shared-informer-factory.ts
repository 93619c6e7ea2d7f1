import type { KubeObject } from '../api/types';
import type { Simulation } from '../sim/simulation';
import type { Client } from './client';
import { Informer } from './informer';
import type { IndexFunc } from './store';

/**
 * One informer per resource for a whole process, as client-go's SharedInformerFactory gives
 * kube-controller-manager's controllers: the ReplicaSet, Deployment, garbage-collector and
 * quota controllers all read pods, and they share one cache fed by one list and one watch,
 * instead of four.
 *
 *   const informers = new SharedInformerFactory(sim, client);
 *   const pods = informers.informerFor<Pod>('pods');        // made on the first ask
 *   informers.informerFor<Pod>('pods') === pods             // => true: the same informer
 *   informers.informerFor<Pod>('pods', { byNode })           // the same one, with an index added
 *   informers.start();                                      // every informer made so far lists and watches
 *
 * Controllers ask for their informers and add their handlers when they are built; the process
 * starts the factory once every controller is built, so every handler hears the first list.
 * An informer asked for after that starts at once (client-go's quota controller calls the
 * factory's Start again for the resources it discovers), and a handler added to a cache that
 * has already listed hears every cached object as an add first (client-go's AddEventHandler
 * does the same), so a late handler misses nothing.
 *
 * shutdown() stops every informer, as its process exits; none starts again.
 */
export class SharedInformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private started = false;
  private shuttingDown = false;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
  ) {}

  /**
   * The process's informer on `resource`, with `indexers` added to its cache. Two callers may
   * not add an index of the same name:
   *   informerFor('pods', { byNode }); informerFor('pods', { byNode })  // => throws: index "byNode" already exists
   */
  informerFor<T extends KubeObject>(resource: string, indexers: Readonly<Record<string, IndexFunc<T>>> = {}): Informer<T> {
    let informer = this.informers.get(resource) as Informer<T> | undefined;
    if (informer === undefined) {
      informer = new Informer<T>(this.sim, this.client, { resource });
      this.informers.set(resource, informer as unknown as Informer<KubeObject>);
      if (this.started && !this.shuttingDown) informer.start();
    }
    if (Object.keys(indexers).length > 0) informer.indexer.addIndexers(indexers);
    return informer;
  }

  /** Starts every informer made so far; those made later start when they are made. */
  start(): void {
    if (this.started || this.shuttingDown) return;
    this.started = true;
    for (const informer of this.informers.values()) informer.start();
  }

  /** Stops every informer (their lists and watches end); the factory starts none again (client-go's Shutdown). */
  shutdown(): void {
    this.shuttingDown = true;
    for (const informer of this.informers.values()) informer.stop();
  }

  /** The resources with an informer, in the order they were first asked for. */
  resources(): string[] {
    return [...this.informers.keys()];
  }
}
