import type { ResourceInfo } from '../../api/resources';
import type { DaemonSet, KubeObject } from '../../api/types';
import { sameJson } from '../codec';
import { defaultStrategy } from './default';
import { withGeneration } from './generation';
import type { ResourceStrategy } from './strategy';

/**
 * DaemonSets: the default strategy with a generation, and the template generation, which
 * kube-apiserver keeps in spec.templateGeneration of its internal type and shows in apps/v1 as
 * the annotation deprecated.daemonset.template.generation (pkg/registry/apps/daemonset/strategy.go):
 * 1 on create (or the annotation's number, if a client sent a higher one), one more on each
 * update that changes spec.template, and never what a client sends on update.
 *
 *   POST daemonsets fluentd-elasticsearch                   // => annotation '1', generation 1
 *   PUT with a new image                                    // => annotation '2', generation 2
 *   PUT with a new updateStrategy only                      // => annotation '2', generation 3
 *
 * The DaemonSet controller labels its pods pod-template-generation with it, beside
 * controller-revision-hash.
 */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

export function daemonSetStrategy(info: ResourceInfo): ResourceStrategy {
  const base = withGeneration(defaultStrategy(info));
  return Object.assign({}, base, {
    prepareForCreate(obj) {
      base.prepareForCreate(obj);
      setTemplateGeneration(obj, Math.max(1, templateGeneration(obj)));
    },
    prepareForUpdate(next, old) {
      base.prepareForUpdate(next, old);
      const changed = !sameJson((next as DaemonSet).spec?.template, (old as DaemonSet).spec?.template);
      setTemplateGeneration(next, templateGeneration(old) + (changed ? 1 : 0));
    },
  } satisfies Partial<ResourceStrategy>);
}

/** The annotation's number; 0 when it is missing or not a number. */
function templateGeneration(obj: Readonly<KubeObject>): number {
  const n = Number(obj.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION]);
  return Number.isInteger(n) ? n : 0;
}

function setTemplateGeneration(obj: KubeObject, generation: number): void {
  obj.metadata.annotations = Object.assign({}, obj.metadata.annotations, { [TEMPLATE_GENERATION_ANNOTATION]: String(generation) });
}
