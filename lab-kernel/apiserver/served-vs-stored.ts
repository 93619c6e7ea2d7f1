import type { ApiResponse } from '../api/request';
import type { KubeObject } from '../api/types';
import type { KeyValue } from '../store/mvcc-store';

/**
 * What the API server answered about an object, next to what etcd holds under its key: the
 * answer's resourceVersion is the key's modRevision, written as a string, and the stored JSON
 * carries no resourceVersion at all (the API server strips it on the way in, fills it in on
 * the way out).
 *
 *   servedVsStored(kubectl.request({ verb: 'create', resource: 'namespaces', body: ... }), cluster.etcd.get('/registry/namespaces/demo'))
 *   // => { 'HTTP code': 201, 'API: resourceVersion': '62', 'etcd: modRevision': 62, 'etcd: version': 1,
 *   //      'stored JSON mentions resourceVersion': false }
 */
export interface ServedVsStored {
  'HTTP code': number;
  'API: resourceVersion': string | undefined;
  'etcd: modRevision': number | undefined;
  'etcd: version': number | undefined;
  'stored JSON mentions resourceVersion': boolean | undefined;
}

export function servedVsStored(res: ApiResponse, stored: KeyValue | undefined): ServedVsStored {
  return {
    'HTTP code': res.code,
    'API: resourceVersion': (res.body as Partial<KubeObject> | undefined)?.metadata?.resourceVersion,
    'etcd: modRevision': stored?.modRevision,
    'etcd: version': stored?.version,
    'stored JSON mentions resourceVersion': stored?.value.includes('resourceVersion'),
  };
}
