import type { Container, EnvVar, PodTemplateSpec, Toleration, Volume } from '../api/types';

/**
 * A pod template as `kubectl describe` prints it (describe.go's DescribePodTemplate, 1.32), which
 * `kubectl rollout history --revision=N` shows too. It goes through kubectl's PrefixWriter but
 * no tabwriter there, so each `\t` stays a tab:
 *
 *   describePodTemplate(nginxTemplate)
 *   // Pod Template:
 *   //   Labels:\tapp=nginx
 *   // \tpod-template-hash=7c5ddbdf54
 *   //   Containers:
 *   //    nginx:
 *   //     Image:\tnginx:1.16.1
 *   //     Port:\t80/TCP
 *   //     Host Port:\t0/TCP
 *   //     Environment:\t<none>
 *   //     Mounts:\t<none>
 *   //   Volumes:\t<none>
 *   //   Node-Selectors:\t<none>
 *   //   Tolerations:\t<none>
 *
 * Modelled: labels, annotations, service account, init containers and containers (image,
 * ports, command, args, limits and requests, env values and key references, mounts), volumes
 * of the common kinds, priority class, node selector, tolerations. Not modelled: probes,
 * envFrom, security profiles, topology spread constraints (nothing is printed for them).
 */
export function describePodTemplate(template: Readonly<PodTemplateSpec>): string {
  const out: string[] = ['Pod Template:\n'];
  out.push(multiline('  Labels', template.metadata?.labels, '='));
  const annotations = template.metadata?.annotations;
  if (annotations !== undefined && Object.keys(annotations).length > 0) out.push(multiline('  Annotations', annotations, ': '));
  const spec = template.spec;
  if (spec.serviceAccountName) out.push(`  Service Account:\t${spec.serviceAccountName}\n`);
  if ((spec.initContainers ?? []).length > 0) out.push(containers('Init Containers', spec.initContainers ?? []));
  out.push(containers('Containers', spec.containers));
  out.push(volumes(spec.volumes ?? []));
  if (spec.priorityClassName) out.push(`  Priority Class Name:\t${spec.priorityClassName}\n`);
  out.push(multiline('  Node-Selectors', spec.nodeSelector, '='));
  out.push(tolerations(spec.tolerations ?? []));
  return out.join('');
}

/** printLabelsMultiline / printAnnotationsMultiline: sorted keys, one per line, `<none>` when empty. */
function multiline(title: string, values: Readonly<Record<string, string>> | undefined, separator: string): string {
  const keys = Object.keys(values ?? {}).sort();
  if (keys.length === 0) return `${title}:\t<none>\n`;
  return keys.map((k, i) => `${i === 0 ? `${title}:\t` : '\t'}${k}${separator}${values![k]}\n`).join('');
}

function containers(label: string, list: readonly Container[]): string {
  let s = `  ${label}:${list.length === 0 ? ' <none>' : ''}\n`;
  for (const c of list) {
    s += `   ${c.name}:\n    Image:\t${c.image}\n`;
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(',');
    s += ports.includes(',') ? `    Ports:\t${ports}\n` : `    Port:\t${ports || '<none>'}\n`;
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(',');
    s += hostPorts.includes(',') ? `    Host Ports:\t${hostPorts}\n` : `    Host Port:\t${hostPorts || '<none>'}\n`;
    if ((c.command ?? []).length > 0) s += `    Command:\n${c.command!.map((a) => `      ${a}\n`).join('')}`;
    if ((c.args ?? []).length > 0) s += `    Args:\n${c.args!.map((a) => `      ${a}\n`).join('')}`;
    for (const [title, list] of [['Limits', c.resources?.limits], ['Requests', c.resources?.requests]] as const) {
      const names = Object.keys(list ?? {}).sort();
      if (names.length > 0) s += `    ${title}:\n${names.map((n) => `      ${n}:\t${list![n]}\n`).join('')}`;
    }
    s += (c.env ?? []).length === 0 ? '    Environment:\t<none>\n' : `    Environment:\n${c.env!.map(envLine).join('')}`;
    const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
    s += mounts.length === 0 ? '    Mounts:\t<none>\n' : `    Mounts:\n${mounts.map((m) => `      ${m.mountPath} from ${m.name} (${[m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path = "${m.subPath}"`] : [])].join(',')})\n`).join('')}`;
  }
  return s;
}

function envLine(e: EnvVar): string {
  const from = e.valueFrom;
  if (from?.configMapKeyRef) return `      ${e.name}:\t<set to the key '${from.configMapKeyRef.key}' of config map '${from.configMapKeyRef.name}'>\tOptional: ${from.configMapKeyRef.optional ?? false}\n`;
  if (from?.secretKeyRef) return `      ${e.name}:\t<set to the key '${from.secretKeyRef.key}' in secret '${from.secretKeyRef.name}'>\tOptional: ${from.secretKeyRef.optional ?? false}\n`;
  if (from?.fieldRef) return `      ${e.name}:\t (${from.fieldRef.apiVersion ?? 'v1'}:${from.fieldRef.fieldPath})\n`;
  return `      ${e.name}:\t${e.value ?? ''}\n`;
}

function volumes(list: readonly Volume[]): string {
  if (list.length === 0) return '  Volumes:\t<none>\n';
  return `  Volumes:\n${list.map((v) => `   ${v.name}:\n${volumeSource(v)}`).join('')}`;
}

function volumeSource(v: Volume): string {
  if (v.emptyDir) return `    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}\n`;
  if (v.configMap) return `    Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name}\n    Optional:\t${v.configMap.optional ?? false}\n`;
  if (v.secret) return `    Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName}\n    Optional:\t${v.secret.optional ?? false}\n`;
  if (v.persistentVolumeClaim) return `    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${v.persistentVolumeClaim.readOnly ?? false}\n`;
  if (v.hostPath) return `    Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type ?? ''}\n`;
  return `    <unknown>\n`;
}

/** printTolerationsMultiline: key=value:effect, `op=Exists` for a bare Exists, `for Ns` when bounded. */
function tolerations(list: readonly Toleration[]): string {
  if (list.length === 0) return '  Tolerations:\t<none>\n';
  return list
    .map((t, i) => {
      let s = t.key ?? '';
      if (t.value) s += `=${t.value}`;
      if (t.effect) s += `:${t.effect}`;
      if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
      if (t.tolerationSeconds !== undefined) s += ` for ${t.tolerationSeconds}s`;
      return `${i === 0 ? '  Tolerations:\t' : '\t'}${s}\n`;
    })
    .join('');
}
