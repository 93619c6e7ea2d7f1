import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { differsSemantically } from './pod-update';

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'u1', labels: { app: 'web' }, resourceVersion: '5' },
  spec: { nodeName: 'node-1', containers: [{ name: 'nginx', image: 'nginx:1.14.2' }] },
  status: { phase: 'Pending' },
};

describe('which pod updates wake the kubelet\'s pod worker (podsDifferSemantically)', () => {
  it('is no news when only the status or the resourceVersion changed', () => {
    expect(differsSemantically(pod, { ...pod, metadata: { ...pod.metadata, resourceVersion: '6' }, status: { phase: 'Running' } })).toBe(false);
  });

  it.each([
    ['the spec', { ...pod, spec: { ...pod.spec, containers: [{ name: 'nginx', image: 'nginx:1.16.1' }] } }],
    ['the labels', { ...pod, metadata: { ...pod.metadata, labels: { app: 'web', tier: 'fe' } } }],
    ['the annotations', { ...pod, metadata: { ...pod.metadata, annotations: { note: 'x' } } }],
    ['the deletionTimestamp', { ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2025-01-01T00:01:00Z' } }],
    ['the deletionGracePeriodSeconds', { ...pod, metadata: { ...pod.metadata, deletionGracePeriodSeconds: 0 } }],
    ['the uid (another pod of that name)', { ...pod, metadata: { ...pod.metadata, uid: 'u2' } }],
  ] as [string, Pod][])('is news when %s changed', (_what, next) => {
    expect(differsSemantically(pod, next)).toBe(true);
  });
});
