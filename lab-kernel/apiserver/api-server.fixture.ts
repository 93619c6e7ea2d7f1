import type { ApiRequest, ApiResponse } from '../api/request';
import type { KubeObject, Pod } from '../api/types';
import { Network } from '../sim/network';
import { Simulation } from '../sim/simulation';
import { MvccStore } from '../store/mvcc-store';
import { ApiServer } from './api-server';
import type { ApiServerOptions } from './pipeline';
import { LocalEtcd } from '../etcd/storage';

/**
 * For tests: an API server on an in-process etcd, bootstrapped, and `call` to send it a
 * request and get the answer at once.
 *
 *   const { call } = startApiServer();
 *   call({ verb: 'list', resource: 'pods' })   // => { code: 200, body: { kind: 'PodList', ... } }
 *   createInDefault(call, testPod('web'))      // => { code: 201, body: { kind: 'Pod', ... } }
 */
export function startApiServer(options: ApiServerOptions = {}) {
  const sim = new Simulation({ seed: 1 });
  const store = new MvccStore();
  const api = new ApiServer(sim, new Network(sim), new LocalEtcd(sim, store, 'kube-apiserver'), options);
  api.bootstrap();
  const call = (req: ApiRequest): ApiResponse => {
    let res: ApiResponse | undefined;
    api.serve('test', req, (r) => (res = r));
    if (res === undefined) throw new Error('no synchronous reply');
    return res;
  };
  return { sim, store, api, call };
}

/** A minimal valid pod labelled app=web, with `spec` fields added: testPod('web', { nodeName: 'node-1' }). */
export function testPod(name: string, spec: Partial<Pod['spec']> = {}, labels: Record<string, string> = { app: 'web' }): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], ...spec },
  };
}

/** POSTs `obj` to namespace default: createInDefault(call, testPod('web')) // => { code: 201, body: ... } */
export function createInDefault(call: (r: ApiRequest) => ApiResponse, obj: KubeObject, resource = 'pods'): ApiResponse {
  return call({ verb: 'create', resource, namespace: 'default', body: obj });
}
