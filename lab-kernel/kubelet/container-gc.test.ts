import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { createCluster } from '../cluster/cluster';
import type { Container, ContainerState, PodSandbox } from '../runtime/cri';
import { traceQuery } from '../viz/trace-query';
import { CONTAINER_GC_PERIOD_MS, containerGCPlan, DEFAULT_CONTAINER_GC_POLICY, type ContainerGCPolicy } from './container-gc';
import { POD_UID_LABEL } from './cri-labels';
import type { Kubelet } from './kubelet';

const ctr = (id: string, uid: string, name: string, state: ContainerState, createdAt: number, sandbox = `sb-${uid}`): Container => ({
  id, podSandboxId: sandbox, metadata: { name, attempt: 0 }, image: { image: 'busybox:1.36' }, imageRef: 'sha256:b', state, createdAt,
  labels: { [POD_UID_LABEL]: uid }, annotations: {},
});
const sandbox = (id: string, uid: string, ready: boolean, createdAt: number): PodSandbox => ({
  id, metadata: { name: uid, namespace: 'default', uid, attempt: 0 }, state: ready ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY', createdAt, labels: {}, annotations: {},
});
const plan = (containers: Container[], sandboxes: PodSandbox[], gone: string[] = [], policy: Partial<ContainerGCPolicy> = {}, nowMs = 100_000) =>
  containerGCPlan({ containers, sandboxes, policy: { ...DEFAULT_CONTAINER_GC_POLICY, ...policy }, nowMs, podGone: (uid) => gone.includes(uid) });

describe("the kubelet's container garbage collection: what it removes", () => {
  it("has 1.32's defaults: every minute, minAge 0, one dead container kept per container, no limit on the node", () => {
    expect([CONTAINER_GC_PERIOD_MS, DEFAULT_CONTAINER_GC_POLICY]).toEqual([60_000, { minAgeMs: 0, maxPerPodContainer: 1, maxContainers: -1 }]);
  });

  it('keeps the newest dead instance of each container and removes the older ones, oldest first, never a running one', () => {
    const containers = [ctr('app-2', 'p', 'app', 'CONTAINER_RUNNING', 30), ctr('app-0', 'p', 'app', 'CONTAINER_EXITED', 10), ctr('app-1', 'p', 'app', 'CONTAINER_EXITED', 20), ctr('log-0', 'p', 'log', 'CONTAINER_EXITED', 5)];
    expect(plan(containers, [sandbox('sb-p', 'p', true, 1)])).toEqual({ containers: ['app-0'], sandboxes: [] });
  });

  it('removes every dead container of a pod that is gone, then its sandboxes that hold none any more', () => {
    const containers = [ctr('a-1', 'gone', 'app', 'CONTAINER_EXITED', 20), ctr('a-0', 'gone', 'app', 'CONTAINER_EXITED', 10), ctr('b-0', 'live', 'app', 'CONTAINER_EXITED', 10)];
    const sandboxes = [sandbox('sb-gone', 'gone', false, 1), sandbox('sb-live', 'live', false, 1)];
    expect(plan(containers, sandboxes, ['gone'])).toEqual({ containers: ['a-0', 'a-1'], sandboxes: ['sb-gone'] });
  });

  it('spares a container created less than minAge ago', () => {
    const containers = [ctr('new', 'p', 'app', 'CONTAINER_EXITED', 95_000), ctr('old', 'p', 'app', 'CONTAINER_EXITED', 10), ctr('older', 'p', 'app', 'CONTAINER_EXITED', 5)];
    expect(plan(containers, [], ['p'], { minAgeMs: 10_000 }).containers).toEqual(['older', 'old']);
  });

  it('with maxContainers, leaves each container an equal share (at least one), then removes the oldest of all', () => {
    const dead = (uid: string, times: number[]) => times.map((t) => ctr(`${uid}-${t}`, uid, 'app', 'CONTAINER_EXITED', t));
    const containers = [...dead('a', [1, 2, 3]), ...dead('b', [4, 5]), ...dead('c', [6])];
    // Share: 2 / 3 units => 1 each (a-3, b-5, c-6 left); still 3 > 2 => the oldest of those goes too.
    expect(plan(containers, [], [], { maxPerPodContainer: -1, maxContainers: 2 }).containers).toEqual(['a-1', 'a-2', 'b-4', 'a-3']);
  });

  it("keeps a live pod's newest sandbox, and any sandbox that is ready or still holds a container", () => {
    const sandboxes = [sandbox('s0', 'p', false, 1), sandbox('s1', 'p', false, 2), sandbox('s2', 'p', false, 3), sandbox('s3', 'p', true, 4)];
    const containers = [ctr('c', 'p', 'app', 'CONTAINER_RUNNING', 4, 's1')];
    expect(plan(containers, sandboxes).sandboxes).toEqual(['s0', 's2']);
  });
});

