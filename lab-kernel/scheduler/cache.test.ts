import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../api/types';
import { SchedulerCache } from './cache';

function node(name: string, cpu = '4'): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {}, status: { allocatable: { cpu, memory: '8Gi', pods: '110' } } };
}

function pod(name: string, nodeName?: string, cpu = '500m'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu } } }], ...(nodeName ? { nodeName } : {}) },
  };
}

const onNode = (p: Pod, nodeName: string): Pod => ({ ...p, spec: { ...p.spec, nodeName } });

describe('scheduler cache (assume, forget, snapshot)', () => {
  it('an assumed pod counts on its node before it is bound', () => {
    const cache = new SchedulerCache();
    cache.addNode(node('node-1'));
    cache.assumePod(onNode(pod('web'), 'node-1'));
    expect(cache.isAssumed('default/web')).toBe(true);
    expect(cache.updateSnapshot().get('node-1')!.requested.milliCPU).toBe(500);
  });

  it('forgetting an assumed pod (binding failed) gives its room back', () => {
    const cache = new SchedulerCache();
    cache.addNode(node('node-1'));
    const web = onNode(pod('web'), 'node-1');
    cache.assumePod(web);
    cache.forgetPod(web);
    expect(cache.isAssumed('default/web')).toBe(false);
    expect(cache.updateSnapshot().get('node-1')!.requested.milliCPU).toBe(0);
  });

  it('the informer delivering the bound pod confirms the assumption without counting it twice', () => {
    const cache = new SchedulerCache();
    cache.addNode(node('node-1'));
    cache.assumePod(onNode(pod('web'), 'node-1'));
    cache.addPod(pod('web', 'node-1'));
    expect(cache.isAssumed('default/web')).toBe(false);
    const info = cache.updateSnapshot().get('node-1')!;
    expect(info.pods).toHaveLength(1);
    expect(info.requested.milliCPU).toBe(500);
    cache.forgetPod(pod('web', 'node-1'));
    expect(cache.updateSnapshot().get('node-1')!.pods, 'a confirmed pod is not forgotten').toHaveLength(1);
  });

  it('a snapshot does not change when the cache does, until the next updateSnapshot', () => {
    const cache = new SchedulerCache();
    cache.addNode(node('node-1'));
    const before = cache.updateSnapshot().get('node-1')!;
    cache.addPod(pod('a', 'node-1'));
    expect(before.requested.milliCPU).toBe(0);
    expect(cache.updateSnapshot().get('node-1')!.requested.milliCPU).toBe(500);
  });

  it('updates the snapshot incrementally: unchanged nodes keep the same copy', () => {
    const cache = new SchedulerCache();
    for (let i = 0; i < 50; i++) cache.addNode(node(`node-${i}`));
    const first = [...cache.updateSnapshot().nodeInfos()];
    cache.assumePod(onNode(pod('web'), 'node-7'));
    const second = cache.updateSnapshot().nodeInfos();
    expect(second).toHaveLength(50);
    const recopied = second.filter((info, i) => info !== first[i]).map((i) => i.node.metadata.name);
    expect(recopied).toEqual(['node-7']);
  });

  it('pods bound to a node the cache has not seen yet count once the node arrives; a removed node leaves the snapshot', () => {
    const cache = new SchedulerCache();
    cache.addPod(pod('early', 'node-9'));
    expect(cache.updateSnapshot().nodeInfos()).toHaveLength(0);
    cache.addNode(node('node-9'));
    expect(cache.updateSnapshot().get('node-9')!.pods).toHaveLength(1);
    cache.removeNode(node('node-9'));
    expect(cache.updateSnapshot().nodeInfos()).toHaveLength(0);
    expect(cache.nodeCount()).toBe(0);
  });

  it('a deleted pod frees its node', () => {
    const cache = new SchedulerCache();
    cache.addNode(node('node-1'));
    cache.addPod(pod('a', 'node-1'));
    cache.removePod(pod('a', 'node-1'));
    expect(cache.updateSnapshot().get('node-1')!.pods).toHaveLength(0);
  });

  it('keeps count of the nodes holding each image as nodes come, change their images and go', () => {
    const withImages = (name: string, ...images: string[]): Node => Object.assign(node(name), { status: Object.assign({}, node(name).status, { images: [{ names: images, sizeBytes: 100 }] }) });
    const cache = new SchedulerCache();
    cache.addNode(withImages('node-1', 'nginx:1.27', 'redis:7'));
    cache.addNode(withImages('node-2', 'nginx:1.27'));
    let snap = cache.updateSnapshot();
    expect([snap.nodesWithImage('nginx:1.27'), snap.nodesWithImage('redis:7'), snap.nodesWithImage('busybox:1.36')]).toEqual([2, 1, 0]);
    cache.updateNode(withImages('node-1', 'busybox:1.36'));
    cache.addPod(pod('a', 'node-2'));
    snap = cache.updateSnapshot();
    expect([snap.nodesWithImage('nginx:1.27'), snap.nodesWithImage('redis:7'), snap.nodesWithImage('busybox:1.36')], 'node-1 pulled busybox and dropped the rest').toEqual([1, 0, 1]);
    cache.removeNode(withImages('node-2', 'nginx:1.27'));
    expect(cache.updateSnapshot().nodesWithImage('nginx:1.27')).toBe(0);
  });

  it('lists the nodes holding a pod with required anti-affinity, in node order, as such pods come and go', () => {
    const anti = (name: string, nodeName: string): Pod => {
      const p = pod(name, nodeName);
      return Object.assign(p, { spec: Object.assign({}, p.spec, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] } } }) });
    };
    const cache = new SchedulerCache();
    for (const n of ['node-1', 'node-2', 'node-3']) cache.addNode(node(n));
    const names = () => cache.updateSnapshot().havePodsWithRequiredAntiAffinity().map((i) => i.node.metadata.name);
    expect(names()).toEqual([]);
    cache.addPod(anti('x', 'node-3'));
    cache.addPod(pod('plain', 'node-2'));
    cache.addPod(anti('y', 'node-1'));
    expect(names()).toEqual(['node-1', 'node-3']);
    cache.addPod(pod('more', 'node-3'));
    const snap = cache.updateSnapshot();
    expect(snap.havePodsWithRequiredAntiAffinity()[1], 'the listed node is the snapshot copy of now').toBe(snap.get('node-3'));
    cache.removePod(anti('y', 'node-1'));
    expect(names()).toEqual(['node-3']);
  });
});
