import { describe, expect, it } from 'vitest';
import type { EndpointSlice, Node, Pod, Service } from '../../api/types';
import { reconcileSlices } from '../../../solutions/endpointslice/endpointslice-reconcile';
import { planSlices as plan } from './reconciler';

const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default', uid: 'svc-uid' }, spec: { selector: { app: 'web' }, clusterIP: '10.96.3.4', ports: [{ port: 80, targetPort: 9376, protocol: 'TCP' }] } };
const node: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: {} } as Node;
const nodes = (name: string) => (name === 'node-1' ? node : undefined);
const pod = (i: number, nodeName = 'node-1'): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `web-${i}`, namespace: 'default', uid: `uid-${i}`, labels: { app: 'web' } },
  spec: { nodeName, containers: [{ name: 'app', image: 'nginx' }] },
  status: { phase: 'Running', podIP: `10.244.${Math.floor(i / 250)}.${i % 250}`, conditions: [{ type: 'Ready', status: 'True' }] },
});
const planSlices = (...args: [Service, Pod[], EndpointSlice[], typeof nodes, number]) => plan(...args, reconcileSlices);
const pods = (n: number) => Array.from({ length: n }, (_, i) => pod(i));
/** The plan's slices as the API server would store them: named, with a uid. */
const stored = (slices: EndpointSlice[]) => slices.map((s, i) => ({ ...s, metadata: { ...s.metadata, name: `web-${i}`, uid: `slice-${i}`, generation: 1 } }));

/** The reconciler around the reference decision (exercise endpointslice-reconcile); the grader's suite has the decision's cases. */
describe('planning EndpointSlices (the reconciler)', () => {
  it('puts 250 endpoints into new slices of 100, 100 and 50', () => {
    const plan = planSlices(svc, pods(250), [], nodes, 100);
    expect(plan.create.map((s) => s.endpoints.length)).toEqual([100, 100, 50]);
    expect([plan.update, plan.delete]).toEqual([[], []]);
  });

  it('changes only the slice a deleted pod was in, and fills the fullest slice being updated with a new pod', () => {
    const existing = stored(planSlices(svc, pods(250), [], nodes, 100).create);
    const gone = planSlices(svc, pods(250).filter((p) => p.metadata.name !== 'web-120'), existing, nodes, 100);
    expect([gone.create.length, gone.update.map((s) => [s.metadata.name, s.endpoints.length]), gone.delete.length]).toEqual([0, [['web-1', 99]], 0]);
    const swapped = planSlices(svc, [...pods(250).filter((p) => p.metadata.name !== 'web-120'), pod(300)], existing, nodes, 100);
    expect(swapped.update.map((s) => [s.metadata.name, s.endpoints.length])).toEqual([['web-1', 100]]);
    expect(planSlices(svc, pods(250), existing, nodes, 100)).toEqual({ create: [], update: [], delete: [], missingNodes: [] });
  });

  it('keeps one empty placeholder slice when no pod is selected, and turns a create plus a delete into one update', () => {
    const placeholder = planSlices(svc, [], [], nodes, 100);
    expect(placeholder.create.map((s) => [s.ports, s.endpoints])).toEqual([[[], []]]);
    const existing = stored(placeholder.create);
    expect(planSlices(svc, [], existing, nodes, 100)).toEqual({ create: [], update: [], delete: [], missingNodes: [] });
    const filled = planSlices(svc, pods(2), existing, nodes, 100);
    expect([filled.create.length, filled.delete.length, filled.update.map((s) => [s.metadata.name, s.ports, s.endpoints.length])]).toEqual([0, 0, [['web-0', [{ name: '', port: 9376, protocol: 'TCP' }], 2]]]);
  });

  it('leaves out a pod on a node the cache does not know, and names the node', () => {
    const plan = planSlices(svc, [pod(1), pod(2, 'node-9')], [], nodes, 100);
    expect(plan.create[0]!.endpoints.map((e) => e.targetRef?.name)).toEqual(['web-1']);
    expect(plan.missingNodes).toEqual(['node-9']);
  });

  it('makes serving the Ready condition and terminating the deletion, ready only when serving and not terminating, or every pod ready with publishNotReadyAddresses', () => {
    const notReady: Pod = { ...pod(1), status: { ...pod(1).status, conditions: [{ type: 'Ready', status: 'False' }] } };
    const terminating: Pod = { ...pod(2), metadata: { ...pod(2).metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
    const conditions = (service: Service) => planSlices(service, [pod(0), notReady, terminating], [], nodes, 100).create[0]!.endpoints.map((e) => [e.targetRef?.name, e.conditions]);
    expect(conditions(svc)).toEqual([
      ['web-0', { ready: true, serving: true, terminating: false }],
      ['web-1', { ready: false, serving: false, terminating: false }],
      ['web-2', { ready: false, serving: true, terminating: true }],
    ]);
    const publishing = { ...svc, spec: { ...svc.spec, publishNotReadyAddresses: true } };
    expect(conditions(publishing).map(([, c]) => (c as { ready: boolean }).ready)).toEqual([true, true, true]);
  });

  it('looks a named targetPort up in every container of each pod, and puts pods offering it under different numbers into different slices', () => {
    const named = { ...svc, spec: { ...svc.spec, ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' as const }] } };
    const withPort = (i: number, port: number): Pod => ({ ...pod(i), spec: { ...pod(i).spec, containers: [{ name: 'side', image: 'busybox' }, { name: 'app', image: 'nginx', ports: [{ name: 'http', containerPort: port }] }] } });
    const plan = planSlices(named, [withPort(0, 8080), withPort(1, 9090), withPort(2, 8080)], [], nodes, 100);
    expect(plan.create.map((s) => [(s.ports ?? []).map((p) => p.port), s.endpoints.map((e) => e.targetRef?.name)])).toEqual([
      [[8080], ['web-0', 'web-2']],
      [[9090], ['web-1']],
    ]);
  });

  it('keeps a pod on an unknown node when the Service publishes not-ready addresses', () => {
    const publishing = { ...svc, spec: { ...svc.spec, publishNotReadyAddresses: true } };
    const plan = planSlices(publishing, [pod(1), pod(2, 'node-9')], [], nodes, 100);
    expect([plan.create[0]!.endpoints.map((e) => e.targetRef?.name), plan.missingNodes]).toEqual([['web-1', 'web-2'], []]);
  });

  it('puts new endpoints into the unchanged slice they fill most nearly, rather than into a new slice', () => {
    const existing = stored(planSlices(svc, pods(150), [], nodes, 100).create); // 100 and 50
    const more = planSlices(svc, [...pods(150), pod(200), pod(201)], existing, nodes, 100);
    expect([more.create.length, more.update.map((s) => [s.metadata.name, s.endpoints.length])]).toEqual([0, [['web-1', 52]]]);
  });
});
