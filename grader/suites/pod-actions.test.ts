/**
 * Grader suite for exercise `pod-actions` (exercises/kubelet/pod-actions.ts).
 *
 * Part by part through computePodActions, on cases from the kubelet's own
 * (kuberuntime_manager_test.go: TestComputePodActions, TestComputePodActionsWithInitContainers,
 * TestComputePodActionsWithRestartableInitContainers; ShouldContainerBeRestarted's table),
 * then a whole cluster whose kubelets run your decision.
 */
import { describe, expect, it } from 'vitest';
import type { Container, KubeEvent, Pod } from '../../lab-kernel/api/types';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import type { PodActions, RuntimeContainer, RuntimeContainerState, RuntimePodStatus } from '../../lab-kernel/kubelet/pod-actions-contract';
import { traceQuery } from '../../lab-kernel/viz/trace-query';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const computePodActions = slotUnderTest('pod-actions');

const hashOf = (c: Readonly<Container>) => `h-${c.name}-${c.image}`;
const c = (name: string, extra: Partial<Container> = {}): Container => ({ name, image: 'busybox', ...extra });
function pod(spec: Partial<Pod['spec']>, deleting = false): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u1', ...(deleting ? { deletionTimestamp: '2025-01-01T00:01:00Z' } : {}) }, spec: { containers: [c('app')], ...spec } };
}
const sandbox = (ready = true, attempt = 0, ip = '10.244.1.2') => ({ id: `sb${attempt}`, ready, attempt, network: 'POD' as const, ip });
let seq = 0;
function ctr(name: string, state: RuntimeContainerState, exitCode?: number, image = 'busybox'): RuntimeContainer {
  return { id: `${name}-${seq++}`, name, state, hash: `h-${name}-${image}`, attempt: 0, exitCode, createdAt: 0 };
}
const status = (containers: RuntimeContainer[], sandboxes = [sandbox()]): RuntimePodStatus => ({ sandboxes, containers });
/** The decision for a pod, with its containers' spec hashes as the kubelet computes them (here: name and image). */
const decide = (p: Pod, s: RuntimePodStatus, probes: { liveness?: Record<string, 'Success' | 'Failure'>; startup?: Record<string, 'Success' | 'Failure'> } = {}): PodActions =>
  computePodActions({ pod: p, status: s, hashes: Object.fromEntries([...(p.spec.initContainers ?? []), ...p.spec.containers].map((x) => [x.name, hashOf(x)])), ...probes });
const nothing: Omit<PodActions, 'sandboxId' | 'attempt'> = { killPod: false, createSandbox: false, initContainersToStart: [], containersToStart: [], containersToKill: [] };

describe('Part 1: a new sandbox, or the one there is (sandboxChanged)', () => {
  it('does a new pod get a sandbox (attempt 0) and every container started?', () => {
    expect(decide(pod({ containers: [c('a'), c('b')] }), { sandboxes: [], containers: [] })).toEqual({
      ...nothing, killPod: true, createSandbox: true, sandboxId: '', attempt: 0, containersToStart: [0, 1],
    });
  });

  it('is a dead sandbox replaced with attempt + 1, killing what is left first?', () => {
    const a = decide(pod({}), status([ctr('app', 'running')], [sandbox(false, 2)]));
    expect(a).toMatchObject({ killPod: true, createSandbox: true, sandboxId: 'sb2', attempt: 3, containersToStart: [0] });
  });

  it('does a sandbox without an IP count as dead (CNI failed)?', () => {
    expect(decide(pod({}), status([], [sandbox(true, 0, '')]))).toMatchObject({ createSandbox: true, attempt: 1 });
  });

  it('does a pod that must not restart (Never) get no new sandbox once it has run?', () => {
    const a = decide(pod({ restartPolicy: 'Never' }), status([ctr('app', 'exited', 0)], [sandbox(false, 0)]));
    expect(a).toMatchObject({ killPod: true, createSandbox: false });
  });

  it('does a pod whose network changed (hostNetwork) get a new sandbox, not a restart of the old one?', () => {
    const a = decide(pod({ hostNetwork: true }), status([ctr('app', 'running')], [sandbox(true, 1)]));
    expect(a).toMatchObject({ killPod: true, createSandbox: true, attempt: 2, sandboxId: '' });
  });
});

