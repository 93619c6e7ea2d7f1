import { describe, expect, it } from 'vitest';
import { alreadyExists, forbiddenRequest, internalError } from '../api/status';
import type { KubeObject, Namespace, ServiceAccount, WatchEvent } from '../api/types';
import { describeRequest, type ApiRequest, type ApiResponse } from '../api/request';
import { namespaceTerminatingCause } from '../apiserver/admission/namespace-lifecycle';
import type { Client } from '../client/client';
import { Simulation } from '../sim/simulation';
import { ServiceAccountController } from './serviceaccount-controller';
import { REFERENCE_REFLECTOR_STEP, REFERENCE_RELIST_DIFF } from '../client/reference-reflector.fixture';
import { SharedInformerFactory } from '../client/shared-informer-factory';

/**
 * Stands in for the API server: namespaces and service accounts to list and watch, and
 * creates of service accounts, answered after 1 ms (or with `nextCreateFails`).
 */
class FakeApi {
  readonly reflectorStep = REFERENCE_REFLECTOR_STEP;
  readonly relistDiff = REFERENCE_RELIST_DIFF;
  readonly component = 'kube-controller-manager';
  readonly creates: string[] = [];
  readonly namespaces: Namespace[] = [];
  readonly accounts: ServiceAccount[] = [];
  nextCreateFails: ApiResponse | undefined;
  private readonly watchers: { resource: string; send: (e: WatchEvent) => void }[] = [];

  constructor(private readonly sim: Simulation) {}

  addNamespace(name: string, phase: 'Active' | 'Terminating' = 'Active'): void {
    const ns: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, resourceVersion: '1' }, status: { phase } };
    this.namespaces.push(ns);
    this.notify('namespaces', 'ADDED', ns);
  }

  deleteAccount(namespace: string, name: string): void {
    const i = this.accounts.findIndex((a) => a.metadata.namespace === namespace && a.metadata.name === name);
    const [gone] = this.accounts.splice(i, 1);
    this.notify('serviceaccounts', 'DELETED', gone);
  }

  request(req: ApiRequest, onResponse: (res: ApiResponse) => void): void {
    this.sim.after(1, () => onResponse(this.answer(req)));
  }

  watch(req: ApiRequest, onEvent: (e: WatchEvent) => void): () => void {
    this.watchers.push({ resource: req.resource, send: onEvent });
    return () => {};
  }

  private notify(resource: string, type: WatchEvent['type'], object: KubeObject): void {
    for (const w of this.watchers) if (w.resource === resource) this.sim.after(1, () => w.send({ type, object }));
  }

  private answer(req: ApiRequest): ApiResponse {
    if (req.verb === 'list') {
      const items = req.resource === 'namespaces' ? this.namespaces : this.accounts;
      return { code: 200, body: { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '1' }, items } };
    }
    if (req.verb !== 'create') throw new Error(`unexpected request ${describeRequest(req)}`);
    this.creates.push(describeRequest(req) + ' ' + (req.body as ServiceAccount).metadata.name);
    if (this.nextCreateFails !== undefined) {
      const answer = this.nextCreateFails;
      this.nextCreateFails = undefined;
      return answer;
    }
    const sa = { ...(req.body as ServiceAccount), metadata: { ...(req.body as ServiceAccount).metadata, resourceVersion: '2' } };
    this.accounts.push(sa);
    this.notify('serviceaccounts', 'ADDED', sa);
    return { code: 201, body: sa };
  }
}

function setUp() {
  const sim = new Simulation({ seed: 1 });
  const api = new FakeApi(sim);
  const informers = new SharedInformerFactory(sim, api as unknown as Client);
  const controller = new ServiceAccountController(sim, api as unknown as Client, informers);
  return { sim, api, controller, informers };
}

describe('serviceaccount controller (kube-controller-manager)', () => {
  it('creates the default ServiceAccount in every Active namespace', () => {
    const { informers, sim, api, controller } = setUp();
    api.addNamespace('default');
    informers.start();
    sim.runFor(50);
    expect(controller.hasSynced()).toBe(true);
    api.addNamespace('dev');
    sim.runFor(50);
    expect(api.accounts.map((a) => `${a.metadata.namespace}/${a.metadata.name}`)).toEqual(['default/default', 'dev/default']);
    expect(api.accounts[0]).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'default', resourceVersion: '2' } });
  });

  it('creates nothing in a Terminating namespace', () => {
    const { informers, sim, api } = setUp();
    api.addNamespace('leaving', 'Terminating');
    informers.start();
    sim.runFor(50);
    expect(api.creates).toEqual([]);
  });

  it('re-creates the default ServiceAccount when it is deleted', () => {
    const { informers, sim, api } = setUp();
    api.addNamespace('dev');
    informers.start();
    sim.runFor(50);
    api.deleteAccount('dev', 'default');
    sim.runFor(50);
    expect(api.creates).toEqual(['create serviceaccounts dev default', 'create serviceaccounts dev default']);
    expect(api.accounts).toHaveLength(1);
  });

  it('does not retry when the account already exists or the namespace is terminating', () => {
    for (const refusal of [
      alreadyExists({ group: '', resource: 'serviceaccounts', name: 'default' }),
      forbiddenRequest({ group: '', resource: 'serviceaccounts', name: 'default' }, 'unable to create new content in namespace dev because it is being terminated'),
    ]) {
      if (refusal.code === 403) refusal.status.details = { ...refusal.status.details, causes: [namespaceTerminatingCause('dev')] };
      const { informers, sim, api } = setUp();
      api.nextCreateFails = { code: refusal.code, body: refusal.status };
      api.addNamespace('dev');
      informers.start();
      sim.runFor(5_000);
      expect(api.creates).toHaveLength(1);
    }
  });

  it('retries with backoff when the create fails for another reason', () => {
    const { informers, sim, api } = setUp();
    api.nextCreateFails = { code: 500, body: internalError('etcdserver: request timed out').status };
    api.addNamespace('dev');
    informers.start();
    sim.runFor(100);
    expect(api.creates).toHaveLength(2);
    expect(api.accounts.map((a) => a.metadata.name)).toEqual(['default']);
  });
});
