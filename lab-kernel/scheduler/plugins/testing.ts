import type { Container, Node, Pod, PodSpec } from '../../api/types';
import type { Handle, NodeInfo } from '../framework-types';

/**
 * Small builders for the plugins' tests: a pod, a node, and a Handle whose snapshot holds
 * the given node infos.
 *
 *   testPod('web', { labels: { app: 'web' } }, { priority: 10 })
 *   testNode('node-1', { labels: { zone: 'a' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } })
 *   testHandle([nodeInfoFor(node1), nodeInfoFor(node2)]).snapshot().get('node-1')
 */
export function testPod(name: string, meta: { labels?: Record<string, string>; namespace?: string } = {}, spec: Partial<PodSpec> = {}, containers?: Container[]): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: meta.namespace ?? 'default', uid: `uid-${name}`, ...(meta.labels ? { labels: meta.labels } : {}) },
    spec: { containers: containers ?? [{ name: 'app', image: 'nginx:1.27' }], ...spec },
  };
}

export function testNode(name: string, options: { labels?: Record<string, string>; allocatable?: Record<string, string>; spec?: Node['spec']; images?: { names: string[]; sizeBytes: number }[] } = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...options.labels } },
    spec: options.spec ?? {},
    status: { allocatable: options.allocatable ?? { cpu: '4', memory: '8Gi', pods: '110' }, ...(options.images ? { images: options.images } : {}) } as Node['status'],
  };
}

export function testHandle(infos: NodeInfo[]): Handle {
  const byName = new Map(infos.map((i) => [i.node.metadata.name!, i]));
  return { snapshot: () => ({ nodeInfos: () => infos, get: (name) => byName.get(name) }) };
}
