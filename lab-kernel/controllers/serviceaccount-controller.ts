import type { Status } from '../api/status';
import type { Namespace, ServiceAccount } from '../api/types';
import { isNamespaceTerminating } from '../apiserver/admission/namespace-lifecycle';
import { DEFAULT_SERVICE_ACCOUNT } from '../apiserver/admission/service-account';
import type { Client } from '../client/client';
import { PendingRequests, runWorker, type ReconcileOutcome } from '../client/controller-runner';
import type { Informer } from '../client/informer';
import type { SharedInformerFactory } from '../client/shared-informer-factory';
import { WorkQueue } from '../client/work-queue';
import type { Simulation } from '../sim/simulation';

/**
 * kube-controller-manager's serviceaccount controller: every Active namespace has a
 * ServiceAccount named `default`, which ServiceAccount admission gives to every pod that
 * names none. Without it, no such pod can be created in the namespace.
 *
 *   namespace dev created        => create serviceaccounts dev/default
 *   serviceaccount dev/default deleted => created again
 *   namespace dev Terminating    => nothing (creating there would be refused anyway)
 *
 * Its queue holds namespace names: namespace adds and updates enqueue the namespace, a deleted
 * service account enqueues its namespace. A create that fails because the account already
 * exists, or because the namespace started terminating meanwhile, is not an error.
 */
export const SERVICEACCOUNT_CONTROLLER = 'serviceaccount-controller';

export class ServiceAccountController {
  readonly namespaces: Informer<Namespace>;
  readonly serviceAccounts: Informer<ServiceAccount>;
  private readonly queue: WorkQueue;

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
    informers: SharedInformerFactory,
  ) {
    this.queue = new WorkQueue(sim);
    this.namespaces = informers.informerFor<Namespace>('namespaces');
    this.serviceAccounts = informers.informerFor<ServiceAccount>('serviceaccounts');
    this.namespaces.addEventHandler({
      onAdd: (ns) => this.queue.add(ns.metadata.name!),
      onUpdate: (_old, ns) => this.queue.add(ns.metadata.name!),
    });
    this.serviceAccounts.addEventHandler({ onDelete: (sa) => this.queue.add(sa.metadata.namespace!) });
    runWorker(sim, client.component, this.queue, (name) => this.sync(name), { controller: SERVICEACCOUNT_CONTROLLER });
  }

  hasSynced(): boolean {
    return this.namespaces.hasSynced() && this.serviceAccounts.hasSynced();
  }

  /** Its process is exiting: the queue takes nothing more, so its workers stop. */
  shutDown(): void {
    this.queue.shutDown();
  }

  private sync(namespace: string): ReconcileOutcome | PendingRequests {
    const ns = this.namespaces.lister.get(namespace);
    if (ns === undefined || ns.status?.phase !== 'Active') return 'done';
    if (this.serviceAccounts.lister.get(`${namespace}/${DEFAULT_SERVICE_ACCOUNT}`) !== undefined) return 'done';

    this.sim.trace.action(this.sim.now(), this.client.component, `${SERVICEACCOUNT_CONTROLLER}: creating serviceaccount ${namespace}/${DEFAULT_SERVICE_ACCOUNT}`, { namespace });
    const body: ServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace } };
    // The sync ends with the create's answer; a failure retries with backoff.
    const requests = new PendingRequests();
    const answered = requests.start();
    this.client.request({ verb: 'create', resource: 'serviceaccounts', namespace, body }, (res) => {
      const status = res.body as Status;
      const fine = res.code === 201 || status.reason === 'AlreadyExists' || isNamespaceTerminating(status.details?.causes);
      answered(fine ? undefined : `create serviceaccount ${namespace}/${DEFAULT_SERVICE_ACCOUNT}: ${status.message}`);
    });
    return requests;
  }
}
