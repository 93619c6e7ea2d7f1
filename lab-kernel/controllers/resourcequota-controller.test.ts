import { describe, expect, it } from 'vitest';
import type { KubeObject, Pod, ResourceList, ResourceQuota } from '../api/types';
import { ApiServer } from '../apiserver/api-server';
import type { ApiRequest, ApiResponse } from '../api/request';
import { LocalEtcd } from '../etcd/storage';
import { Client } from '../client/client';
import { Network } from '../sim/network';
import { Simulation } from '../sim/simulation';
import { MvccStore } from '../store/mvcc-store';
import { calculateUsage, RESOURCE_QUOTA_SYNC_PERIOD_MS, ResourceQuotaController } from './resourcequota-controller';
import { REFERENCE_REFLECTOR_STEP, REFERENCE_RELIST_DIFF } from '../client/reference-reflector.fixture';
import { SharedInformerFactory } from '../client/shared-informer-factory';

function setup() {
  const sim = new Simulation({ seed: 1 });
  const net = new Network(sim);
  const api = new ApiServer(sim, net, new LocalEtcd(sim, new MvccStore(), 'kube-apiserver'));
  api.bootstrap();
  const call = (req: ApiRequest): ApiResponse => {
    let res: ApiResponse | undefined;
    api.serve('test', req, (r) => (res = r));
    sim.runFor(0);
    if (res === undefined) throw new Error(`no reply to ${req.verb} ${req.resource}`);
    return res;
  };
  const create = (resource: string, body: KubeObject) => call({ verb: 'create', resource, namespace: 'default', body });
  const quota = () => call({ verb: 'get', resource: 'resourcequotas', namespace: 'default', name: 'compute' }).body as ResourceQuota;
  const client = new Client('kube-controller-manager', net, api, { reflectorStep: REFERENCE_REFLECTOR_STEP, relistDiff: REFERENCE_RELIST_DIFF });
  const informers = new SharedInformerFactory(sim, client);
  const controller = new ResourceQuotaController(sim, client, informers);
  /** kube-controller-manager's order: the shared informers, then the controller. */
  const start = () => {
    informers.start();
    controller.start();
  };
  /** Runs until the quota's status.used, as the controller's own cache shows it, is `used`; at most `limitMs`. */
  const cached = () => controller.quotas.lister.get('default/compute');
  const usedBecomes = (used: ResourceList, limitMs = 10_000) => sim.runUntil(() => JSON.stringify(cached()?.status?.used) === JSON.stringify(used), limitMs);
  return { sim, call, create, quota, controller, start, usedBecomes };
}

function pod(name: string, cpu: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu, memory: '256Mi' } } }] } };
}

function computeQuota(hard: ResourceList): ResourceQuota {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute' }, spec: { hard } };
}

describe('ResourceQuota controller', () => {
  it('copies spec.hard into status.hard and counts what already exists into status.used', () => {
    const { start, create, quota, usedBecomes } = setup();
    create('pods', pod('a', '500m'));
    create('pods', pod('b', '250m'));
    create('resourcequotas', computeQuota({ pods: '5', 'requests.cpu': '2', 'requests.memory': '1Gi', 'count/configmaps': '3' }));
    start();
    expect(usedBecomes({ pods: '2', 'requests.cpu': '750m', 'requests.memory': '512Mi', 'count/configmaps': '0' })).toBe(true);
    expect(quota().status?.hard).toEqual({ pods: '5', 'requests.cpu': '2', 'requests.memory': '1Gi', 'count/configmaps': '3' });
  });

  it('deleting a pod frees its share of the quota', () => {
    const { start, call, create, usedBecomes } = setup();
    create('pods', pod('a', '500m'));
    create('pods', pod('b', '250m'));
    create('resourcequotas', computeQuota({ pods: '5', 'requests.cpu': '2' }));
    start();
    expect(usedBecomes({ pods: '2', 'requests.cpu': '750m' })).toBe(true);
    call({ verb: 'delete', resource: 'pods', namespace: 'default', name: 'a', gracePeriodSeconds: 0 });
    expect(usedBecomes({ pods: '1', 'requests.cpu': '250m' })).toBe(true);
  });

  it('counts other resources through count/<resource>, watching them once a quota asks', () => {
    const { start, call, create, usedBecomes } = setup();
    create('resourcequotas', computeQuota({ 'count/configmaps': '3' }));
    create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } });
    create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'two' } });
    start();
    expect(usedBecomes({ 'count/configmaps': '2' })).toBe(true);
    call({ verb: 'delete', resource: 'configmaps', namespace: 'default', name: 'one' });
    expect(usedBecomes({ 'count/configmaps': '1' })).toBe(true);
  });

  it('a changed spec.hard reaches status.hard', () => {
    const { start, call, quota, controller, sim, usedBecomes } = setup();
    call({ verb: 'create', resource: 'resourcequotas', namespace: 'default', body: computeQuota({ pods: '5' }) });
    start();
    expect(usedBecomes({ pods: '0' })).toBe(true);
    call({ verb: 'update', resource: 'resourcequotas', namespace: 'default', name: 'compute', body: { ...quota(), spec: { hard: { pods: '10' } } } });
    expect(sim.runUntil(() => controller.quotas.lister.get('default/compute')?.status?.hard?.pods === '10', 10_000)).toBe(true);
  });

  it('recounts every quota each 5 minutes of virtual time, correcting a wrong status.used', () => {
    const { start, call, create, quota, sim, usedBecomes } = setup();
    create('pods', pod('a', '500m'));
    create('resourcequotas', computeQuota({ pods: '5' }));
    start();
    expect(usedBecomes({ pods: '1' })).toBe(true);
    // An admission charge for a pod that was never stored (its create failed later): status only.
    call({ verb: 'update', resource: 'resourcequotas', namespace: 'default', name: 'compute', subresource: 'status', body: { ...quota(), status: { hard: { pods: '5' }, used: { pods: '4' } } } });
    sim.runFor(RESOURCE_QUOTA_SYNC_PERIOD_MS / 2);
    expect(quota().status?.used, 'a status-only change does not trigger a recount').toEqual({ pods: '4' });
    expect(usedBecomes({ pods: '1' }, RESOURCE_QUOTA_SYNC_PERIOD_MS)).toBe(true);
  });

  it('calculateUsage sums each hard resource over the objects, 0 when none uses it', () => {
    expect(calculateUsage({ pods: '3', 'requests.memory': '2Gi', 'limits.cpu': '1' }, [{ pods: '1', 'requests.memory': '512Mi' }, { pods: '1', 'requests.memory': '512Mi' }])).toEqual({
      pods: '2',
      'requests.memory': '1Gi',
      'limits.cpu': '0',
    });
  });
});
