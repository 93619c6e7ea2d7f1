import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../api/types';
import { computePodActions } from './pod-actions';
import type { PodActions, RuntimeContainer, RuntimeContainerState, RuntimePodStatus } from './pod-actions-contract';

const hash = (c: Readonly<Container>) => `h-${c.name}-${c.image}`;
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
const nothing: Omit<PodActions, 'sandboxId' | 'attempt'> = { killPod: false, createSandbox: false, initContainersToStart: [], containersToStart: [], containersToKill: [] };

describe('computePodActions (the kubelet decides what to change in the runtime)', () => {
  it('does a new pod get a sandbox (attempt 0) and every container started?', () => {
    expect(computePodActions({ pod: pod({ containers: [c('a'), c('b')] }), status: { sandboxes: [], containers: [] }, hash })).toEqual({
      ...nothing, killPod: true, createSandbox: true, sandboxId: '', attempt: 0, containersToStart: [0, 1],
    });
  });

  it('does a new pod with init containers start only the first init container?', () => {
    const a = computePodActions({ pod: pod({ initContainers: [c('init-1'), c('init-2')] }), status: { sandboxes: [], containers: [] }, hash });
    expect(a).toMatchObject({ createSandbox: true, initContainersToStart: [0], containersToStart: [] });
  });

  it('is a dead sandbox replaced with attempt + 1, killing what is left first?', () => {
    const a = computePodActions({ pod: pod({}), status: status([ctr('app', 'running')], [sandbox(false, 2)]), hash });
    expect(a).toMatchObject({ killPod: true, createSandbox: true, sandboxId: 'sb2', attempt: 3, containersToStart: [0] });
  });

  it('does a sandbox without an IP count as dead (CNI failed)?', () => {
    expect(computePodActions({ pod: pod({}), status: status([], [sandbox(true, 0, '')]), hash })).toMatchObject({ createSandbox: true, attempt: 1 });
  });

  it('does a pod that must not restart (Never) get no new sandbox once it has run?', () => {
    const a = computePodActions({ pod: pod({ restartPolicy: 'Never' }), status: status([ctr('app', 'exited', 0)], [sandbox(false, 0)]), hash });
    expect(a).toMatchObject({ killPod: true, createSandbox: false });
  });

  it('with OnFailure and a dead sandbox, is a container that succeeded left alone, and no sandbox made if nothing is left to run?', () => {
    const p = pod({ restartPolicy: 'OnFailure', containers: [c('a'), c('b')] });
    expect(computePodActions({ pod: p, status: status([ctr('a', 'exited', 0), ctr('b', 'exited', 1)], [sandbox(false, 0)]), hash })).toMatchObject({ createSandbox: true, containersToStart: [1] });
    expect(computePodActions({ pod: p, status: status([ctr('a', 'exited', 0), ctr('b', 'exited', 0)], [sandbox(false, 0)]), hash })).toMatchObject({ killPod: true, createSandbox: false });
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
    expect(computePodActions({ pod: p, status: status([...containers]), hash })).toMatchObject({ createSandbox: false, ...expected });
  });

  it.each([
    ['Always, exited 0', 'Always', 0, { containersToStart: [0], killPod: false }],
    ['Always, exited 1', 'Always', 1, { containersToStart: [0], killPod: false }],
    ['OnFailure, exited 1', 'OnFailure', 1, { containersToStart: [0], killPod: false }],
    ['OnFailure, exited 0: done', 'OnFailure', 0, { containersToStart: [], killPod: true }],
    ['Never, exited 1: done', 'Never', 1, { containersToStart: [], killPod: true }],
  ] as const)('an exited container, restartPolicy %s', (_name, restartPolicy, exitCode, expected) => {
    expect(computePodActions({ pod: pod({ restartPolicy }), status: status([ctr('app', 'exited', exitCode)]), hash })).toMatchObject(expected);
  });

  it('is a running container that failed its liveness probe killed, and started again unless restartPolicy is Never?', () => {
    const running = ctr('app', 'running');
    const a = computePodActions({ pod: pod({}), status: status([running]), liveness: { [running.id]: 'Failure' }, hash });
    expect(a).toMatchObject({ killPod: false, containersToStart: [0], containersToKill: [{ id: running.id, name: 'app', message: 'Container app failed liveness probe, will be restarted', reason: 'LivenessProbe' }] });
    const never = computePodActions({ pod: pod({ restartPolicy: 'Never' }), status: status([running]), liveness: { [running.id]: 'Failure' }, hash });
    expect(never).toMatchObject({ killPod: true, containersToStart: [], containersToKill: [{ message: 'Container app failed liveness probe', reason: 'LivenessProbe' }] });
  });

  it('is a container whose spec changed restarted, even with restartPolicy Never?', () => {
    const old = ctr('app', 'running', undefined, 'busybox:old');
    const a = computePodActions({ pod: pod({ restartPolicy: 'Never' }), status: status([old]), hash });
    expect(a).toMatchObject({ killPod: false, containersToStart: [0], containersToKill: [{ message: 'Container app definition changed, will be restarted', reason: '' }] });
  });

  it('is a container in an unknown state killed before it is started again?', () => {
    const lost = ctr('app', 'unknown');
    expect(computePodActions({ pod: pod({}), status: status([lost]), hash })).toMatchObject({ containersToStart: [0], containersToKill: [{ id: lost.id, reason: 'Unknown' }] });
  });

  it('is nothing restarted in a pod being deleted?', () => {
    expect(computePodActions({ pod: pod({}, true), status: status([ctr('app', 'exited', 1)]), hash })).toMatchObject({ killPod: true, containersToStart: [] });
  });

  it('is a running pod left alone?', () => {
    expect(computePodActions({ pod: pod({}), status: status([ctr('app', 'running')]), hash })).toEqual({ ...nothing, sandboxId: 'sb0', attempt: 0 });
  });

  describe('sidecars (init containers with restartPolicy: Always)', () => {
    const spec = { initContainers: [c('proxy', { restartPolicy: 'Always' }), c('migrate')] };
    it('does the next init container start as soon as the sidecar runs?', () => {
      expect(computePodActions({ pod: pod(spec), status: status([ctr('proxy', 'running')]), hash })).toMatchObject({ initContainersToStart: [1], containersToStart: [] });
    });
    it('with a startup probe, does it wait for the probe to pass?', () => {
      const p = pod({ initContainers: [c('proxy', { restartPolicy: 'Always', startupProbe: { exec: { command: ['true'] } } }), c('migrate')] });
      const proxy = ctr('proxy', 'running');
      expect(computePodActions({ pod: p, status: status([proxy]), hash })).toMatchObject({ initContainersToStart: [] });
      expect(computePodActions({ pod: p, status: status([proxy]), startup: { [proxy.id]: 'Success' }, hash })).toMatchObject({ initContainersToStart: [1] });
    });
    it('once the pod is initialized, is a running sidecar left alone (the finished init container not run again)?', () => {
      const a = computePodActions({ pod: pod(spec), status: status([ctr('app', 'running'), ctr('migrate', 'exited', 0), ctr('proxy', 'running')]), hash });
      expect(a).toEqual({ ...nothing, sandboxId: 'sb0', attempt: 0 });
    });
    it('once the pod is initialized, is a sidecar that exited started again, beside the app?', () => {
      const a = computePodActions({ pod: pod(spec), status: status([ctr('app', 'running'), ctr('migrate', 'exited', 0), ctr('proxy', 'exited', 1)]), hash });
      expect(a).toMatchObject({ killPod: false, initContainersToStart: [0], containersToStart: [] });
    });
    it('does a sidecar keep a finished pod alive? (no: the pod is killed, the sidecar not restarted)', () => {
      const p = pod({ ...spec, restartPolicy: 'Never' });
      const a = computePodActions({ pod: p, status: status([ctr('app', 'exited', 0), ctr('migrate', 'exited', 0), ctr('proxy', 'running')]), hash });
      expect(a).toMatchObject({ killPod: true, initContainersToStart: [] });
    });
  });
});
