import type { KubeObject } from '../api/types';
import { frontMatter } from './fit';

/**
 * Objects and their ownerReferences as a mermaid flowchart: one box per object
 * (kind/name), an arrow from each owner to its dependent, labelled `controller` when that
 * owner is the dependent's managing controller. An owner that is not among the objects (gone,
 * or not asked for) is drawn dashed, with the name from the reference:
 *
 *   ownerGraph([rs web, pod web-abc (owner rs web, controller), pod web-def (owner rs web)])
 *   // flowchart LR
 *   //   o0["ReplicaSet/web"]
 *   //   o1["Pod/web-abc"]
 *   //   o0 -->|controller| o1
 *   //   ...
 *
 * An object without owners and without dependents is drawn alone: an orphan shows as one.
 */
export function ownerGraph(objects: readonly Readonly<KubeObject>[]): string {
  const lines = [...frontMatter({ flowchart: { nodeSpacing: 15, rankSpacing: 40 } }), 'flowchart LR'];
  const ids = new Map<string, string>();
  const box = (uid: string, label: string, missing: boolean) => {
    if (ids.has(uid)) return ids.get(uid)!;
    const id = `o${ids.size}`;
    ids.set(uid, id);
    lines.push(`  ${id}["${label}${missing ? ' (not found)' : ''}"]`);
    if (missing) lines.push(`  style ${id} stroke-dasharray: 4 3`);
    return id;
  };
  for (const o of objects) box(o.metadata.uid ?? `${o.kind}/${o.metadata.name}`, `${o.kind}/${o.metadata.name}`, false);
  for (const o of objects) {
    const dependent = ids.get(o.metadata.uid ?? `${o.kind}/${o.metadata.name}`)!;
    for (const ref of o.metadata.ownerReferences ?? []) {
      const owner = box(ref.uid, `${ref.kind}/${ref.name}`, !objects.some((x) => x.metadata.uid === ref.uid));
      lines.push(`  ${owner} -->${ref.controller ? '|controller|' : ''} ${dependent}`);
    }
  }
  return lines.join('\n');
}
