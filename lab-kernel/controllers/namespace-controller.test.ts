import { describe, expect, it } from 'vitest';
import { findResource } from '../api/resources';
import { notFound, type Status } from '../api/status';
import type { Condition, KubeObject, Namespace, Pod, WatchEvent } from '../api/types';
import { describeRequest, type ApiRequest, type ApiResponse } from '../api/request';
import type { Client } from '../client/client';
import { Simulation } from '../sim/simulation';
import { deletionConditions, NamespaceController, type ContentDeletion } from './namespace-controller';
import { REFERENCE_REFLECTOR_STEP, REFERENCE_RELIST_DIFF } from '../client/reference-reflector.fixture';
import { SharedInformerFactory } from '../client/shared-informer-factory';

type Ns = Namespace & { status?: { conditions?: Condition[] } };

/**
 * Stands in for the API server as the namespace controller needs it: namespaces to list and
 * watch; deletecollection that removes objects at once, except pods (graceful deletion) and
 * objects with finalizers, which only get a deletionTimestamp and stay until
 * `finishPodTermination` / `releaseFinalizers`; namespaces/status; and namespaces/finalize, which deletes
 * a Terminating namespace once no finalizer is left. Each answer takes 1 ms.
 */
class FakeApi {
  readonly reflectorStep = REFERENCE_REFLECTOR_STEP;
  readonly relistDiff = REFERENCE_RELIST_DIFF;
  readonly component = 'kube-controller-manager';
  readonly requests: string[] = [];
  readonly objects = new Map<string, KubeObject>();
  readonly refuseDeleteCollection = new Set<string>();
  private readonly watchers: { resource: string; send: (e: WatchEvent) => void }[] = [];
  private revision = 10;

  constructor(private readonly sim: Simulation) {}

  put(obj: KubeObject): void {
    const key = keyOf(obj);
    const type = this.objects.has(key) ? 'MODIFIED' : 'ADDED';
    const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.revision) } };
    this.objects.set(key, stored);
    this.notify(type, stored);
  }

  remove(obj: KubeObject): void {
    this.objects.delete(keyOf(obj));
    this.notify('DELETED', obj);
  }

  of(resource: string, namespace?: string): KubeObject[] {
    return [...this.objects.values()].filter((o) => findResource(o.kind)!.resource === resource && (namespace === undefined || o.metadata.namespace === namespace));
  }

  finishPodTermination(): void {
    for (const pod of this.of('pods')) if (pod.metadata.deletionTimestamp) this.remove(pod);
  }

  releaseFinalizers(): void {
    for (const o of this.objects.values()) if (o.metadata.deletionTimestamp && o.metadata.finalizers) this.remove(o);
  }

  namespace(name: string): Ns | undefined {
    return this.objects.get(`namespaces//${name}`) as Ns | undefined;
  }

  request(req: ApiRequest, onResponse: (res: ApiResponse) => void): void {
    this.requests.push(describeRequest(req));
    this.sim.after(1, () => onResponse(this.answer(req)));
  }

  watch(req: ApiRequest, onEvent: (e: WatchEvent) => void): () => void {
    this.watchers.push({ resource: req.resource, send: onEvent });
    return () => {};
  }

  private notify(type: WatchEvent['type'], object: KubeObject): void {
    const resource = findResource(object.kind)!.resource;
    for (const w of this.watchers) if (w.resource === resource) this.sim.after(1, () => w.send({ type, object }));
  }

  private answer(req: ApiRequest): ApiResponse {
    const list = (items: KubeObject[]) => ({ code: 200, body: { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: String(this.revision) }, items } });
    switch (req.verb) {
      case 'list':
        return list(this.of(req.resource, req.namespace));
      case 'deletecollection': {
        if (this.refuseDeleteCollection.has(req.resource)) return { code: 500, body: failure(500, `Internal error occurred: cannot delete ${req.resource}`) };
        const items = this.of(req.resource, req.namespace);
        for (const o of items) {
          if (req.resource === 'pods' || (o.metadata.finalizers ?? []).length > 0) this.put({ ...o, metadata: { ...o.metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } });
          else this.remove(o);
        }
        return list(items);
      }
      case 'update': {
        const current = this.namespace(req.name!);
        if (current === undefined) return { code: 404, body: notFound({ group: '', resource: 'namespaces', name: req.name! }).status };
        const body = req.body as Ns;
        if (body.metadata.resourceVersion !== current.metadata.resourceVersion) return { code: 409, body: failure(409, 'conflict') };
        if (req.subresource === 'status') this.put({ ...current, status: body.status });
        if (req.subresource === 'finalize') {
          this.put({ ...current, spec: { finalizers: body.spec?.finalizers } });
          if ((body.spec?.finalizers ?? []).length === 0) this.remove(current);
        }
        return { code: 200, body: this.namespace(req.name!) ?? current };
      }
      default:
        throw new Error(`unexpected request ${describeRequest(req)}`);
    }
  }
}

