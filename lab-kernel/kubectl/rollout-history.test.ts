import { describe, expect, it } from 'vitest';
import { replicaSetsOf } from '../controllers/deployment/rollout-watch.fixture';
import { thrown, twoRevisions } from './two-revisions.fixture';

describe('kubectl rollout history', () => {
  it('lists each revision with its change-cause, <none> where the ReplicaSet has none', () => {
    const cluster = twoRevisions();
    expect(cluster.kubectl.rolloutHistory('deployment', 'nginx-deployment')).toBe(
      'deployment.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n1         <none>\n2         image updated to 1.16.1',
    );
  });

  it("shows one revision's pod template with --revision, the ReplicaSet's pod-template-hash label included", () => {
    const cluster = twoRevisions();
    const hash = replicaSetsOf(cluster, 'nginx-deployment').find((rs) => rs.spec.template.spec.containers[0].image === 'nginx:1.16.1')!.metadata.labels!['pod-template-hash'];
    expect(cluster.kubectl.rolloutHistory('deployment', 'nginx-deployment', { revision: 2 })).toBe(
      [
        'deployment.apps/nginx-deployment with revision #2',
        'Pod Template:',
        '  Labels:\tapp=nginx',
        `\tpod-template-hash=${hash}`,
        '  Annotations:\tkubernetes.io/change-cause: image updated to 1.16.1',
        '  Containers:',
        '   nginx:',
        '    Image:\tnginx:1.16.1',
        '    Port:\t80/TCP',
        '    Host Port:\t0/TCP',
        '    Environment:\t<none>',
        '    Mounts:\t<none>',
        '  Volumes:\t<none>',
        '  Node-Selectors:\t<none>',
        '  Tolerations:\t<none>',
      ].join('\n'),
    );
  });

  it('says error: unable to find the specified revision for a revision it does not have', () => {
    const cluster = twoRevisions();
    expect(thrown(() => cluster.kubectl.rolloutHistory('deployment', 'nginx-deployment', { revision: 7 }))).toBe('error: unable to find the specified revision');
  });
});
