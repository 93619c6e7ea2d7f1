import { describe, expect, it } from 'vitest';
import type { ContainerState, ContainerStatus, Container, Pod } from '../api/types';
import { podPhase } from './pod-phase';

const running: ContainerState = { running: { startedAt: '2025-01-01T00:00:01Z' } };
const exited = (exitCode: number): ContainerState => ({ terminated: { exitCode } });
const waiting = (reason = 'ContainerCreating'): ContainerState => ({ waiting: { reason } });
const st = (name: string, state: ContainerState, lastState?: ContainerState, started = state.running !== undefined): ContainerStatus => ({ name, ready: false, restartCount: 0, image: 'busybox', state, lastState, started });
const c = (name: string, sidecar = false): Container => ({ name, image: 'busybox', ...(sidecar ? { restartPolicy: 'Always' as const } : {}) });
const pod = (spec: Partial<Pod['spec']>): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [c('app')], ...spec } });

describe("the pod's phase (the kubelet's getPhase)", () => {
  it.each([
    ['a container running', {}, [st('app', running)], 'Running'],
    ['a container still being created', {}, [st('app', waiting())], 'Pending'],
    ['no status yet', {}, [], 'Pending'],
    ['pi finished, Never', { restartPolicy: 'Never' }, [st('app', exited(0))], 'Succeeded'],
    ['failed, Never', { restartPolicy: 'Never' }, [st('app', exited(1))], 'Failed'],
    ['failed, OnFailure: about to restart', { restartPolicy: 'OnFailure' }, [st('app', exited(1))], 'Running'],
    ['finished, OnFailure', { restartPolicy: 'OnFailure' }, [st('app', exited(0))], 'Succeeded'],
    ['exited 0, Always: restarting', {}, [st('app', exited(0))], 'Running'],
    ['crash-looping (waiting, last exit 1), Always', {}, [st('app', waiting('CrashLoopBackOff'), exited(1))], 'Running'],
    ['one running, one not started', { containers: [c('a'), c('b')] }, [st('a', running), st('b', waiting())], 'Pending'],
    ['one running, one finished, Never', { restartPolicy: 'Never', containers: [c('a'), c('b')] }, [st('a', running), st('b', exited(0))], 'Running'],
    ['an init container running', { initContainers: [c('init')] }, [st('init', running), st('app', waiting('PodInitializing'))], 'Pending'],
    ['an init container failed, Never', { restartPolicy: 'Never', initContainers: [c('init')] }, [st('init', exited(1)), st('app', waiting('PodInitializing'))], 'Failed'],
    ['an init container failed, Always: it will run again', { initContainers: [c('init')] }, [st('init', waiting('CrashLoopBackOff'), exited(1)), st('app', waiting('PodInitializing'))], 'Pending'],
    ['a sidecar started, the app running', { initContainers: [c('proxy', true)] }, [st('proxy', running), st('app', running)], 'Running'],
    ['a sidecar running but not started (startup probe)', { initContainers: [c('proxy', true)] }, [st('proxy', running, undefined, false), st('app', waiting('PodInitializing'))], 'Pending'],
    ['the app finished, the sidecar stopped, Never', { restartPolicy: 'Never', initContainers: [c('proxy', true)] }, [st('proxy', exited(137)), st('app', exited(0))], 'Succeeded'],
  ] as const)('%s => %s', (_name, spec, statuses, phase) => {
    expect(podPhase(pod(spec as Partial<Pod['spec']>), statuses as unknown as ContainerStatus[], false)).toBe(phase);
  });

  it('once the pod is terminal (deleted or evicted), do stopped containers end it whatever the policy?', () => {
    expect(podPhase(pod({}), [st('app', exited(0))], true)).toBe('Succeeded');
    expect(podPhase(pod({}), [st('app', exited(137))], true)).toBe('Failed');
    const staticPod = { ...pod({}), metadata: { name: 'p', annotations: { 'kubernetes.io/config.source': 'file' } } };
    expect(podPhase(staticPod, [st('app', exited(137))], true), 'a static pod keeps its policy').toBe('Running');
  });
});
