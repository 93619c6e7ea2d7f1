import { describe, expect, it } from 'vitest';
import type { KubeObject, Pod } from '../../api/types';
import { addResourceLists, objectCountNames, podUsage, unspecifiedResources, usageOf } from './resource-quota-contract';

function pod(containers: Pod['spec']['containers'], phase?: 'Running' | 'Succeeded'): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'dev' }, spec: { containers }, ...(phase ? { status: { phase } } : {}) };
}

describe('quota usage (pkg/quota/v1/evaluator/core)', () => {
  it('a pod is charged its containers\' requests and limits, summed; cpu and memory are requests', () => {
    const p = pod([
      { name: 'web', image: 'nginx', resources: { requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1' } } },
      { name: 'log', image: 'fluentd', resources: { requests: { cpu: '100m' } } },
    ]);
    expect(podUsage(p)).toEqual({
      'count/pods': '1',
      pods: '1',
      cpu: '600m',
      'requests.cpu': '600m',
      memory: '128Mi',
      'requests.memory': '128Mi',
      'limits.cpu': '1',
    });
  });

  it('a finished pod still counts as an object (count/pods) but no longer as a pod or its resources', () => {
    expect(podUsage(pod([{ name: 'web', image: 'nginx', resources: { requests: { cpu: '1' } } }], 'Succeeded'))).toEqual({ 'count/pods': '1' });
  });

  it('an extended resource counts only as requests.<name>', () => {
    expect(podUsage(pod([{ name: 'ml', image: 'x', resources: { requests: { 'example.com/gpu': '2' } } }]))).toMatchObject({ 'requests.example.com/gpu': '2' });
    expect(podUsage(pod([{ name: 'ml', image: 'x', resources: { requests: { 'example.com/gpu': '2' } } }]))).not.toHaveProperty('example.com/gpu');
  });

  it('lists, per compute resource, the containers that leave it out', () => {
    const p = pod([
      { name: 'web', image: 'nginx', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1' } } },
      { name: 'log', image: 'fluentd' },
    ]);
    expect(unspecifiedResources(p)).toEqual({
      cpu: ['log'],
      'requests.cpu': ['log'],
      memory: ['log'],
      'requests.memory': ['log'],
      'limits.cpu': ['log'],
      'limits.memory': ['log', 'web'],
    });
  });

  it('every object counts as count/<resource>, core kinds also under their bare name', () => {
    expect(objectCountNames({ resource: 'configmaps', group: '' })).toEqual(['count/configmaps', 'configmaps']);
    expect(objectCountNames({ resource: 'deployments', group: 'apps' })).toEqual(['count/deployments.apps']);
    expect(objectCountNames({ resource: 'endpoints', group: '' })).toEqual(['count/endpoints']);
  });

  it('a LoadBalancer Service also uses a load balancer and a node port per port; a claim its storage', () => {
    const lb: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 443 }] } };
    expect(usageOf(lb, { resource: 'services', group: '' })).toEqual({
      'count/services': '1',
      services: '1',
      'services.loadbalancers': '1',
      'services.nodeports': '2',
    });
    const claim: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { resources: { requests: { storage: '10Gi' } } } };
    expect(usageOf(claim, { resource: 'persistentvolumeclaims', group: '' })).toMatchObject({ persistentvolumeclaims: '1', 'requests.storage': '10Gi' });
  });

  it('adds resource lists key by key, keeping keys found in only one', () => {
    expect(addResourceLists({ cpu: '500m', pods: '1' }, { cpu: '1', memory: '1Gi' })).toEqual({ cpu: '1500m', pods: '1', memory: '1Gi' });
  });
});
