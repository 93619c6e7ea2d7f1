import { describe, expect, it } from 'vitest';
import { resourceFor } from '../../api/resources';
import type { KubeObject, Namespace, Pod } from '../../api/types';
import { testPod } from '../api-server.fixture';
import { strategyFor } from './registry';

const strategy = (kind: string) => strategyFor(resourceFor(kind));

describe('strategies: what differs by kind', () => {
  it('drops a new object\'s status, except a Node\'s (a kubelet registers with its status)', () => {
    const pod: Pod = { ...testPod('web'), status: { phase: 'Running' } };
    strategy('Pod').prepareForCreate(pod);
    expect(pod.status).toBeUndefined();
    const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { capacity: { cpu: '4' } } };
    strategy('Node').prepareForCreate(node);
    expect(node.status).toEqual({ capacity: { cpu: '4' } });
  });

  it('on the main endpoint keeps the stored status and adds 1 to generation only when the spec changed', () => {
    const old: Pod = { ...testPod('web'), metadata: { name: 'web', generation: 3 }, status: { phase: 'Pending' } };
    const same: Pod = { ...testPod('web'), metadata: { name: 'web' }, status: { phase: 'Running' } };
    strategy('Pod').prepareForUpdate(same, old);
    expect(same.status).toEqual({ phase: 'Pending' });
    expect(same.metadata.generation).toBe(3);
    const changed: Pod = testPod('web', { nodeName: 'node-1' });
    strategy('Pod').prepareForUpdate(changed, old);
    expect(changed.metadata.generation).toBe(4);
  });

  it('gives a running pod a grace period, and other kinds none', () => {
    expect(strategy('Pod').gracePeriodSeconds(testPod('web', { nodeName: 'node-1' }), undefined)).toBe(30);
    expect(strategy('Pod').gracePeriodSeconds(testPod('web', { nodeName: 'node-1' }), 5)).toBe(5);
    expect(strategy('Pod').gracePeriodSeconds(testPod('web'), undefined)).toBe(0);
    expect(strategy('ConfigMap').gracePeriodSeconds({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, 5)).toBe(0);
  });

  it('lets only pods be bound, only namespaces be finalized, and only Events expire', () => {
    expect(['Pod', 'Node', 'ConfigMap'].filter((k) => strategy(k).bind !== undefined)).toEqual(['Pod']);
    expect(['Namespace', 'Pod'].filter((k) => strategy(k).finalize !== undefined)).toEqual(['Namespace']);
    expect(['Event', 'Pod'].filter((k) => strategy(k).ttlSeconds !== undefined)).toEqual(['Event']);
    const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' }, spec: { finalizers: ['kubernetes'] } };
    expect(strategy('Namespace').specFinalizers(ns)).toEqual(['kubernetes']);
    expect(strategy('Namespace').finalize!(ns, { ...ns, spec: {} })).toMatchObject({ spec: { finalizers: [] } });
  });

  it('lets a field selector name a pod\'s node, and only names and namespaces elsewhere', () => {
    expect(strategy('Pod').selectableFields).toContain('spec.nodeName');
    expect(strategy('Node').selectableFields).toEqual(['metadata.name', 'metadata.namespace']);
  });

  it('makes a Job\'s selector from its uid, once it has one', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', uid: 'u-1' }, spec: { template: { metadata: {}, spec: { containers: [], restartPolicy: 'Never' } } } } as unknown as KubeObject;
    strategy('Job').afterUid(job);
    expect(job.spec).toMatchObject({ selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } } });
  });
});