describe('container garbage collection on a node', () => {
  const onNode1 = (spec: string) => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(`apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: default }\nspec:\n  nodeName: node-1\n${spec}`);
    const kubelet = cluster.kubelets[1] as Kubelet;
    const pod = () => cluster.apiServer.cache.get('pods', 'default', 'p') as Pod | undefined;
    return { cluster, kubelet, pod };
  };

  it("removes a deleted pod's containers, its sandbox and its log files within a minute", () => {
    const { cluster, kubelet, pod } = onNode1('  terminationGracePeriodSeconds: 1\n  containers: [{ name: app, image: busybox:1.36, command: [sh, -c, "echo hello; sleep 3600"] }]\n');
    cluster.runUntil(() => pod()?.status?.phase === 'Running', 10_000);
    const log = `/var/log/pods/default_p_${pod()!.metadata.uid}/app/0.log`;
    expect(kubelet.containerd.readLog(log)).toHaveLength(1);
    cluster.kubectl.delete('pod', 'p');
    cluster.runUntil(() => pod() === undefined, 10_000);
    const gone = cluster.now();
    // The node's kube-proxy pod stays: only p's sandbox is watched.
    const sandboxesOfP = () => kubelet.containerd.tree().pods.filter((s) => s.name === 'default/p');
    expect(sandboxesOfP(), 'stopped, not yet removed').toHaveLength(1);
    cluster.runFor(CONTAINER_GC_PERIOD_MS + 1_000);
    expect(sandboxesOfP()).toEqual([]);
    expect(kubelet.containerd.readLog(log)).toBeUndefined();
    const calls = traceQuery(cluster.trace, { since: gone, actor: 'kubelet/node-1', to: 'containerd/node-1' }).map((e) => e.summary);
    expect(calls).toEqual(['RemoveContainer default/p/app (attempt 0)', 'StopPodSandbox default/p', 'RemovePodSandbox default/p (attempt 0)']);
  });

  it('keeps the last exited instance of a crashing container, so that the previous log can still be read', () => {
    const { cluster, kubelet, pod } = onNode1('  containers: [{ name: app, image: busybox:1.36, command: [sh, -c, "echo starting; sleep 2; exit 1"] }]\n');
    cluster.runFor(150_000);
    const latest = pod()!.status!.containerStatuses![0].restartCount;
    expect(latest).toBeGreaterThanOrEqual(3);
    // What is left: the current instance's log and at most the one before it (the newest dead instance).
    const dir = `/var/log/pods/default_p_${pod()!.metadata.uid}/app`;
    const logs = Array.from({ length: latest + 1 }, (_, a) => a).filter((a) => kubelet.containerd.readLog(`${dir}/${a}.log`) !== undefined);
    expect(logs.every((a) => a >= latest - 1) && logs.includes(latest), `log files of attempts ${logs}, restartCount ${latest}`).toBe(true);
    expect(kubelet.containerLogs('default', 'p', 'app', { previous: true })).toBe('starting');
    expect(kubelet.containerLogs('default', 'p', 'app')).toBe('starting');
  });
});
