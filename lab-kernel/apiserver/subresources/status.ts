import type { SubresourceHandler } from './subresource';

/**
 * The status subresource: through it only status changes, as through the main endpoint
 * everything but status does (the kind's strategy keeps it). Controllers and kubelets write
 * here; users write the spec.
 *
 *   PUT pods/web/status { spec: { nodeName: 'x' }, status: { phase: 'Running' } }
 *   // => status.phase Running; spec as stored
 */
export const statusSubresource: SubresourceHandler = {
  servedFor: (strategy) => strategy.info.hasStatus,
  verbs: ['get', 'update', 'patch'],
  update: (_call, old, body) => ({ ...old, status: body.status }),
};
