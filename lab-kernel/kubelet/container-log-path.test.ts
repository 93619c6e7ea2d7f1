import { describe, expect, it } from 'vitest';
import type { ContainerStatus, PodStatus } from '../api/types';
import type { ContainerStatus as CriContainerStatus } from '../runtime/cri';
import { containerLogPath } from './container-log-path';
import type { PodRuntimeView } from './pod-status-reader';

const dir = '/var/log/pods/default_web_u1/app';
/** The runtime's view: instances c0, c1, c2 of app, with their log files. */
const view = {
  decision: { sandboxes: [], containers: [] },
  containers: new Map(['c0', 'c1', 'c2'].map((id, i) => [id, { id, logPath: `${dir}/${i}.log` } as CriContainerStatus])),
  ip: '',
} as PodRuntimeView;
const terminated = (id: string) => ({ terminated: { exitCode: 1, containerID: `containerd://${id}` } });
const status = (s: Partial<ContainerStatus>): PodStatus => ({ containerStatuses: [{ name: 'app', image: 'busybox', ready: false, restartCount: 0, ...s }] });
const path = (s: Partial<ContainerStatus>, previous = false, container = 'app') => containerLogPath('web', status(s), view, container, previous);

describe('which log `kubectl logs` reads (validateContainerLogStatus)', () => {
  it.each([
    ['running: the running instance', { state: { running: { startedAt: '' } }, containerID: 'containerd://c2', lastState: terminated('c1') }, false, { path: `${dir}/2.log` }],
    ['running, --previous: the one before', { state: { running: { startedAt: '' } }, containerID: 'containerd://c2', lastState: terminated('c1') }, true, { path: `${dir}/1.log` }],
    ['in CrashLoopBackOff: the instance that last exited', { state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: terminated('c2') }, false, { path: `${dir}/2.log` }],
    ['terminated (a Job pod): that instance', { state: terminated('c0') }, false, { path: `${dir}/0.log` }],
    ['--previous before any restart', { state: { running: { startedAt: '' } }, containerID: 'containerd://c0' }, true, { error: 'previous terminated container "app" in pod "web" not found' }],
    ['waiting for its image', { state: { waiting: { reason: 'ImagePullBackOff' } } }, false, { error: 'container "app" in pod "web" is waiting to start: trying and failing to pull image' }],
    ['not created yet', { state: { waiting: { reason: 'ContainerCreating' } } }, false, { error: 'container "app" in pod "web" is waiting to start: ContainerCreating' }],
    ['an instance garbage collection removed', { state: { running: { startedAt: '' } }, containerID: 'containerd://c2', lastState: terminated('gone') }, true, { error: 'unable to retrieve container logs for containerd://gone' }],
  ] as const)('%s', (_name, s, previous, expected) => {
    expect(path(s as Partial<ContainerStatus>, previous)).toEqual(expected);
  });

  it('a container the pod does not have is not available', () => {
    expect(path({ state: { running: { startedAt: '' } } }, false, 'nope')).toEqual({ error: 'container "nope" in pod "web" is not available' });
  });
});
