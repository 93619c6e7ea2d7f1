import { apiVersionOf, findResource } from '../api/resources';
import type { HorizontalPodAutoscaler, KubeObject } from '../api/types';
import { checked, KubectlError, type Send } from './kubectl-error';

/**
 * `kubectl autoscale deployment/<name> --min=2 --max=10 --cpu-percent=80` (kubectl 1.32:
 * cmd/autoscale/autoscale.go). kubectl 1.32 reads the target, checks that its kind has a scale
 * subresource, and creates an autoscaling/v1 HorizontalPodAutoscaler named after it (--name to
 * choose another): spec.scaleTargetRef, maxReplicas, minReplicas when --min is above 0,
 * targetCPUUtilizationPercentage when --cpu-percent is given (later kubectl releases create
 * autoscaling/v2 objects instead).
 *
 *   autoscalingV1Hpa({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, { min: 2, max: 10, cpuPercent: 80 })
 *   // => { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
 *   //      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 10,
 *   //              minReplicas: 2, targetCPUUtilizationPercentage: 80 } }
 *   autoscale(send, 'deployment', 'web', { min: 2, max: 10, cpuPercent: 80 })
 *   // => 'horizontalpodautoscaler.autoscaling/web autoscaled'
 *   autoscale(send, 'deployment', 'web', { max: 0 })   // throws 'error: --max=MAXPODS is required and must be at least 1, max: 0'
 *
 * The lab's API server serves HorizontalPodAutoscalers as autoscaling/v2 only, so the v1 object
 * goes through the conversion kube-apiserver applies to it (hpaV1ToV2: the CPU percentage
 * becomes a Resource metric on cpu, Utilization) before it is sent.
 */
export interface AutoscaleOptions {
  namespace?: string;
  /** --name: the HPA's name (default: the target's). */
  name?: string;
  /** --min (default -1: unset). */
  min?: number;
  /** --max: required, at least 1. */
  max: number;
  /** --cpu-percent (default -1: unset, the server's default of 80% applies). */
  cpuPercent?: number;
}

export interface HorizontalPodAutoscalerV1 extends KubeObject {
  spec: {
    scaleTargetRef: { apiVersion: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
    targetCPUUtilizationPercentage?: number;
  };
}

/** Kinds whose scale subresource the lab serves (what kubectl's scale-kind discovery finds). */
const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

export function autoscale(send: Send, resource: string, name: string, options: AutoscaleOptions): string {
  if (options.max < 1) throw new KubectlError(`error: --max=MAXPODS is required and must be at least 1, max: ${options.max}`);
  if (options.max < (options.min ?? -1)) throw new KubectlError(`error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: ${options.max}, min: ${options.min}`);
  const info = findResource(resource);
  if (info === undefined) throw new KubectlError(`error: the server doesn't have a resource type "${resource}"`);
  const namespace = options.namespace ?? 'default';
  checked(send({ verb: 'get', resource: info.resource, namespace, name }));
  if (!SCALABLE.has(info.kind)) throw new KubectlError(`error: cannot autoscale a ${info.kind}: could not find scale subresource for ${info.group}/${info.version}, Resource=${info.resource} in discovery information`);
  const hpa = autoscalingV1Hpa({ apiVersion: apiVersionOf(info), kind: info.kind, name }, options);
  const created = checked(send({ verb: 'create', resource: 'horizontalpodautoscalers', namespace, body: hpaV1ToV2(hpa) })).body as KubeObject;
  return `horizontalpodautoscaler.autoscaling/${created.metadata.name} autoscaled`;
}

/** createHorizontalPodAutoscaler: the object kubectl 1.32 sends. */
export function autoscalingV1Hpa(target: { apiVersion: string; kind: string; name: string }, options: AutoscaleOptions): HorizontalPodAutoscalerV1 {
  const spec: HorizontalPodAutoscalerV1['spec'] = { scaleTargetRef: { ...target }, maxReplicas: options.max };
  if ((options.min ?? -1) > 0) spec.minReplicas = options.min;
  if ((options.cpuPercent ?? -1) >= 0) spec.targetCPUUtilizationPercentage = options.cpuPercent;
  return { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: options.name || target.name }, spec };
}

/** The API server's autoscaling/v1 -> v2 conversion of a new HPA's spec. */
export function hpaV1ToV2(hpa: HorizontalPodAutoscalerV1): HorizontalPodAutoscaler {
  const { targetCPUUtilizationPercentage: cpu, ...rest } = hpa.spec;
  const metrics = cpu === undefined ? undefined : [{ type: 'Resource' as const, resource: { name: 'cpu', target: { type: 'Utilization' as const, averageUtilization: cpu } } }];
  return Object.assign({}, hpa, { apiVersion: 'autoscaling/v2', spec: Object.assign({}, rest, metrics ? { metrics } : {}) });
}
