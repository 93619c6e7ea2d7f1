import type { Container, ContainerState, ContainerStatus, EnvVar, PodTemplateSpec, Probe, Toleration, Volume } from '../api/types';
import { annotationsMultiline, describeTime, labelsMultiline } from './describe/writer';

/**
 * A pod template as `kubectl describe` prints it (describe.go's DescribePodTemplate, 1.32), which
 * `kubectl rollout history --revision=N` shows too. It goes through kubectl's PrefixWriter; only
 * describe aligns the `\t`s afterwards (describe/writer.ts), rollout history leaves them tabs:
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
 * ports, command, args, limits and requests, probes, env values and key references, mounts),
 * volumes of the common kinds (projected ones too), priority class, node selector, tolerations. Not modelled:
 * envFrom, security profiles, topology spread constraints (nothing is printed for them).
 *
 * describeContainers and describeVolumes serve the pod describer too (describe/pod.ts), which
 * adds each container's status and writes the volumes one level less indented.
 */
export function describePodTemplate(template: Readonly<PodTemplateSpec>): string {
  const out: string[] = ['Pod Template:\n'];
  out.push(labelsMultiline('  Labels', template.metadata?.labels));
  const annotations = template.metadata?.annotations;
  if (annotations !== undefined && Object.keys(annotations).length > 0) out.push(annotationsMultiline('  Annotations', annotations));
  const spec = template.spec;
  if (spec.serviceAccountName) out.push(`  Service Account:\t${spec.serviceAccountName}\n`);
  if ((spec.initContainers ?? []).length > 0) out.push(describeContainers('Init Containers', spec.initContainers ?? [], undefined, '  '));
  out.push(describeContainers('Containers', spec.containers, undefined, '  '));
  out.push(describeVolumes(spec.volumes ?? [], '  '));
  if (spec.priorityClassName) out.push(`  Priority Class Name:\t${spec.priorityClassName}\n`);
  out.push(labelsMultiline('  Node-Selectors', spec.nodeSelector));
  out.push(tolerationsMultiline('  Tolerations', spec.tolerations ?? []));
  return out.join('');
}

/**
 * describeContainers: one block per container; with `statuses` (a pod's), its container ID,
 * image ID, state, last state, readiness and restarts too. `space` is the template's indent.
 *   describeContainers('Containers', [nginx], undefined, '  ')  // => '  Containers:\n   nginx:\n    Image:\tnginx:1.14.2\n...'
 */
