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

  it('on the main endpoint keeps the stored status, and a pod has no generation to move (1.32)', () => {
    const old: Pod = { ...testPod('web'), metadata: { name: 'web' }, status: { phase: 'Pending' } };
    const changed: Pod = { ...testPod('web', { nodeName: 'node-1' }), status: { phase: 'Running' } };
    strategy('Pod').prepareForUpdate(changed, old);
    expect(changed.status).toEqual({ phase: 'Pending' });
    expect(changed.metadata.generation).toBeUndefined();
  });

  it('sets generation 1 on create and adds 1 on a spec change only for kinds whose strategy keeps one', () => {
    const rs = (replicas: number, generation?: number): KubeObject => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', generation }, spec: { replicas } });
    const created = rs(1);
    strategy('ReplicaSet').prepareForCreate(created);
    expect(created.metadata.generation).toBe(1);
    const scaled = rs(3, 3);
    strategy('ReplicaSet').prepareForUpdate(scaled, rs(2, 3));
    expect(scaled.metadata.generation).toBe(4);
    const relabelled = { ...rs(2, 3), metadata: { name: 'web', generation: 3, labels: { a: 'b' } } };
    strategy('ReplicaSet').prepareForUpdate(relabelled, rs(2, 3));
    expect(relabelled.metadata.generation).toBe(3);
    const withGenerationOnCreate = ['ConfigMap', 'Secret', 'Service', 'Namespace', 'Event', 'Pod', 'Node', 'HorizontalPodAutoscaler', 'ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job', 'CronJob', 'Ingress', 'EndpointSlice'].filter((kind) => {
      const obj: KubeObject = { apiVersion: 'v1', kind, metadata: { name: 'x', uid: 'u' }, spec: { template: { metadata: {}, spec: { containers: [] } } } };
      strategy(kind).prepareForCreate(obj);
      return obj.metadata.generation === 1;
    });
    expect(withGenerationOnCreate).toEqual(['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job', 'CronJob', 'Ingress', 'EndpointSlice']);
  });

  it('moves a Deployment\'s generation on an annotation change too, and an EndpointSlice\'s on any change outside metadata', () => {
    const deploy = (annotations: Record<string, string>): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation: 2, annotations }, spec: { replicas: 1 } });
    const annotated = deploy({ note: 'b' });
    strategy('Deployment').prepareForUpdate(annotated, deploy({ note: 'a' }));
    expect(annotated.metadata.generation).toBe(3);
    const slice = (ip: string): KubeObject => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's', generation: 5 }, endpoints: [{ addresses: [ip] }] }) as KubeObject;
    const moved = slice('10.0.0.2');
    strategy('EndpointSlice').prepareForUpdate(moved, slice('10.0.0.1'));
    expect(moved.metadata.generation).toBe(6);
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

  it('makes a Job\'s selector from its uid in PrepareForCreate', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', uid: 'u-1' }, spec: { template: { metadata: {}, spec: { containers: [], restartPolicy: 'Never' } } } } as unknown as KubeObject;
    strategy('Job').prepareForCreate(job);
    expect(job.spec).toMatchObject({ selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } } });
  });
});
