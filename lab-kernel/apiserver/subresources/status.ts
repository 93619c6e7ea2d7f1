import type { SubresourceHandler } from './subresource';

/**
 * The status subresource: through it only status changes, as through the main endpoint
 * everything but status does (the kind's strategy keeps it). Controllers and kubelets write
 * here; users write the spec.
 *
 *   PUT pods/web/status { spec: { nodeName: 'x' }, status: { phase: 'Running' } }
 *   // => status.phase Running; spec as stored
 *
 * A kind's strategy may take more through it (statusUpdate): a Deployment's annotations, as
 * kube-apiserver's deployment status strategy keeps only its spec and labels.
 */
export const statusSubresource: SubresourceHandler = {
  servedFor: (strategy) => strategy.info.hasStatus,
  verbs: ['get', 'update', 'patch'],
  update: ({ strategy }, old, body) => strategy.statusUpdate?.(old, body) ?? Object.assign({}, old, { status: body.status }),
};
