import type { ResourceInfo } from '../../api/resources';
import type { KubeObject } from '../../api/types';
import { sameJson } from '../codec';
import { defaultStrategy } from './default';
import { withGeneration } from './generation';
import type { ResourceStrategy } from './strategy';

/**
 * EndpointSlices: the default strategy with a generation that counts any change outside
 * metadata (an EndpointSlice has no spec: its endpoints and ports are top-level), and label
 * changes, as kube-apiserver's EndpointSlice strategy does:
 *
 *   PUT endpointslices/web-abc, an endpoint added   // => generation +1
 */
export function endpointSliceStrategy(info: ResourceInfo): ResourceStrategy {
  const withoutMeta = ({ metadata: _metadata, ...rest }: Readonly<KubeObject>) => rest;
  return withGeneration(defaultStrategy(info), (next, old) => !sameJson(withoutMeta(next), withoutMeta(old)) || !sameJson(next.metadata.labels, old.metadata.labels));
}
