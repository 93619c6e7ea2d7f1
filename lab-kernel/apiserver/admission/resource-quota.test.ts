import { describe, expect, it } from 'vitest';
import type { ConfigMap, KubeObject, Pod, ResourceList, ResourceQuota } from '../../api/types';
import { evaluateQuota } from '../../../solutions/quota/evaluate';
import { admissionRequestFor, fixedAdmissionContext, runAdmission } from './chain';
import { resourceQuotaPlugin } from './resource-quota';

function quota(name: string, hard: ResourceList, used: ResourceList): ResourceQuota {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: 'dev', resourceVersion: '7' }, spec: { hard }, status: { hard, used } };
}

function pod(cpu?: string): Pod {
  const resources = cpu === undefined ? {} : { resources: { requests: { cpu }, limits: { cpu } } };
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'dev' }, spec: { containers: [{ name: 'web', image: 'nginx', ...resources }] } };
}

const configMap: ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'dev' }, data: {} };

function validate(obj: KubeObject, objects: KubeObject[], options: { dryRun?: boolean; subresource?: string } = {}) {
  const req = admissionRequestFor('CREATE', obj, options);
  const result = runAdmission([resourceQuotaPlugin(evaluateQuota)], req, fixedAdmissionContext(objects), 'validating');
  return { result, writes: req.pendingWrites ?? [] };
}

describe('ResourceQuota admission', () => {
  it('charges an allowed pod to the quota: the raised status.used is written before the pod', () => {
    const { result, writes } = validate(pod('500m'), [quota('compute', { pods: '5', 'requests.cpu': '2' }, { pods: '1', 'requests.cpu': '1' })]);
    expect(result.outcome).toBe('admitted');
    expect(writes).toHaveLength(1);
    expect((writes[0] as ResourceQuota).status?.used).toEqual({ pods: '2', 'requests.cpu': '1500m' });
    expect(writes[0].metadata.resourceVersion, 'the write is a compare-and-swap on the version admission saw').toBe('7');
  });

  it('refuses a pod over the quota with 403 and Kubernetes\' message', () => {
    const { result, writes } = validate(pod('2'), [quota('compute-quota', { 'requests.cpu': '2' }, { 'requests.cpu': '1' })]);
    expect(result.error?.status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'pods "web" is forbidden: exceeded quota: compute-quota, requested: requests.cpu=2, used: requests.cpu=1, limited: requests.cpu=2',
    });
    expect(writes).toEqual([]);
  });

  it('refuses a pod that leaves out a resource the quota limits', () => {
    const { result } = validate(pod(), [quota('compute-quota', { 'requests.cpu': '2', 'limits.cpu': '4' }, { 'requests.cpu': '0', 'limits.cpu': '0' })]);
    expect(result.error?.message).toBe('pods "web" is forbidden: failed quota: compute-quota: must specify limits.cpu for: web; requests.cpu for: web');
  });

  it('counts any namespaced object under count/<resource>', () => {
    const { result } = validate(configMap, [quota('objects', { 'count/configmaps': '1' }, { 'count/configmaps': '1' })]);
    expect(result.error?.message).toBe(
      'configmaps "settings" is forbidden: exceeded quota: objects, requested: count/configmaps=1, used: count/configmaps=1, limited: count/configmaps=1',
    );
  });

  it('a dry run is checked but charges nothing', () => {
    const { result, writes } = validate(pod('500m'), [quota('compute', { 'requests.cpu': '2' }, { 'requests.cpu': '0' })], { dryRun: true });
    expect(result.outcome).toBe('admitted');
    expect(writes).toEqual([]);
  });

  it('ignores subresources and namespaces without quotas', () => {
    expect(validate(pod('9'), [quota('compute', { 'requests.cpu': '2' }, { 'requests.cpu': '2' })], { subresource: 'binding' }).result.outcome).toBe('admitted');
    expect(validate(pod('9'), []).result.outcome).toBe('admitted');
  });
});
