import { badRequest } from '../api/status';
import type { KubeObject } from '../api/types';

/**
 * Field selectors (`spec.nodeName=node-1,status.phase!=Succeeded`): how a kubelet asks for
 * only its own pods. Each kind supports a few fields, as in Kubernetes; its strategy says
 * which (strategies/: selectableFields).
 *
 *   const match = parseFieldSelector(['metadata.name', 'spec.nodeName'], 'spec.nodeName=node-1');
 *   match(podOnNode1) // => true
 *   parseFieldSelector(['metadata.name'], 'spec.nodeName=node-1')  // => 400 field label not supported: spec.nodeName
 */

export type ObjectPredicate = (obj: Readonly<KubeObject>) => boolean;

export function parseFieldSelector(supported: readonly string[], text: string | undefined): ObjectPredicate {
  if (text === undefined || text.trim() === '') return () => true;
  const terms = text.split(',').map((term) => {
    const m = term.trim().match(/^([\w.]+)\s*(==|=|!=)\s*(.*)$/);
    if (m === null) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const [, field, op, value] = m;
    if (!supported.includes(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    return { field, negate: op === '!=', value };
  });
  return (obj) => terms.every((t) => (fieldValue(obj, t.field) === t.value) !== t.negate);
}

/** A field's value as a selector compares it: spec.nodeName of a pod not yet scheduled is ''. */
export function fieldValue(obj: Readonly<KubeObject>, path: string): string {
  let at: unknown = obj;
  for (const part of stepsOf(path)) {
    at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
  }
  return at === undefined || at === null ? '' : String(at);
}

/** A field path split at its dots, once per path: every watched change asks for the same few. */
const STEPS = new Map<string, readonly string[]>();

function stepsOf(path: string): readonly string[] {
  let steps = STEPS.get(path);
  if (steps === undefined) STEPS.set(path, (steps = path.split('.')));
  return steps;
}

/**
 * The value a selector requires `field` to have, if one of its terms is `field=value`:
 *
 *   requiredValue('spec.nodeName=node-1,status.phase!=Failed', 'spec.nodeName')  // => 'node-1'
 *   requiredValue('spec.nodeName!=node-1', 'spec.nodeName')                       // => undefined
 */
export function requiredValue(text: string | undefined, field: string): string | undefined {
  for (const term of (text ?? '').split(',')) {
    const m = term.trim().match(/^([\w.]+)\s*(==|=)\s*(.*)$/);
    if (m !== null && m[1] === field) return m[3];
  }
  return undefined;
}
