import { invalidValue, required, type StatusCause } from '../status';
import type { HorizontalPodAutoscaler } from '../types';
import { isObject } from './rules';

/**
 * HorizontalPodAutoscaler validation (pkg/apis/autoscaling/validation): what to scale and
 * a sane replica range.
 *
 *   validateHorizontalPodAutoscaler({ spec: { scaleTargetRef, minReplicas: 5, maxReplicas: 2 } })
 *   // => [ spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas` ]
 */
export function validateHorizontalPodAutoscaler(hpa: Readonly<HorizontalPodAutoscaler>): StatusCause[] {
  const spec = hpa.spec;
  if (!isObject(spec)) return [required('spec')];
  const causes: StatusCause[] = [];
  const min = spec.minReplicas;
  if (min !== undefined && !(Number.isInteger(min) && min >= 1)) causes.push(invalidValue('spec.minReplicas', min, 'must be greater than or equal to 1'));
  const max = spec.maxReplicas ?? 0;
  if (!(Number.isInteger(max) && max >= 1)) causes.push(invalidValue('spec.maxReplicas', max, 'must be greater than 0'));
  if (min !== undefined && max < min) causes.push(invalidValue('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  const ref = isObject(spec.scaleTargetRef) ? spec.scaleTargetRef : undefined;
  if (!ref?.kind) causes.push(required('spec.scaleTargetRef.kind'));
  if (!ref?.name) causes.push(required('spec.scaleTargetRef.name'));
  return causes;
}
