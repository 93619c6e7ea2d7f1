import { createCluster, type Cluster } from '../cluster/cluster';
import { NGINX_DEPLOYMENT, rolledOut } from '../controllers/deployment/rollout-watch.fixture';
import { KubectlError } from './kubectl-error';

/**
 * For the tests of kubectl's rollout commands: a cluster whose Deployment has a history.
 *
 *   twoRevisions()   // nginx-deployment (1 replica): revision 1 nginx:1.14.2, revision 2 nginx:1.16.1
 *                    // (change-cause "image updated to 1.16.1"), rolled out
 *   thrown(() => cluster.kubectl.rolloutUndo(...))   // => the KubectlError's message
 */
export const ONE_REPLICA = NGINX_DEPLOYMENT.replace('  replicas: 3\n', '  replicas: 1\n');

export function twoRevisions(): Cluster {
  const cluster = createCluster({ seed: 1 });
  cluster.apply(ONE_REPLICA);
  if (!cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', 'nginx:1.14.2'), 30_000)) throw new Error('revision 1 did not roll out');
  cluster.apply(ONE_REPLICA.replace('nginx:1.14.2', 'nginx:1.16.1').replace('  labels:\n    app: nginx\n', '  labels:\n    app: nginx\n  annotations:\n    kubernetes.io/change-cause: image updated to 1.16.1\n'));
  if (!cluster.runUntil(() => rolledOut(cluster, 'nginx-deployment', 'nginx:1.16.1'), 30_000)) throw new Error('revision 2 did not roll out');
  return cluster;
}

export function thrown(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof KubectlError) return err.message;
    throw err;
  }
  throw new Error('expected a KubectlError');
}