describe('Part 2: which containers restart (shouldRestart)', () => {
  it.each([
    ['Always, exited 0', 'Always', 0, { containersToStart: [0], killPod: false }],
    ['Always, exited 1', 'Always', 1, { containersToStart: [0], killPod: false }],
    ['OnFailure, exited 1', 'OnFailure', 1, { containersToStart: [0], killPod: false }],
    ['OnFailure, exited 0: done', 'OnFailure', 0, { containersToStart: [], killPod: true }],
    ['Never, exited 1: done', 'Never', 1, { containersToStart: [], killPod: true }],
  ] as const)('an exited container, restartPolicy %s', (_name, restartPolicy, exitCode, expected) => {
    expect(decide(pod({ restartPolicy }), status([ctr('app', 'exited', exitCode)]))).toMatchObject(expected);
  });

  it('is nothing restarted in a pod being deleted?', () => {
    expect(decide(pod({}, true), status([ctr('app', 'exited', 1)]))).toMatchObject({ killPod: true, containersToStart: [] });
  });

  it('is a container in an unknown state killed before it is started again?', () => {
    const lost = ctr('app', 'unknown');
    expect(decide(pod({}), status([lost]))).toMatchObject({ containersToStart: [0], containersToKill: [{ id: lost.id, reason: 'Unknown' }] });
  });
});

describe('Part 3: init containers and sidecars (initContainerActions)', () => {
  it('does a new pod with init containers start only the first init container?', () => {
    const a = decide(pod({ initContainers: [c('init-1'), c('init-2')] }), { sandboxes: [], containers: [] });
    expect(a).toMatchObject({ createSandbox: true, initContainersToStart: [0], containersToStart: [] });
  });

  it.each([
    ['init-1 done: start init-2', [ctr('init-1', 'exited', 0)], 'Always', { initContainersToStart: [1], containersToStart: [] }],
    ['init-1 running: wait', [ctr('init-1', 'running')], 'Always', { initContainersToStart: [], containersToStart: [] }],
    ['init-1 failed, Always: run it again', [ctr('init-1', 'exited', 1)], 'Always', { initContainersToStart: [0], killPod: false }],
    ['init-1 failed, Never: the pod has failed', [ctr('init-1', 'exited', 1)], 'Never', { killPod: true, initContainersToStart: [] }],
    ['both done: start the app', [ctr('init-2', 'exited', 0), ctr('init-1', 'exited', 0)], 'Always', { initContainersToStart: [], containersToStart: [0] }],
    ['only the last status is left (GC removed init-1\'s): still done', [ctr('init-2', 'exited', 0)], 'Always', { initContainersToStart: [], containersToStart: [0] }],
  ] as const)('init containers in order: %s', (_name, containers, restartPolicy, expected) => {
    const p = pod({ restartPolicy, initContainers: [c('init-1'), c('init-2')] });
    expect(decide(p, status([...containers]))).toMatchObject({ createSandbox: false, ...expected });
  });

  describe('sidecars (init containers with restartPolicy: Always)', () => {
    const spec = { initContainers: [c('proxy', { restartPolicy: 'Always' }), c('migrate')] };
    it('does the next init container start as soon as the sidecar runs?', () => {
      expect(decide(pod(spec), status([ctr('proxy', 'running')]))).toMatchObject({ initContainersToStart: [1], containersToStart: [] });
    });
    it('with a startup probe, does it wait for the probe to pass?', () => {
      const p = pod({ initContainers: [c('proxy', { restartPolicy: 'Always', startupProbe: { exec: { command: ['true'] } } }), c('migrate')] });
      const proxy = ctr('proxy', 'running');
      expect(decide(p, status([proxy]))).toMatchObject({ initContainersToStart: [] });
      expect(decide(p, status([proxy]), { startup: { [proxy.id]: 'Success' } })).toMatchObject({ initContainersToStart: [1] });
    });
    it('once the pod is initialized, is a running sidecar left alone (the finished init container not run again)?', () => {
      const a = decide(pod(spec), status([ctr('app', 'running'), ctr('migrate', 'exited', 0), ctr('proxy', 'running')]));
      expect(a).toEqual({ ...nothing, sandboxId: 'sb0', attempt: 0 });
    });
    it('once the pod is initialized, is a sidecar that exited started again, beside the app?', () => {
      const a = decide(pod(spec), status([ctr('app', 'running'), ctr('migrate', 'exited', 0), ctr('proxy', 'exited', 1)]));
      expect(a).toMatchObject({ killPod: false, initContainersToStart: [0], containersToStart: [] });
    });
    it('does a sidecar keep a finished pod alive? (no: the pod is killed, the sidecar not restarted)', () => {
      const p = pod({ ...spec, restartPolicy: 'Never' });
      const a = decide(p, status([ctr('app', 'exited', 0), ctr('migrate', 'exited', 0), ctr('proxy', 'running')]));
      expect(a).toMatchObject({ killPod: true, initContainersToStart: [] });
    });
  });
});