function keyOf(o: KubeObject): string {
  return `${findResource(o.kind)!.resource}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function failure(code: number, message: string): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
}

function terminating(name: string): Ns {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, deletionTimestamp: '2025-01-01T00:00:00Z' },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Terminating' },
  };
}

function pod(name: string, namespace: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { containers: [{ name: 'c', image: 'nginx' }], terminationGracePeriodSeconds: 30 }, status: { phase: 'Running' } };
}

function configMap(name: string, namespace: string, finalizers?: string[]): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, finalizers } };
}

function setUp() {
  const sim = new Simulation({ seed: 1 });
  const api = new FakeApi(sim);
  const informers = new SharedInformerFactory(sim, api as unknown as Client);
  const controller = new NamespaceController(sim, api as unknown as Client, informers);
  return { sim, api, controller, informers };
}

function condition(ns: Ns | undefined, type: string): Condition | undefined {
  return ns?.status?.conditions?.find((c) => c.type === type);
}

describe('namespace controller (kube-controller-manager)', () => {
  it('empties a Terminating namespace with deletecollection on every namespaced resource, then removes its finalizer', () => {
    const { informers, sim, api } = setUp();
    api.put(terminating('dev'));
    api.put(configMap('settings', 'dev'));
    api.put(configMap('elsewhere', 'prod'));
    informers.start();
    sim.runFor(5_100);
    expect(api.requests).toContain('deletecollection configmaps dev');
    expect(api.requests).toContain('deletecollection replicasets dev');
    expect(api.requests).not.toContain('deletecollection nodes dev');
    expect(api.of('configmaps').map((o) => o.metadata.name)).toEqual(['elsewhere']);
    expect(api.requests).toContain('update namespaces/finalize dev');
    expect(api.namespace('dev')).toBeUndefined();
  });

  it('leaves namespaces that are not being deleted alone', () => {
    const { informers, sim, api } = setUp();
    api.put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    api.put(configMap('settings', 'dev'));
    informers.start();
    sim.runFor(5_100);
    expect(api.requests.filter((r) => !r.startsWith('list namespaces'))).toEqual([]);
    expect(api.of('configmaps')).toHaveLength(1);
  });

  it('starts 5 s after it sees the namespace Terminating', () => {
    const { informers, sim, api } = setUp();
    api.put(terminating('dev'));
    informers.start();
    sim.runFor(4_900);
    expect(api.requests.filter((r) => r.startsWith('deletecollection'))).toEqual([]);
    sim.runFor(200);
    expect(api.namespace('dev')).toBeUndefined();
  });

  it('waits for terminating pods (half their grace period, plus a second) before finalizing', () => {
    const { informers, sim, api } = setUp();
    api.put(terminating('dev'));
    api.put(pod('web', 'dev'));
    informers.start();
    sim.runFor(11_000);
    expect(condition(api.namespace('dev'), 'NamespaceContentRemaining')).toMatchObject({
      status: 'True',
      reason: 'SomeResourcesRemain',
      message: 'Some resources are remaining: pods. has 1 resource instances',
    });
    api.finishPodTermination();
    sim.runUntilTime(20_900);
    expect(api.namespace('dev')).toBeDefined();
    sim.runUntilTime(21_300);
    expect(api.namespace('dev')).toBeUndefined();
  });

  it('records the five deletion conditions in the namespace status, and retries with backoff when content cannot be deleted', () => {
    const { informers, sim, api } = setUp();
    api.refuseDeleteCollection.add('secrets');
    api.put(terminating('dev'));
    informers.start();
    sim.runFor(5_100);
    const ns = api.namespace('dev');
    expect(ns?.status?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      'NamespaceDeletionDiscoveryFailure=False',
      'NamespaceDeletionGroupVersionParsingFailure=False',
      'NamespaceDeletionContentFailure=True',
      'NamespaceContentRemaining=False',
      'NamespaceFinalizersRemaining=False',
    ]);
    expect(condition(ns, 'NamespaceDeletionContentFailure')).toMatchObject({
      reason: 'ContentDeletionFailed',
      message: 'Failed to delete all resource types, 1 remaining: Internal error occurred: cannot delete secrets',
    });
    const passes = () => api.requests.filter((r) => r === 'deletecollection secrets dev').length;
    const before = passes();
    sim.runFor(1_000);
    expect(passes()).toBeGreaterThan(before);
    api.refuseDeleteCollection.clear();
    sim.runFor(60_000);
    expect(api.namespace('dev')).toBeUndefined();
  });

  it('objects held by finalizers keep the namespace Terminating, reported in NamespaceFinalizersRemaining', () => {
    const { informers, sim, api } = setUp();
    api.put(terminating('dev'));
    api.put(configMap('held', 'dev', ['example.com/keep']));
    informers.start();
    sim.runFor(5_100);
    const ns = api.namespace('dev');
    expect(condition(ns, 'NamespaceFinalizersRemaining')).toMatchObject({
      status: 'True',
      reason: 'SomeFinalizersRemain',
      message: 'Some content in the namespace has finalizers remaining: example.com/keep in 1 resource instances',
    });
    expect(condition(ns, 'NamespaceContentRemaining')?.message).toBe('Some resources are remaining: configmaps. has 1 resource instances');
    api.releaseFinalizers();
    sim.runFor(20_000);
    expect(api.namespace('dev')).toBeUndefined();
  });
});

describe('deletionConditions (namespaceConditionUpdater)', () => {
  const clean: ContentDeletion = { failures: [], remaining: [], finalizers: {}, estimateSeconds: 0 };

  it('all five read False with their "all is well" reasons when a pass found nothing wrong', () => {
    expect(deletionConditions([], clean, 't1').map((c) => [c.type, c.status, c.reason])).toEqual([
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
      ['NamespaceContentRemaining', 'False', 'ContentRemoved'],
      ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers'],
    ]);
  });

  it('lists remaining resources sorted, as resource.group', () => {
    const deletion: ContentDeletion = {
      ...clean,
      remaining: [
        { info: findResource('replicasets')!, count: 1 },
        { info: findResource('pods')!, count: 3 },
      ],
    };
    expect(deletionConditions([], deletion, 't1').find((c) => c.type === 'NamespaceContentRemaining')?.message).toBe(
      'Some resources are remaining: pods. has 3 resource instances, replicasets.apps has 1 resource instances',
    );
  });

  it('a condition keeps its lastTransitionTime until its status flips', () => {
    const first = deletionConditions([], { ...clean, remaining: [{ info: findResource('pods')!, count: 2 }] }, 't1');
    const second = deletionConditions(first, { ...clean, remaining: [{ info: findResource('pods')!, count: 1 }] }, 't2');
    expect(second.find((c) => c.type === 'NamespaceContentRemaining')).toMatchObject({ lastTransitionTime: 't1', message: 'Some resources are remaining: pods. has 1 resource instances' });
    const third = deletionConditions(second, clean, 't3');
    expect(third.find((c) => c.type === 'NamespaceContentRemaining')).toMatchObject({ status: 'False', lastTransitionTime: 't3' });
    expect(third.find((c) => c.type === 'NamespaceDeletionDiscoveryFailure')?.lastTransitionTime).toBe('t1');
  });
});
