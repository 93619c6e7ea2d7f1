import { describe, expect, it } from 'vitest';
import type { Container, Node, Pod } from '../api/types';
import { addPod, allocatableOf, nodeInfoFor, nonZeroRequests, podRequests, removePod } from './node-info';

const container = (name: string, requests?: Record<string, string>, hostPort?: number): Container => ({
  name,
  image: 'nginx',
  ...(requests ? { resources: { requests } } : {}),
  ...(hostPort ? { ports: [{ containerPort: 80, hostPort }] } : {}),
});

const pod = (name: string, containers: Container[], extra: Partial<Pod['spec']> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: { containers, ...extra },
});

const node: Node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'node-1' },
  spec: {},
  status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110', 'nvidia.com/gpu': '2' } },
};

describe('pod requests (resource.PodRequests)', () => {
  it('adds up the requests of the containers, which run together', () => {
    const r = podRequests(pod('p', [container('a', { cpu: '250m', memory: '64Mi' }), container('b', { cpu: '250m' })]));
    expect(r.milliCPU).toBe(500);
    expect(r.memory).toBe(64 * 1024 * 1024);
    expect(r.allowedPodNumber).toBe(1);
  });

  it('an init container larger than the sum of the containers raises the request to its own', () => {
    const containers = [container('a', { cpu: '100m' }), container('b', { cpu: '200m' })];
    expect(podRequests(pod('p', containers, { initContainers: [container('init', { cpu: '500m' })] })).milliCPU).toBe(500);
    expect(podRequests(pod('p', containers, { initContainers: [container('init', { cpu: '250m' })] })).milliCPU).toBe(300);
  });

  it("adds the pod's overhead on top of its containers", () => {
    const p = pod('p', [container('a', { cpu: '100m' })], { overhead: { cpu: '250m' } } as Partial<Pod['spec']>);
    expect(podRequests(p).milliCPU).toBe(350);
  });

  it('counts extended resources such as nvidia.com/gpu as scalar resources', () => {
    expect(podRequests(pod('p', [container('a', { 'nvidia.com/gpu': '1' })])).scalar).toEqual({ 'nvidia.com/gpu': 1 });
  });

  it('a container with no requests counts as 100m CPU and 200 MiB for scoring, but as zero for fitting', () => {
    const p = pod('p', [container('a')]);
    expect(podRequests(p).milliCPU).toBe(0);
    expect(nonZeroRequests(p)).toMatchObject({ milliCPU: 100, memory: 200 * 1024 * 1024 });
    expect(nonZeroRequests(pod('p', [container('a', { cpu: '0' })])).milliCPU).toBe(0);
  });
});

describe('node info', () => {
  it("reads what a node offers from status.allocatable", () => {
    expect(allocatableOf(node)).toEqual({ milliCPU: 4000, memory: 8 * 1024 ** 3, ephemeralStorage: 0, allowedPodNumber: 110, scalar: { 'nvidia.com/gpu': 2 } });
  });

  it('sums the pods on the node, their non-zero requests and their host ports', () => {
    const info = nodeInfoFor(node, [pod('a', [container('c', { cpu: '500m' }, 8080)]), pod('b', [container('c')])]);
    expect(info.requested.milliCPU).toBe(500);
    expect(info.nonZeroRequested.milliCPU).toBe(600);
    expect(info.requested.allowedPodNumber).toBe(2);
    expect([...info.usedPorts]).toEqual(['TCP/0.0.0.0/8080']);
  });

  it('reads image sizes from node.status.images', () => {
    const withImages = { ...node, status: { ...node.status, images: [{ names: ['nginx:1.27', 'docker.io/library/nginx:1.27'], sizeBytes: 70e6 }] } } as Node;
    expect(nodeInfoFor(withImages).imageSizes).toEqual({ 'nginx:1.27': 70e6, 'docker.io/library/nginx:1.27': 70e6 });
  });

  it('removing a pod undoes adding it', () => {
    const info = nodeInfoFor(node, [pod('a', [container('c', { cpu: '100m' })])]);
    const before = JSON.stringify({ ...info, usedPorts: [...info.usedPorts] });
    const b = pod('b', [container('c', { cpu: '300m', memory: '1Gi' }, 9090)]);
    addPod(info, b);
    expect(info.requested.milliCPU).toBe(400);
    expect(removePod(info, b)).toBe(true);
    expect(JSON.stringify({ ...info, usedPorts: [...info.usedPorts] })).toBe(before);
    expect(removePod(info, b)).toBe(false);
  });

  it('keeps the pods with required anti-affinity apart (PodsWithRequiredAntiAffinity), and forgets them when they go', () => {
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] } };
    const lonely = pod('lonely', [container('c')], { affinity: anti });
    const info = nodeInfoFor(node, [pod('a', [container('c')]), lonely, pod('b', [container('c')])]);
    expect(info.podsWithRequiredAntiAffinity.map((p) => p.pod.metadata.name)).toEqual(['lonely']);
    expect(removePod(info, pod('a', [container('c')]))).toBe(true);
    expect(info.podsWithRequiredAntiAffinity.map((p) => p.pod.metadata.name)).toEqual(['lonely']);
    expect(removePod(info, lonely)).toBe(true);
    expect(info.podsWithRequiredAntiAffinity).toEqual([]);
  });
});