export function describeContainers(label: string, list: readonly Container[], statuses: readonly ContainerStatus[] | undefined, space: string): string {
  let s = `${space}${label}:${list.length === 0 ? ' <none>' : ''}\n`;
  const nameIndent = space.length > 0 ? ' ' : '';
  for (const c of list) {
    const status = statuses?.find((st) => st.name === c.name);
    s += `  ${nameIndent}${c.name}:\n`;
    if (status !== undefined) s += `    Container ID:\t${status.containerID ?? ''}\n`;
    s += `    Image:\t${c.image}\n`;
    if (status !== undefined) s += `    Image ID:\t${status.imageID ?? ''}\n`;
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(',');
    s += ports.includes(',') ? `    Ports:\t${ports}\n` : `    Port:\t${ports || '<none>'}\n`;
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(',');
    s += hostPorts.includes(',') ? `    Host Ports:\t${hostPorts}\n` : `    Host Port:\t${hostPorts || '<none>'}\n`;
    if ((c.command ?? []).length > 0) s += `    Command:\n${c.command!.flatMap((a) => a.split('\n')).map((a) => `      ${a}\n`).join('')}`;
    if ((c.args ?? []).length > 0) s += `    Args:\n${c.args!.flatMap((a) => a.split('\n')).map((a) => `      ${a}\n`).join('')}`;
    if (status !== undefined) s += containerState(status);
    for (const [title, list] of [['Limits', c.resources?.limits], ['Requests', c.resources?.requests]] as const) {
      const names = Object.keys(list ?? {}).sort();
      if (names.length > 0) s += `    ${title}:\n${names.map((n) => `      ${n}:\t${list![n]}\n`).join('')}`;
    }
    for (const [title, probe] of [['Liveness', c.livenessProbe], ['Readiness', c.readinessProbe], ['Startup', c.startupProbe]] as const) {
      if (probe !== undefined) s += `    ${title}:\t${describeProbe(probe)}\n`;
    }
    s += (c.env ?? []).length === 0 ? '    Environment:\t<none>\n' : `    Environment:\n${c.env!.map(envLine).join('')}`;
    const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
    s += mounts.length === 0 ? '    Mounts:\t<none>\n' : `    Mounts:\n${mounts.map((m) => `      ${m.mountPath} from ${m.name} (${[m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path = "${m.subPath}"`] : [])].join(',')})\n`).join('')}`;
  }
  return s;
}

/** describeContainerState: State (and Last State after a restart), Ready, Restart Count. */
function containerState(status: ContainerStatus): string {
  let s = stateLines('State', status.state ?? {});
  if (status.lastState?.terminated !== undefined) s += stateLines('Last State', status.lastState);
  return `${s}    Ready:\t${status.ready ? 'True' : 'False'}\n    Restart Count:\t${status.restartCount}\n`;
}

/** describeStatus: Running with its start, Waiting with its reason, Terminated with reason, exit code and times. */
function stateLines(title: string, state: ContainerState): string {
  const time = describeTime;
  if (state.running) return `    ${title}:\tRunning\n      Started:\t${time(state.running.startedAt)}\n`;
  if (state.terminated) {
    const t = state.terminated;
    return `    ${title}:\tTerminated\n${t.reason ? `      Reason:\t${t.reason}\n` : ''}${t.message ? `      Message:\t${t.message}\n` : ''}      Exit Code:\t${t.exitCode}\n      Started:\t${time(t.startedAt)}\n      Finished:\t${time(t.finishedAt)}\n`;
  }
  return `    ${title}:\tWaiting\n${state.waiting?.reason ? `      Reason:\t${state.waiting.reason}\n` : ''}`;
}

/**
 * DescribeProbe: the handler, then its timings with the API server's defaults filled in.
 *   describeProbe({ httpGet: { path: '/', port: 80 } })  // => 'http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3'
 */
function describeProbe(p: Probe): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
  if (p.exec) return `exec [${p.exec.command.join(' ')}] ${attrs}`;
  if (p.httpGet) return `http-get ${(p.httpGet.scheme ?? 'HTTP').toLowerCase()}://:${p.httpGet.port}${p.httpGet.path ?? ''} ${attrs}`;
  if (p.tcpSocket) return `tcp-socket :${p.tcpSocket.port} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function envLine(e: EnvVar): string {
  const from = e.valueFrom;
  if (from?.configMapKeyRef) return `      ${e.name}:\t<set to the key '${from.configMapKeyRef.key}' of config map '${from.configMapKeyRef.name}'>\tOptional: ${from.configMapKeyRef.optional ?? false}\n`;
  if (from?.secretKeyRef) return `      ${e.name}:\t<set to the key '${from.secretKeyRef.key}' in secret '${from.secretKeyRef.name}'>\tOptional: ${from.secretKeyRef.optional ?? false}\n`;
  if (from?.fieldRef) return `      ${e.name}:\t (${from.fieldRef.apiVersion ?? 'v1'}:${from.fieldRef.fieldPath})\n`;
  return `      ${e.name}:\t${e.value ?? ''}\n`;
}

/** describeVolumes: a template's (space '  ') names its volumes one space further in than a pod's (space ''). */
export function describeVolumes(list: readonly Volume[], space: string): string {
  if (list.length === 0) return `${space}Volumes:\t<none>\n`;
  const nameIndent = space.length > 0 ? ' ' : '';
  return `${space}Volumes:\n${list.map((v) => `  ${nameIndent}${v.name}:\n${volumeSource(v)}`).join('')}`;
}

function volumeSource(v: Volume): string {
  if (v.emptyDir) return `    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}\n`;
  if (v.configMap) return `    Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name}\n    Optional:\t${v.configMap.optional ?? false}\n`;
  if (v.secret) return `    Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName}\n    Optional:\t${v.secret.optional ?? false}\n`;
  if (v.persistentVolumeClaim) return `    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${v.persistentVolumeClaim.readOnly ?? false}\n`;
  if (v.hostPath) return `    Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type ?? ''}\n`;
  if (v.projected) return `    Type:\tProjected (a volume that contains injected data from multiple sources)\n${v.projected.sources.map(projectedSource).join('')}`;
  return `    <unknown>\n`;
}

/** One source of a projected volume, as printProjectedVolumeSource lists it. */
function projectedSource(source: unknown): string {
  const s = source as { secret?: { name: string; optional?: boolean }; configMap?: { name: string; optional?: boolean }; downwardAPI?: unknown; serviceAccountToken?: { expirationSeconds?: number } };
  if (s.secret) return `    SecretName:\t${s.secret.name}\n    Optional:\t${s.secret.optional ?? false}\n`;
  if (s.downwardAPI) return '    DownwardAPI:\ttrue\n';
  if (s.configMap) return `    ConfigMapName:\t${s.configMap.name}\n    Optional:\t${s.configMap.optional ?? false}\n`;
  if (s.serviceAccountToken) return `    TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 3600}\n`;
  return '';
}

/** printTolerationsMultiline: key=value:effect, `op=Exists` for a bare Exists, `for Ns` when bounded. */
export function tolerationsMultiline(title: string, list: readonly Toleration[]): string {
  if (list.length === 0) return `${title}:\t<none>\n`;
  return list
    .map((t, i) => {
      let s = t.key ?? '';
      if (t.value) s += `=${t.value}`;
      if (t.effect) s += `:${t.effect}`;
      if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
      if (t.tolerationSeconds !== undefined) s += ` for ${t.tolerationSeconds}s`;
      return `${i === 0 ? `${title}:\t` : '\t'}${s}\n`;
    })
    .join('');
}
