import type { Job, Pod } from '../../api/types';
import { createCluster, type Cluster } from '../../cluster/cluster';
import { HELLO_CRONJOB } from '../../controllers/cronjob/hello-cronjob.fixture';
import { FLUENTD_DAEMONSET, runsExactlyOn } from '../../controllers/daemonset/fluentd-daemonset.fixture';
import { NGINX_DEPLOYMENT, rolledOut } from '../../controllers/deployment/rollout-watch.fixture';
import { PI_JOB } from '../../controllers/job/pi-job.fixture';
import { MY_SERVICE, myAppDeployment, readyIPs, slicesOf } from '../../controllers/my-service.fixture';
import { MY_STORAGE_CLASS, readyExactly, WEB_STATEFULSET } from '../../controllers/statefulset/web-statefulset.fixture';

/**
 * For the describers' tests: a cluster (seed 1) that has run one of the Kubernetes docs'
 * examples until it settled, plus `settleMs` more of virtual time so that ages read something.
 *
 *   const cluster = ranExample('nginx');   // the docs' nginx-deployment, rolled out, 30 s later
 *   cluster.kubectl.describe('deployment', 'nginx-deployment')
 */
export type Example = 'nginx' | 'web' | 'fluentd' | 'pi' | 'hello' | 'my-service';

const SETTLE_MS = 30_000;

export function ranExample(example: Example): Cluster {
  const cluster = createCluster({ seed: 1 });
  const [manifest, done] = EXAMPLES[example];
  cluster.apply(manifest);
  if (!cluster.runUntil(() => done(cluster), 180_000)) throw new Error(`${example} did not settle`);
  cluster.runFor(SETTLE_MS);
  return cluster;
}

const EXAMPLES: Record<Example, [string, (c: Cluster) => boolean]> = {
  nginx: [NGINX_DEPLOYMENT, (c) => rolledOut(c, 'nginx-deployment', 'nginx:1.14.2')],
  web: [`${MY_STORAGE_CLASS}---\n${WEB_STATEFULSET}`, (c) => readyExactly(c, 'web', ['web-0', 'web-1', 'web-2'])],
  fluentd: [FLUENTD_DAEMONSET, (c) => runsExactlyOn(c, 'fluentd-elasticsearch', ['control-plane', 'node-1', 'node-2'])],
  pi: [PI_JOB, (c) => (c.apiServer.cache.get('jobs', 'default', 'pi') as Job | undefined)?.status?.completionTime !== undefined],
  hello: [HELLO_CRONJOB, (c) => (c.apiServer.cache.list('pods', 'default') as Pod[]).some((p) => p.status?.phase === 'Succeeded')],
  'my-service': [myAppDeployment(3) + MY_SERVICE, (c) => readyIPs(slicesOf(c, 'my-service')).length === 3],
};

/** The first pod (by name) whose name starts with `prefix`. */
export function podNamed(cluster: Cluster, prefix: string): string {
  return (cluster.apiServer.cache.list('pods', 'default') as Pod[]).map((p) => p.metadata.name!).filter((n) => n.startsWith(prefix)).sort()[0];
}
