import type { KubeObject, Pod } from '../api/types';

/**
 * Who owns whom, as a mermaid flowchart drawn from the objects' `metadata.ownerReferences`:
 * one box per object ("Kind<br/>name"), a solid arrow from each owner to what it owns, and a
 * dotted arrow from a pod to each PersistentVolumeClaim of the list that it mounts (a claim
 * has no owner: the arrow says "uses", not "owns").
 *
 *   ownerGraph([deployment, replicaSet, pod])
 *   // flowchart LR
 *   //   o0["Deployment<br/>nginx-deployment"]
 *   //   o1["ReplicaSet<br/>nginx-deployment-655b5d595c"]
 *   //   o2["Pod<br/>nginx-deployment-655b5d595c-8s4f6"]
 *   //   o0 --> o1
 *   //   o1 --> o2
 *
 * Boxes keep the order of the list; an owner that is not in the list is left out, with its arrow.
 */
export function ownerGraph(objects: readonly KubeObject[]): string {
  const id = new Map<string, string>();
  const lines = ['flowchart LR'];
  objects.forEach((o, i) => {
    id.set(o.metadata.uid ?? `#${i}`, `o${i}`);
    lines.push(`  o${i}["${o.kind}<br/>${o.metadata.name}"]`);
  });
  const claimId = new Map(objects.flatMap((o, i) => (o.kind === 'PersistentVolumeClaim' ? [[o.metadata.name, `o${i}`] as const] : [])));
  objects.forEach((o, i) => {
    for (const ref of o.metadata.ownerReferences ?? []) {
      const owner = id.get(ref.uid);
      if (owner !== undefined) lines.push(`  ${owner} --> o${i}`);
    }
    if (o.kind !== 'Pod') return;
    for (const v of (o as unknown as Pod).spec.volumes ?? []) {
      const claim = v.persistentVolumeClaim === undefined ? undefined : claimId.get(v.persistentVolumeClaim.claimName);
      if (claim !== undefined) lines.push(`  o${i} -.-> ${claim}`);
    }
  });
  return lines.join('\n');
}
