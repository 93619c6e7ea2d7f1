import type { ControllerRevision } from '../../api/types';
import type { Client } from '../../client/client';
import type { PendingRequests } from '../../client/controller-runner';
import { typedClient } from '../../client/typed-client';
import { matchesTemplate, maxRevision, newRevision, revisionHash, type RevisionedWorkload } from './controller-revisions';

/**
 * The first step of a DaemonSet's or StatefulSet's sync (daemon/update.go constructHistory,
 * statefulset getStatefulSetRevisions): the revision of the current template, made if missing,
 * renumbered as the newest if it is an older template current again (a rollback); then
 * `proceed` with it and the workload's other revisions.
 *
 *   fluentd-elasticsearch, no revisions        => create fluentd-elasticsearch-<hash> (revision 1), proceed
 *   template of revision 1 current again, 2 exists => update revision 1 to 3, proceed
 *   the name taken by another template (a hash collision)
 *                                              => status.collisionCount + 1, and the sync is retried
 *
 * Each write is one of `requests`; a failure is retried with the sync.
 */
export function syncRevision(
  client: Client,
  resource: 'daemonsets' | 'statefulsets',
  w: Readonly<RevisionedWorkload>,
  owned: readonly ControllerRevision[],
  requests: PendingRequests,
  proceed: (current: Readonly<ControllerRevision>, old: ControllerRevision[]) => void,
): void {
  const old = owned.filter((r) => !matchesTemplate(w, r));
  const [current] = owned.filter((r) => matchesTemplate(w, r)).sort((a, b) => b.revision - a.revision);
  const next = maxRevision(old) + 1;
  const revisions = typedClient<ControllerRevision>(client, 'controllerrevisions', w.metadata.namespace);
  if (current !== undefined) {
    // A template current again (a rollback) becomes the newest revision.
    if (current.revision < next) {
      const answered = requests.start();
      revisions.update(Object.assign({}, current, { revision: next }), (r) => answered(r.kind === 'ok' ? undefined : `renumber revision ${current.metadata.name}: ${r.status.message}`));
    }
    proceed(current, old);
    return;
  }
  const created = requests.start();
  revisions.create(newRevision(w, revisionHash(w), next), (r) => {
    if (r.kind === 'ok') proceed(r.object, old);
    else if (r.status.code === 409) nameTaken(client, resource, w, old, requests, proceed);
    created(r.kind === 'ok' || r.status.code === 409 ? undefined : `create revision: ${r.status.message}`);
  });
}

/**
 * The revision's name is taken: by this very template (made by an earlier sync, not in the
 * cache yet), or by another one, a hash collision. Then status.collisionCount goes up and the
 * sync is retried, with another hash.
 */
function nameTaken(
  client: Client,
  resource: 'daemonsets' | 'statefulsets',
  w: Readonly<RevisionedWorkload>,
  old: ControllerRevision[],
  requests: PendingRequests,
  proceed: (current: Readonly<ControllerRevision>, old: ControllerRevision[]) => void,
): void {
  const answered = requests.start();
  const name = newRevision(w, revisionHash(w), 0).metadata.name!;
  typedClient<ControllerRevision>(client, 'controllerrevisions', w.metadata.namespace).get(name, (r) => {
    if (r.kind === 'error') return answered(`get revision ${name}: ${r.status.message}`);
    if (matchesTemplate(w, r.object)) {
      proceed(r.object, old);
      return answered();
    }
    const collisionCount = (w.status?.collisionCount ?? 0) + 1;
    typedClient<RevisionedWorkload>(client, resource, w.metadata.namespace).updateStatus(Object.assign({}, w, { status: Object.assign({}, w.status!, { collisionCount }) }) as RevisionedWorkload, () =>
      answered(`revision ${name} holds another template: collisionCount now ${collisionCount}`),
    );
  });
}
