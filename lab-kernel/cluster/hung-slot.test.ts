import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../slots/manifest';
import { createCluster } from './cluster';

/**
 * A learner's reconcile that never returns, run in a notebook's cluster (in process, no
 * sandbox): the call is cut off after the time limit, the controller's sync fails and is
 * retried like any other failure, and the rest of the cluster keeps running.
 */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-hung-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const savedRoot = process.env.KUBELAB_CODE_ROOT;
afterEach(() => {
  if (savedRoot === undefined) delete process.env.KUBELAB_CODE_ROOT;
  else process.env.KUBELAB_CODE_ROOT = savedRoot;
});

/** A learner's repository whose replicaset reconcile has the body we choose (lab-kernel/ linked, for its imports). */
function learnerCode(body: string): string {
  const root = fs.mkdtempSync(path.join(scratch, 'repo-'));
  fs.symlinkSync(path.join(repoRoot(), 'lab-kernel'), path.join(root, 'lab-kernel'));
  fs.mkdirSync(path.join(root, 'exercises', 'replicaset'), { recursive: true });
  fs.copyFileSync(path.join(repoRoot(), 'exercises', 'manifest.yaml'), path.join(root, 'exercises', 'manifest.yaml'));
  fs.writeFileSync(path.join(root, 'exercises', 'replicaset', 'reconcile.ts'), body);
  return root;
}

const WEB = `apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: web, namespace: default }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
`;

describe('a cluster whose replicaset reconcile loops forever', () => {
  it('boots, reports the cut-off call as a failed sync, retries without calling the code again, and keeps running', () => {
    process.env.KUBELAB_CODE_ROOT = learnerCode('export function reconcileReplicaSet(): never { for (;;) {} }');
    const cluster = createCluster({ seed: 1, workers: 1, use: { replicaset: 'exercise' } });
    const started = cluster.now();
    cluster.apply(WEB);
    cluster.runFor(3_000);
    const failures = cluster.trace.between(started, Infinity).filter((e) => e.kind === 'error' && e.summary.includes('sync default/web failed'));
    expect(failures.length, 'the first failure and its retries').toBeGreaterThan(3);
    expect(failures[0].summary).toMatch(/requeued in 5 ms: replicaset \(exercise\): reconcileReplicaSet did not return within 1000 ms \(an endless loop\?\); not called again until the code is reloaded/);
    expect(failures[1].summary, 'a retry fails at once, with the same reason').toMatch(/requeued in 10 ms: .*did not return within 1000 ms/);
    // The rest of the cluster is undisturbed: kubectl still gets answers, the nodes stay Ready.
    expect(cluster.kubectl.get('rs').records()[0]).toMatchObject({ NAME: 'web', DESIRED: '2', CURRENT: '0' });
    expect(cluster.kubectl.get('nodes').records().map((r) => r.STATUS)).toEqual(['Ready', 'Ready']);
  });

  it('runs the code again in the next cluster, which reads the file afresh', () => {
    const root = learnerCode('export function reconcileReplicaSet(): never { for (;;) {} }');
    process.env.KUBELAB_CODE_ROOT = root;
    const first = createCluster({ seed: 1, workers: 1, use: { replicaset: 'exercise' } });
    first.apply(WEB);
    first.runFor(1_000);
    fs.copyFileSync(path.join(repoRoot(), 'solutions', 'replicaset', 'reconcile.ts'), path.join(root, 'exercises', 'replicaset', 'reconcile.ts'));
    const second = createCluster({ seed: 1, workers: 1, use: { replicaset: 'exercise' } });
    second.apply(WEB);
    second.runFor(3_000);
    expect(second.trace.all().filter((e) => e.kind === 'error')).toEqual([]);
    expect(second.kubectl.get('rs').records()[0]).toMatchObject({ DESIRED: '2', CURRENT: '2', READY: '2' });
  });
});
