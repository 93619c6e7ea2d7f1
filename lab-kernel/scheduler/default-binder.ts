import type { Status as ApiStatus } from '../api/status';
import type { Binding } from '../api/types';
import type { Client } from '../client/client';
import { error, success, type BindPlugin } from './framework-types';

/**
 * DefaultBinder (plugins/defaultbinder): binds a pod by POSTing a Binding to the API server's
 * pods/binding subresource. The scheduler never talks to a kubelet: the kubelet of the node
 * sees spec.nodeName change through its own watch and starts the pod.
 *
 *   POST /api/v1/namespaces/default/pods/web-x7k2p/binding
 *   { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web-x7k2p' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } }
 *   // 201 => Success; anything else => Error with the API server's message
 */
export const DEFAULT_BINDER = 'DefaultBinder';

export function defaultBinderPlugin(client: Client): BindPlugin {
  return {
    name: DEFAULT_BINDER,
    bind(_state, pod, nodeName, done) {
      const { name, namespace } = pod.metadata;
      const body: Binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } };
      client.request({ verb: 'create', resource: 'pods', subresource: 'binding', namespace, name, body }, (res) => {
        done(res.code === 201 ? success() : error((res.body as ApiStatus).message ?? `binding failed with code ${res.code}`));
      });
    },
  };
}
