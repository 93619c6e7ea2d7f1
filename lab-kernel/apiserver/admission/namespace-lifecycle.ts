import { notFound, type StatusCause } from '../../api/status';
import type { Namespace } from '../../api/types';
import type { AdmissionPlugin } from '../pipeline-types';
import { forbiddenByAdmission } from './chain';

/**
 * NamespaceLifecycle, kube-apiserver's first admission plugin: a namespace must exist, and be
 * Active, before anything is created in it, and the built-in namespaces can never be deleted.
 *
 *   create pods in "ghost" (no such namespace)  => 404 'namespaces "ghost" not found'
 *   create pods "web" in "dev" (Terminating)    => 403 'pods "web" is forbidden: unable to create new content in namespace dev because it is being terminated'
 *   delete namespaces "kube-system"             => 403 'namespaces "kube-system" is forbidden: this namespace may not be deleted'
 *   anything else                               => let through
 *
 * Though it never changes the object, Kubernetes runs it in the mutating phase (it implements
 * Admit, not Validate), so a request into a missing namespace is refused before validation.
 * Cluster-scoped objects and namespaces themselves are exempt from the namespace checks; deletes
 * of namespaced objects always pass (the namespace controller needs them to empty a namespace).
 *
 * Simplified: kube-apiserver reads an informer's cache and, when the namespace is missing there,
 * waits 50 ms and asks etcd before answering 404; the lab reads the API server's own cache,
 * which is never behind.
 */
export const IMMORTAL_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public'];

export function namespaceLifecyclePlugin(immortalNamespaces: readonly string[] = IMMORTAL_NAMESPACES): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    operations: ['CREATE', 'UPDATE', 'DELETE'],
    // A mutating plugin in kube-apiserver's chain that only ever refuses.
    mayMutate: () => false,
    mutate(req, ctx) {
      const isNamespace = req.info.group === '' && req.info.resource === 'namespaces';
      if (isNamespace) {
        if (req.operation === 'DELETE' && immortalNamespaces.includes(req.name)) return forbiddenByAdmission(req, 'this namespace may not be deleted');
        return undefined;
      }
      if (!req.namespace || req.operation === 'DELETE') return undefined;

      const namespace = ctx.get('namespaces', undefined, req.namespace) as Readonly<Namespace> | undefined;
      if (namespace === undefined) return notFound({ group: '', resource: 'namespaces', name: req.namespace });
      if (req.operation !== 'CREATE' || namespace.status?.phase !== 'Terminating') return undefined;

      const refusal = forbiddenByAdmission(req, `unable to create new content in namespace ${req.namespace} because it is being terminated`);
      refusal.status.details = Object.assign({}, refusal.status.details, { causes: [namespaceTerminatingCause(req.namespace)] });
      return refusal;
    },
  };
}

/**
 * The cause clients look for to tell "this namespace is going away" from other refusals (the
 * ServiceAccount controller, for one, ignores such failures):
 *   { reason: 'NamespaceTerminating', message: 'namespace dev is being terminated', field: 'metadata.namespace' }
 */
export function namespaceTerminatingCause(namespace: string): StatusCause {
  return { reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' };
}

/** Whether a refusal says the namespace is being terminated (apierrors.HasStatusCause(err, NamespaceTerminatingCause)). */
export function isNamespaceTerminating(causes: readonly StatusCause[] | undefined): boolean {
  return (causes ?? []).some((c) => (c.reason as string) === 'NamespaceTerminating');
}