describe('Part 4: the whole decision (computePodActions)', () => {
  it('with OnFailure and a dead sandbox, is a container that succeeded left alone, and no sandbox made if nothing is left to run?', () => {
    const p = pod({ restartPolicy: 'OnFailure', containers: [c('a'), c('b')] });
    expect(decide(p, status([ctr('a', 'exited', 0), ctr('b', 'exited', 1)], [sandbox(false, 0)]))).toMatchObject({ createSandbox: true, containersToStart: [1] });
    expect(decide(p, status([ctr('a', 'exited', 0), ctr('b', 'exited', 0)], [sandbox(false, 0)]))).toMatchObject({ killPod: true, createSandbox: false });
  });

  it('is a running container that failed its liveness probe killed, and started again unless restartPolicy is Never?', () => {
    const running = ctr('app', 'running');
    const a = decide(pod({}), status([running]), { liveness: { [running.id]: 'Failure' } });
    expect(a).toMatchObject({ killPod: false, containersToStart: [0], containersToKill: [{ id: running.id, name: 'app', message: 'Container app failed liveness probe, will be restarted', reason: 'LivenessProbe' }] });
    const never = decide(pod({ restartPolicy: 'Never' }), status([running]), { liveness: { [running.id]: 'Failure' } });
    expect(never).toMatchObject({ killPod: true, containersToStart: [], containersToKill: [{ message: 'Container app failed liveness probe', reason: 'LivenessProbe' }] });
  });

  it('is a container whose spec changed restarted, even with restartPolicy Never?', () => {
    const old = ctr('app', 'running', undefined, 'busybox:old');
    const a = decide(pod({ restartPolicy: 'Never' }), status([old]));
    expect(a).toMatchObject({ killPod: false, containersToStart: [0], containersToKill: [{ message: 'Container app definition changed, will be restarted', reason: '' }] });
  });

  it('is a running pod left alone?', () => {
    expect(decide(pod({}), status([ctr('app', 'running')]))).toEqual({ ...nothing, sandboxId: 'sb0', attempt: 0 });
  });
});

describe('Part 5: a whole cluster whose kubelets run your decision', () => {
  const run = (spec: string) => {
    const cluster = createCluster({ seed: SEED, use: { 'pod-actions': SOURCE } });
    cluster.apply(`apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: default }\nspec:\n  nodeName: node-1\n${spec}`);
    const current = () => cluster.apiServer.cache.get('pods', 'default', 'p') as Pod | undefined;
    const said = () => {
      const last = [...cluster.trace.all()].reverse().find((e) => e.kind === 'error' && e.actor === 'kubelet/node-1');
      return last ? `; the kubelet last said: ${last.summary}` : '';
    };
    return { cluster, current, said };
  };

  it('does a pod with two init containers run them in order, then its app, and report Running?', () => {
    const { cluster, current, said } = run('  initContainers: [{ name: one, image: busybox:1.36, command: [sh, -c, "sleep 1"] }, { name: two, image: busybox:1.36, command: [sh, -c, "sleep 1"] }]\n  containers: [{ name: app, image: nginx:1.27 }]\n');
    expect(cluster.runUntil(() => current()?.status?.phase === 'Running', 30_000), `Running within 30 s of virtual time${said()}`).toBe(true);
    const started = traceQuery(cluster.trace, { actor: 'kubelet/node-1', summary: /^StartContainer default\/p\// }).map((e) => e.summary.split('/').pop());
    expect(started, 'the containers the kubelet started, in order').toEqual(['one', 'two', 'app']);
  });

  it('does a crashing container restart, with CrashLoopBackOff between restarts?', () => {
    const { cluster, current, said } = run('  containers: [{ name: app, image: busybox:1.36, command: [sh, -c, "sleep 2; exit 1"] }]\n');
    cluster.runFor(60_000);
    const starts = traceQuery(cluster.trace, { actor: 'kubelet/node-1', summary: 'StartContainer default/p/app' });
    expect(starts.length, `starts of the crashing container in 60 s (at once, then after 10 s and 20 s of back-off)${said()}`).toBeGreaterThanOrEqual(3);
    expect(starts.length, 'no more than the back-off allows').toBeLessThanOrEqual(4);
    const reasons = (cluster.kubectl.getObjects('events') as KubeEvent[]).map((e) => e.reason);
    expect(reasons, 'the kubelet waited out a back-off').toContain('BackOff');
    expect(current()!.status!.containerStatuses![0].restartCount).toBe(starts.length - 1);
  });

  it('does a restartPolicy Never pod that fails stay Failed, its container never started again?', () => {
    const { cluster, current, said } = run('  restartPolicy: Never\n  containers: [{ name: job, image: busybox:1.36, command: [sh, -c, "exit 3"] }]\n');
    expect(cluster.runUntil(() => current()?.status?.phase === 'Failed', 30_000), `Failed within 30 s${said()}`).toBe(true);
    cluster.runFor(20_000);
    expect(traceQuery(cluster.trace, { summary: 'StartContainer default/p/job' }), 'started once').toHaveLength(1);
  });
});
