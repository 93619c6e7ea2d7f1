import { describe, expect, it } from 'vitest';
import { findResource } from './resources';
import type { KubeObject } from './types';
import { validate } from './validation';
import { nginxPod } from './nginx-pod';

describe('nginxPod', () => {
  it('is one container app on nginx:1.27, with a CPU request only when asked', () => {
    expect(nginxPod('q1')).toEqual({ metadata: { name: 'q1' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    expect(nginxPod('p1', '400m').spec.containers[0]).toEqual({ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '400m' } } });
    // No resources key at all without a request: a quota that limits requests.cpu must see none.
    expect(Object.keys(nginxPod('p5', undefined).spec.containers[0])).toEqual(['name', 'image']);
  });

  it('is a valid pod as it is', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', ...nginxPod('p1', '400m'), metadata: { name: 'p1', namespace: 'default' } } as KubeObject;
    expect(validate(findResource('pods')!, pod)).toEqual([]);
  });
});
