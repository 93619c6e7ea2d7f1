import { describe, expect, it } from 'vitest';
import type { KubeEvent, Pod } from '../api/types';
import { createCluster, type Cluster } from '../cluster/cluster';
import { traceQuery } from '../viz/trace-query';

/** A pod bound to node-1 straight away (no scheduler in the way), on the CRI kubelet. */
function podOnNode1(spec: string): Cluster {
  const cluster = createCluster({ seed: 1 });
  cluster.apply(`apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: default }\nspec:\n  nodeName: node-1\n${spec}`);
  return cluster;
}
const pod = (cluster: Cluster) => cluster.apiServer.cache.get('pods', 'default', 'p') as Pod | undefined;
const events = (cluster: Cluster) => (cluster.kubectl.getObjects('events') as KubeEvent[]).filter((e) => e.involvedObject.name === 'p').map((e) => `${e.reason}: ${e.message}`);

describe('the kubelet on the container runtime (CRI)', () => {
  it('runs a pod: sandbox with a CNI address, image pulled, container created and started, status Running', () => {
    const cluster = podOnNode1('  containers: [{ name: web, image: nginx:1.27 }]\n');
    expect(cluster.runUntil(() => pod(cluster)?.status?.phase === 'Running', 10_000)).toBe(true);
    const status = pod(cluster)!.status!;
    expect(status.podIP).toBe('10.244.1.2'); // host-local's first address on node-1's 10.244.1.0/24
    expect(status.containerStatuses![0]).toMatchObject({ name: 'web', ready: true, started: true, restartCount: 0, state: { running: {} } });
    expect(status.conditions!.map((c) => `${c.type}=${c.status}`)).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    const cri = traceQuery(cluster.trace, { actor: 'kubelet/node-1', to: 'containerd/node-1' }).filter((e) => !e.summary.includes('kube-system/kube-proxy-') && !e.summary.includes('kube-proxy:v'));
    expect(cri.map((e) => e.summary.split(' ')[0])).toEqual(['RunPodSandbox', 'PullImage', 'CreateContainer', 'StartContainer']);
    expect(events(cluster)).toEqual([
      'Pulling: Pulling image "nginx:1.27"',
      expect.stringMatching(/^Pulled: Successfully pulled image "nginx:1\.27" in [\d.]+m?s \([\d.]+m?s including waiting\)\. Image size: \d+ bytes\.$/),
      'Created: Created container: web',
      'Started: Started container web',
    ]);
  });

  it('restarts a crashing container after a back-off that doubles: CrashLoopBackOff, restartCount, lastState', () => {
    const cluster = podOnNode1('  containers: [{ name: app, image: busybox:1.36, command: [sh, -c, "sleep 2; exit 1"] }]\n');
    cluster.runFor(120_000);
    const starts = traceQuery(cluster.trace, { actor: 'kubelet/node-1', summary: 'StartContainer default/p/app' }).map((e) => e.time);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    // Each run lasts 2 s; the first crash restarts at once (the next relist), then 10 s, 20 s, 40 s of back-off,
    // each waited out by the pod worker's 10-15 s retry and seen by a relist every second.
    expect(gaps[0]).toBeLessThan(2_000 + 1_100 + 200);
    for (const [i, backoff] of [[1, 10_000], [2, 20_000], [3, 40_000]]) {
      if (gaps[i] === undefined) continue;
      expect(gaps[i]).toBeGreaterThanOrEqual(2_000 + backoff);
      expect(gaps[i]).toBeLessThanOrEqual(2_000 + backoff + 15_000 + 1_100);
    }
    expect(starts.length).toBeGreaterThanOrEqual(4);
    const s = pod(cluster)!.status!;
    expect(s.phase).toBe('Running');
    const c = s.containerStatuses![0];
    expect(c.restartCount).toBe(starts.length - 1);
    expect(c.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    if (c.state?.waiting) expect(c.state.waiting).toMatchObject({ reason: 'CrashLoopBackOff', message: expect.stringMatching(/^back-off \d+[ms0-9]* restarting failed container=app pod=p_default\(/) });
    expect(events(cluster)).toContain('BackOff: Back-off restarting failed container app in pod p_default(' + pod(cluster)!.metadata.uid + ')');
    expect(cluster.kubectl.get('pods').rows[0][3]).toBe(String(starts.length - 1));
  });

  it.each([
    ['exit 0', 'Succeeded', 0],
    ['exit 3', 'Failed', 3],
  ])('runs a restartPolicy Never pod to its end (%s => %s)', (command, phase, exitCode) => {
    const cluster = podOnNode1(`  restartPolicy: Never\n  containers: [{ name: job, image: busybox:1.36, command: [sh, -c, "${command}"] }]\n`);
    expect(cluster.runUntil(() => pod(cluster)?.status?.phase === phase, 30_000)).toBe(true);
    expect(pod(cluster)!.status!.containerStatuses![0].state?.terminated?.exitCode).toBe(exitCode);
    cluster.runFor(5_000);
    expect(traceQuery(cluster.trace, { summary: 'StartContainer default/p/job' })).toHaveLength(1);
    expect(pod(cluster)!.status!.conditions!.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('runs init containers one after the other before the app', () => {
    const cluster = podOnNode1(`  initContainers: [{ name: first, image: busybox:1.36, command: [sh, -c, "sleep 1"] }, { name: second, image: busybox:1.36, command: [sh, -c, "sleep 1"] }]\n  containers: [{ name: app, image: nginx:1.27 }]\n`);
    expect(cluster.runUntil(() => pod(cluster)?.status?.phase === 'Running', 30_000)).toBe(true);
    const order = traceQuery(cluster.trace, { actor: 'kubelet/node-1', summary: /^StartContainer default\/p\// }).map((e) => e.summary.split('/').pop());
    expect(order).toEqual(['first', 'second', 'app']);
    expect(pod(cluster)!.status!.initContainerStatuses!.map((s) => s.state?.terminated?.exitCode)).toEqual([0, 0]);
  });

  it('stops a deleted pod gracefully: SIGTERM, SIGKILL when the grace period runs out, then the pod is gone', () => {
    const cluster = podOnNode1('  terminationGracePeriodSeconds: 5\n  containers: [{ name: app, image: busybox:1.36, command: [sleep, "3600"] }]\n');
    cluster.runUntil(() => pod(cluster)?.status?.phase === 'Running', 10_000);
    const t = cluster.now();
    cluster.kubectl.delete('pod', 'p');
    // sleep as PID 1 has no handler for SIGTERM: it dies only by SIGKILL, 5 s later.
    expect(cluster.runUntil(() => pod(cluster) === undefined, 20_000)).toBe(true);
    expect(cluster.now() - t).toBeGreaterThanOrEqual(5_000);
    expect(cluster.now() - t).toBeLessThan(7_000);
    expect(traceQuery(cluster.trace, { since: t, actor: 'kubelet/node-1', to: 'containerd/node-1' }).map((e) => e.summary.split(' ')[0])).toEqual(['StopContainer', 'StopPodSandbox']);
  });

  it('reports a missing image as ErrImagePull, then ImagePullBackOff', () => {
    const cluster = podOnNode1('  containers: [{ name: app, image: "nginx:9.9" }]\n');
    expect(cluster.runUntil(() => pod(cluster)?.status?.containerStatuses?.[0].state?.waiting?.reason === 'ErrImagePull', 10_000)).toBe(true);
    expect(cluster.runUntil(() => pod(cluster)?.status?.containerStatuses?.[0].state?.waiting?.reason === 'ImagePullBackOff', 30_000)).toBe(true);
    cluster.runFor(1_000); // the event recorder writes on its own, after the status
    expect(events(cluster)).toContain('BackOff: Back-off pulling image "nginx:9.9"');
    expect(cluster.kubectl.get('pods').rows[0][2]).toBe('ImagePullBackOff');
  });

  it("runs the control plane's static pods from their manifests and shows them as mirror pods owned by the Node", () => {
    const cluster = createCluster({ seed: 1 });
    const mirrors = (cluster.apiServer.cache.list('pods', 'kube-system') as Pod[]).filter((p) => p.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined);
    expect(mirrors.map((p) => `${p.metadata.name} ${p.status?.phase}`).sort()).toEqual(
      ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((n) => `${n}-control-plane Running`),
    );
    const etcd = mirrors.find((p) => p.metadata.name === 'etcd-control-plane')!;
    const hash = etcd.metadata.annotations!['kubernetes.io/config.hash'];
    expect(hash).toMatch(/^[0-9a-f]{32}$/);
    expect(etcd.metadata.annotations).toMatchObject({ 'kubernetes.io/config.mirror': hash, 'kubernetes.io/config.source': 'file' });
    expect(etcd.metadata.uid, 'the mirror has a uid of its own').not.toBe(hash);
    expect(etcd.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Node', name: 'control-plane', uid: cluster.apiServer.cache.get('nodes', undefined, 'control-plane')!.metadata.uid, controller: true }]);
    expect(etcd.status!.podIP, 'hostNetwork: the node\'s address').toBe('192.168.1.10');
    // Run from the file, not from the API: the runtime holds their sandboxes under the static pod's uid.
    expect(traceQuery(cluster.trace, { actor: 'kubelet/control-plane', summary: /^RunPodSandbox kube-system\/(?!kube-proxy-)/ })).toHaveLength(4);
  });
});
