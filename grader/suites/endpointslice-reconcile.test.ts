/**
 * Grader suite for exercise `endpointslice-reconcile` (exercises/endpointslice/endpointslice-reconcile.ts).
 *
 * Part by part through reconcileSlices, on the cases of the Kubernetes docs (EndpointSlices:
 * conditions, distribution of EndpointSlices; Services: named ports) and of
 * k8s.io/endpointslice's own tests (reconciler_test.go, utils_test.go), then a whole cluster
 * whose EndpointSlice controller runs your decision on the docs' my-service.
 */
import { describe, expect, it } from 'vitest';
import type { SliceEndpoint } from '../../lab-kernel/api/types';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import type { EndpointSliceInput, EndpointSlicePlan, ExistingSlice, SlicePod, SlicePort } from '../../lab-kernel/controllers/endpointslice/endpointslice-contract';
import { MY_SERVICE, myAppDeployment, myAppPodIPs, slicesOf } from '../../lab-kernel/controllers/my-service.fixture';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const reconcileSlices = slotUnderTest('endpointslice-reconcile');

const P9376: SlicePort[] = [{ name: '', port: 9376, protocol: 'TCP' }];
/** A Running, Ready pod web-<i> with an IP, on node-1, its container serving port 9376 named http. */
function pod(i: number, extra: Partial<SlicePod> = {}): SlicePod {
  return { name: `web-${i}`, namespace: 'default', uid: `u${i}`, phase: 'Running', podIP: `10.244.${Math.floor(i / 200)}.${i % 200}`, ready: true, terminating: false, nodeName: 'node-1', containers: [{ ports: [{ name: 'http', containerPort: 9376 }] }], ...extra };
}
const pods = (n: number, from = 0) => Array.from({ length: n }, (_, i) => pod(from + i));
function input(parts: Partial<EndpointSliceInput> = {}): EndpointSliceInput {
  return { service: { ports: [{ port: 80, targetPort: 9376, protocol: 'TCP' }], publishNotReadyAddresses: false }, pods: [], nodes: [{ name: 'node-1', zone: 'zone-a' }], existing: [], maxEndpointsPerSlice: 100, ...parts };
}
/** The endpoint the reference makes of pod(i): to build existing slices with. */
function endpoint(i: number, conditions = { ready: true, serving: true, terminating: false }): SliceEndpoint {
  const p = pod(i);
  return { addresses: [p.podIP!], conditions, targetRef: { kind: 'Pod', namespace: 'default', name: p.name, uid: p.uid }, nodeName: 'node-1', zone: 'zone-a' };
}
function slice(name: string, endpointsOf: number[], extra: Partial<ExistingSlice> = {}): ExistingSlice {
  return { name, ports: P9376, endpoints: endpointsOf.map((i) => endpoint(i)), labelsChanged: false, ...extra };
}
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

/** A plan as lines: "create [9376] web-0 web-1", "update A 99", "delete B", "missing node-9". */
function said(plan: EndpointSlicePlan, detail = false): string[] {
  const names = (es: SliceEndpoint[]) => (detail ? es.map((e) => e.targetRef?.name).join(' ') : String(es.length));
  return [
    ...plan.create.map((c) => `create [${c.ports.map((p) => `${p.name ? p.name + ' ' : ''}${p.port}`).join(', ')}] ${names(c.endpoints)}`),
    ...plan.update.map((u) => `update ${u.name} ${names(u.endpoints)}`),
    ...plan.delete.map((d) => `delete ${d}`),
    ...plan.missingNodes.map((n) => `missing ${n}`),
  ];
}
const plan = (parts: Partial<EndpointSliceInput>, detail = false) => said(reconcileSlices(input(parts)), detail);
const onlyEndpoint = (parts: Partial<EndpointSliceInput>) => {
  const p = reconcileSlices(input(parts));
  expect(said(p, true), 'your plan').toHaveLength(1);
  return p.create[0]!.endpoints[0];
};

