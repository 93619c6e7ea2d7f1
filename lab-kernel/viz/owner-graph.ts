import type { KubeObject, Pod } from '../api/types';
import { frontMatter } from './fit';

/**
 * Who owns whom, as a mermaid flowchart drawn from the objects' `metadata.ownerReferences`:
 * one box per object ("Kind<br/>name"), in the order given, and an arrow from each owner to
 * what it owns. With `controllerLabels`, an arrow from the dependent's managing controller
 * (`controller: true`) says `controller`. An owner that is not among the objects (gone, or not
 * asked for) is drawn dashed, with the name from the reference. A pod also gets a dotted arrow
 * to each PersistentVolumeClaim of the list that it mounts: a claim has no owner, so the arrow
 * says "uses", not "owns".
 *
 *   ownerGraph([deployment, replicaSet, pod])
 *   // => flowchart LR
 *   //   o0["Deployment<br/>nginx-deployment"]
 *   //   o1["ReplicaSet<br/>nginx-deployment-655b5d595c"]
 *   //   o2["Pod<br/>nginx-deployment-655b5d595c-8s4f6"]
 *   //   o0 --> o1
 *   //   o1 --> o2
 *
 * An object without owners and without dependents is drawn alone: an orphan shows as one.
 */
export function ownerGraph(objects: readonly Readonly<KubeObject>[], options: { controllerLabels?: boolean } = {}): string {
  const lines = [...frontMatter({ flowchart: { nodeSpacing: 15, rankSpacing: 40 } }), 'flowchart LR'];
  const ids = new Map<string, string>();
  const box = (key: string, kind: string, name: string, missing: boolean) => {
    if (ids.has(key)) return ids.get(key)!;
    const id = `o${ids.size}`;
    ids.set(key, id);
    lines.push(`  ${id}["${kind}<br/>${name}${missing ? ' (not found)' : ''}"]`);
    if (missing) lines.push(`  style ${id} stroke-dasharray: 4 3`);
    return id;
  };
  const keyOf = (o: Readonly<KubeObject>) => o.metadata.uid ?? `${o.kind}/${o.metadata.name}`;
  for (const o of objects) box(keyOf(o), o.kind, o.metadata.name!, false);
  const claims = new Map(objects.filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => [o.metadata.name!, ids.get(keyOf(o))!]));
  for (const o of objects) {
    const dependent = ids.get(keyOf(o))!;
    for (const ref of o.metadata.ownerReferences ?? []) {
      const owner = box(ref.uid, ref.kind, ref.name, !objects.some((x) => x.metadata.uid === ref.uid));
      lines.push(`  ${owner} -->${options.controllerLabels && ref.controller ? '|controller|' : ''} ${dependent}`);
    }
    if (o.kind !== 'Pod') continue;
    for (const v of (o as Readonly<Pod>).spec.volumes ?? []) {
      const claim = v.persistentVolumeClaim === undefined ? undefined : claims.get(v.persistentVolumeClaim.claimName);
      if (claim !== undefined) lines.push(`  ${dependent} -.-> ${claim}`);
    }
  }
  return lines.join('\n');
}
