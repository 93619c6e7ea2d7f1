import { Network } from '../sim/network';
import { Simulation } from '../sim/simulation';
import { MvccStore } from '../store/mvcc-store';
import { ApiServer } from './api-server';
import type { ApiServerOptions } from './pipeline';
import type { ApiRequest, ApiResponse } from '../api/request';
import { LocalEtcd } from './storage';

/**
 * For tests: an API server on an in-process etcd, bootstrapped, and `call` to send it a
 * request and get the answer at once.
 *
 *   const { call } = startApiServer();
 *   call({ verb: 'list', resource: 'pods' })   // => { code: 200, body: { kind: 'PodList', ... } }
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