describe('Part 1: one pod, one endpoint (podToEndpoint)', () => {
  it('is a Ready pod a ready endpoint, with its IP, its pod, its node and its zone?', () => {
    expect(onlyEndpoint({ pods: [pod(0)] })).toEqual({ addresses: ['10.244.0.0'], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', namespace: 'default', name: 'web-0', uid: 'u0' }, nodeName: 'node-1', zone: 'zone-a' });
  });

  it('is a not-ready pod still an endpoint, with ready and serving false?', () => {
    expect(onlyEndpoint({ pods: [pod(0, { ready: false })] })?.conditions).toEqual({ ready: false, serving: false, terminating: false });
  });

  it('is a terminating pod an endpoint with ready false, serving as its readiness, terminating true?', () => {
    expect(onlyEndpoint({ pods: [pod(0, { terminating: true })] })?.conditions, 'Ready and terminating').toEqual({ ready: false, serving: true, terminating: true });
    expect(onlyEndpoint({ pods: [pod(0, { terminating: true, ready: false })] })?.conditions, 'not Ready and terminating').toEqual({ ready: false, serving: false, terminating: true });
  });

  it('does publishNotReadyAddresses make every pod ready, terminating or not?', () => {
    const service = { ports: [{ port: 80, targetPort: 9376 }], publishNotReadyAddresses: true };
    expect(onlyEndpoint({ service, pods: [pod(0, { ready: false })] })?.conditions, 'not Ready').toEqual({ ready: true, serving: false, terminating: false });
    expect(onlyEndpoint({ service, pods: [pod(0, { terminating: true })] })?.conditions, 'terminating').toEqual({ ready: true, serving: true, terminating: true });
  });

  it('does an endpoint carry the hostname it is given, and no zone when its node has none?', () => {
    const e = onlyEndpoint({ pods: [pod(0, { hostname: 'web-0' })], nodes: [{ name: 'node-1' }] });
    expect(e?.hostname).toBe('web-0');
    expect(e && 'zone' in e, 'a zone on an endpoint whose node has none').toBe(false);
  });
});

describe('Part 2: ports, a named targetPort resolved per pod (getEndpointPorts, FindPort)', () => {
  const named = (targetPort: string, protocol: 'TCP' | 'UDP' = 'TCP') => ({ ports: [{ name: 'web', port: 80, targetPort, protocol }], publishNotReadyAddresses: false });

  it('takes a numeric targetPort as it is, and the port itself when targetPort is not set?', () => {
    expect(plan({ pods: [pod(0)] })).toEqual(['create [9376] 1']);
    expect(plan({ service: { ports: [{ name: 'web', port: 8080 }], publishNotReadyAddresses: false }, pods: [pod(0)] })).toEqual(['create [web 8080] 1']);
  });

  it('resolves a named targetPort in each pod, pods without that port left out of the port (a slice of their own, without it)?', () => {
    const noHttp = pod(2, { containers: [{ ports: [] }] });
    expect(plan({ service: named('http'), pods: [pod(0), pod(1), noHttp] }, true)).toEqual(['create [web 9376] web-0 web-1', 'create [] web-2']);
  });

  it('puts two pods offering the port under different numbers into different slices?', () => {
    const other = pod(1, { containers: [{ ports: [{ name: 'http', containerPort: 8080 }] }] });
    expect(plan({ service: named('http'), pods: [pod(0), other, pod(2)] }, true)).toEqual(['create [web 9376] web-0 web-2', 'create [web 8080] web-1']);
  });

  it("looks for the name in every container, not only the first?", () => {
    const sidecar = pod(0, { containers: [{ ports: [{ name: 'metrics', containerPort: 9100 }] }, { ports: [{ name: 'http', containerPort: 8080 }] }] });
    expect(plan({ service: named('http'), pods: [sidecar] })).toEqual(['create [web 8080] 1']);
  });

  it('matches the protocol too (a container port defaults to TCP)?', () => {
    const dns = pod(0, { containers: [{ ports: [{ name: 'dns', containerPort: 53 }, { name: 'dns-udp', containerPort: 5353, protocol: 'UDP' }] }] });
    expect(plan({ service: named('dns', 'UDP'), pods: [dns] }), 'dns is TCP only').toEqual(['create [] 1']);
    expect(plan({ service: named('dns-udp', 'UDP'), pods: [dns] })).toEqual(['create [web 5353] 1']);
  });

  it('keeps the Service ports in order, each with its name and protocol?', () => {
    const service = { ports: [{ name: 'https', port: 443, targetPort: 9377 }, { name: 'http', port: 80, targetPort: 9376, protocol: 'TCP' as const }], publishNotReadyAddresses: false };
    expect(reconcileSlices(input({ service, pods: [pod(0)] })).create[0]?.ports).toEqual([{ name: 'https', port: 9377, protocol: 'TCP' }, { name: 'http', port: 9376, protocol: 'TCP' }]);
  });
});

describe('Part 3: which pods are endpoints', () => {
  it('leaves out finished pods and pods without an IP, and keeps terminating ones?', () => {
    const finished = [pod(1, { phase: 'Succeeded' }), pod(2, { phase: 'Failed' }), pod(3, { phase: 'Pending', podIP: undefined })];
    expect(plan({ pods: [pod(0), ...finished, pod(4, { terminating: true })] }, true)).toEqual(['create [9376] web-0 web-4']);
  });

  it('leaves out a pod on a node it does not know, and names the node; keeps it with publishNotReadyAddresses?', () => {
    expect(plan({ pods: [pod(0), pod(1, { nodeName: 'node-9' })] }, true)).toEqual(['create [9376] web-0', 'missing node-9']);
    const service = { ports: [{ port: 80, targetPort: 9376 }], publishNotReadyAddresses: true };
    const kept = reconcileSlices(input({ service, pods: [pod(1, { nodeName: 'node-9' })] }));
    expect(said(kept, true)).toEqual(['create [9376] web-1']);
    expect(kept.create[0]?.endpoints[0]).toMatchObject({ nodeName: 'node-9' });
  });
});

describe('Part 4: slices of at most 100, changed as little as can be (reconcileByPortMapping)', () => {
  const three = () => [slice('A', range(0, 100)), slice('B', range(100, 100)), slice('C', range(200, 50))];

  it('puts 250 pods into 3 new slices: 100, 100, 50?', () => {
    expect(plan({ pods: pods(250) })).toEqual(['create [9376] 100', 'create [9376] 100', 'create [9376] 50']);
  });

  it('puts exactly 100 pods into one slice, and 101 into two?', () => {
    expect(plan({ pods: pods(100) })).toEqual(['create [9376] 100']);
    expect(plan({ pods: pods(101) })).toEqual(['create [9376] 100', 'create [9376] 1']);
  });

  it('does nothing when the slices already hold every pod as it is?', () => {
    expect(plan({ pods: pods(250), existing: three() })).toEqual([]);
  });

  it('updates only the slice a removed pod was in, creating none?', () => {
    expect(plan({ pods: pods(250).filter((p) => p.name !== 'web-120'), existing: three() })).toEqual(['update B 99']);
  });

  it('updates a slice whose pod changed state (not Ready any more), with the new conditions?', () => {
    const p = reconcileSlices(input({ pods: pods(250).map((x) => (x.name === 'web-7' ? { ...x, ready: false } : x)), existing: three() }));
    expect(said(p)).toEqual(['update A 100']);
    expect(p.update[0]!.endpoints.find((e) => e.targetRef?.name === 'web-7')?.conditions).toEqual({ ready: false, serving: false, terminating: false });
  });

  it('puts a new pod into the slice being updated anyway (one pod swapped: one write)?', () => {
    expect(plan({ pods: [...pods(250).filter((p) => p.name !== 'web-120'), pod(300)], existing: three() })).toEqual(['update B 100']);
  });

  it('fills the fullest of the slices being updated first?', () => {
    const existing = [slice('A', range(0, 50)), slice('B', range(50, 90))];
    const keep = [...range(0, 49), ...range(50, 89)].map((i) => pod(i));
    expect(plan({ pods: [...keep, ...pods(12, 300)], existing })).toEqual(['update A 50', 'update B 100']);
  });

  it('puts new pods into the unchanged slice they fit in most nearly, rather than a new slice?', () => {
    const existing = [slice('A', range(0, 50)), slice('B', range(50, 70))];
    expect(plan({ pods: [...pods(120), ...pods(25, 300)], existing })).toEqual(['update B 95']);
  });

  it('makes a new slice for new pods that fit in no unchanged slice?', () => {
    expect(plan({ pods: [...pods(250), ...pods(60, 300)], existing: three() })).toEqual(['create [9376] 60']);
  });

  it('deletes a slice whose pods are all gone?', () => {
    expect(plan({ pods: [...range(0, 100), ...range(200, 50)].map((i) => pod(i)), existing: three() })).toEqual(['delete B']);
  });

  it('updates a slice whose labels changed, and fills it first?', () => {
    const existing = [slice('A', range(0, 100)), slice('B', range(100, 10), { labelsChanged: true }), slice('C', range(200, 50))];
    expect(plan({ pods: [...pods(110), ...pods(50, 200), pod(300)], existing })).toEqual(['update B 11']);
  });

  it('deletes the slices of ports no pod offers any more, and makes slices of the new ones?', () => {
    const moved = pods(3).map((p) => ({ ...p, containers: [{ ports: [{ name: 'http', containerPort: 8080 }] }] }));
    const service = { ports: [{ port: 80, targetPort: 'http' }], publishNotReadyAddresses: false };
    expect(plan({ service, pods: moved, existing: [slice('A', range(0, 3))] })).toEqual(['create [8080] 3', 'delete A']);
  });
});

describe('Part 5: the placeholder', () => {
  it('gives a Service with no pods one empty slice?', () => {
    expect(reconcileSlices(input({ pods: [] })).create).toEqual([{ ports: [], endpoints: [] }]);
  });

  it('keeps that empty slice, and does nothing more, while there are still no pods?', () => {
    expect(plan({ existing: [{ name: 'P', ports: [], endpoints: [], labelsChanged: false }] })).toEqual([]);
  });

  it('replaces the last slice with a placeholder when the last pod goes?', () => {
    expect(plan({ existing: [slice('A', [0])] })).toEqual(['create [] 0', 'delete A']);
  });

  it('writes a placeholder whose labels changed anew, and uses an empty slice for the first pods?', () => {
    expect(plan({ existing: [{ name: 'P', ports: [], endpoints: [], labelsChanged: true }] })).toEqual(['create [] 0', 'delete P']);
    expect(plan({ pods: pods(2), existing: [{ name: 'P', ports: [], endpoints: [], labelsChanged: false }] })).toEqual(['create [9376] 2', 'delete P']);
  });
});

describe(`Part 6: a whole cluster running your EndpointSlice decision (seed ${SEED})`, () => {
  it("lists my-app's pods by a named targetPort in my-service's slice, follows a scale-down, and kubectl shows it", () => {
    const cluster = createCluster({ seed: SEED, use: { 'endpointslice-reconcile': SOURCE } });
    // The docs' my-service, its targetPort named (the pods call port 9376 http).
    cluster.apply(myAppDeployment(3) + MY_SERVICE.replace('targetPort: 9376', 'targetPort: http'));
    const said = () => {
      const last = [...cluster.trace.all()].reverse().find((e) => e.kind === 'error' && e.actor === 'kube-controller-manager');
      return `; slices ${JSON.stringify(slicesOf(cluster, 'my-service').map((s) => [s.ports, s.endpoints.map((e) => [e.addresses[0], e.conditions])]))}${last ? `; the controller last said: ${last.summary}` : ''}`;
    };
    const readyIPs = () => slicesOf(cluster, 'my-service').flatMap((s) => s.endpoints.filter((e) => e.conditions?.ready).map((e) => e.addresses[0]!)).sort();
    expect(cluster.runUntil(() => myAppPodIPs(cluster).length === 3 && readyIPs().join() === myAppPodIPs(cluster).join(), 60_000), `3 ready endpoints within 60 s${said()}`).toBe(true);
    expect(slicesOf(cluster, 'my-service').map((s) => s.ports), `one slice, port 9376${said()}`).toEqual([[{ name: '', port: 9376, protocol: 'TCP' }]]);
    const table = cluster.kubectl.get('endpointslices');
    expect(table.rows.map((r) => [r[1], r[2], r[3]!.split(',').sort().join()]), 'kubectl get endpointslices: ADDRESSTYPE, PORTS, ENDPOINTS (sorted)').toEqual([['IPv4', '9376', myAppPodIPs(cluster).join()]]);
    cluster.kubectl.scale('deployment', 'my-app', 1);
    expect(cluster.runUntil(() => myAppPodIPs(cluster).length === 1 && readyIPs().join() === myAppPodIPs(cluster).join() && slicesOf(cluster, 'my-service')[0]!.endpoints.length === 1, 60_000), `1 endpoint left within 60 s${said()}`).toBe(true);
    expect(slicesOf(cluster, 'my-service'), `still one slice${said()}`).toHaveLength(1);
  });
});
