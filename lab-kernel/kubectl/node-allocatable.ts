import type { Node } from '../api/types';
import type { Kubectl } from './kubectl';

/**
 * Gives a node more (or less) of some resources, the way its kubelet reports a resize: the
 * node's status, capacity and allocatable alike, written through the `nodes/status`
 * subresource (an update, as a kubelet sends it). For the scheduler this is a Node update
 * with the UpdateNodeAllocatable action.
 *
 *   setAllocatable(kubectl, 'node-1', { cpu: '8' })
 *   // => 'node/node-1 status updated: allocatable cpu 4 -> 8'
 *
 * Resources not named keep their values. The lab's kubelets send no heartbeats, so the new
 * values stay until the next call.
 */
export function setAllocatable(kubectl: Pick<Kubectl, 'getObjects' | 'request'>, node: string, resources: Readonly<Record<string, string>>): string {
  const [n] = kubectl.getObjects<Node>('nodes', node);
  const before = n.status?.allocatable ?? {};
  const status = Object.assign({}, n.status, { capacity: Object.assign({}, n.status?.capacity, resources), allocatable: Object.assign({}, before, resources) });
  const res = kubectl.request({ verb: 'update', resource: 'nodes', name: node, subresource: 'status', body: Object.assign({}, n, { status }) });
  if (res.code >= 300) throw new Error(`updating the status of node ${node}: ${res.code}`);
  const changes = Object.entries(resources).map(([name, value]) => `${name} ${before[name] ?? '(none)'} -> ${value}`);
  return `node/${node} status updated: allocatable ${changes.join(', ')}`;
}
