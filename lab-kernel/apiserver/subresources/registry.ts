import type { Subresource } from '../../api/request';
import { bindingSubresource } from './binding';
import { execSubresource } from './exec';
import { finalizeSubresource } from './finalize';
import { logSubresource } from './log';
import { portForwardSubresource } from './portforward';
import { proxySubresource } from './proxy';
import { scaleSubresource } from './scale';
import { statusSubresource } from './status';
import type { SubresourceHandler } from './subresource';

/**
 * The subresources the API server serves, by name. What one does for a given kind, or
 * whether that kind has it at all, is the kind's strategy's to say (strategies/):
 *
 *   SUBRESOURCES.binding   // pods: set spec.nodeName; other kinds: 404
 *   SUBRESOURCES.scale     // deployments, replicasets, statefulsets, replicationcontrollers: a Scale; other kinds: 404
 */
export const SUBRESOURCES: Readonly<Partial<Record<Subresource, SubresourceHandler>>> = {
  status: statusSubresource,
  binding: bindingSubresource,
  log: logSubresource,
  exec: execSubresource,
  portforward: portForwardSubresource,
  finalize: finalizeSubresource,
  proxy: proxySubresource,
  scale: scaleSubresource,
};
