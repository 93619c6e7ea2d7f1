import type { ResourceInfo } from '../../api/resources';
import { defaultStrategy } from './default';
import type { ResourceStrategy } from './strategy';

/**
 * Nodes: the default strategy, except that a new Node keeps the status it was sent, as
 * kube-apiserver lets a kubelet register its node with its status in one go:
 *
 *   POST nodes { metadata: { name: 'node-1' }, status: { capacity: { cpu: '4' } } }
 *   // => stored with status.capacity.cpu '4' (a new Pod's status would be dropped)
 */
export function nodeStrategy(info: ResourceInfo): ResourceStrategy {
  return Object.assign({}, defaultStrategy(info), {
    prepareForCreate() {},
  } satisfies Partial<ResourceStrategy>);
}
