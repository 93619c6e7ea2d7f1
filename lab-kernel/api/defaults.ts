import type { Container, KubeObject, Namespace, Pod, ReplicaSet } from './types';

/**
 * Defaulting: the values the API server fills in when a manifest leaves them out, the same
 * ones Kubernetes uses.
 *
 *   applyDefaults({ kind: 'Pod', spec: { containers: [{ name: 'web', image: 'nginx' }] } })
 *   // spec.restartPolicy 'Always', schedulerName 'default-scheduler', terminationGracePeriodSeconds 30,
 *   // dnsPolicy 'ClusterFirst'; the container's imagePullPolicy 'Always' (no tag means :latest);
 *   // status.phase 'Pending'
 */
export function applyDefaults(obj: KubeObject): void {
  switch (obj.kind) {
    case 'Pod':
      defaultPod(obj as Pod);
      break;
    case 'ReplicaSet': {
      const rs = obj as ReplicaSet;
      if (rs.spec.replicas === undefined) rs.spec.replicas = 1;
      if (rs.spec.template?.spec) defaultPodSpec(rs.spec.template.spec);
      break;
    }
    case 'Namespace': {
      const ns = obj as Namespace;
      ns.spec = { finalizers: ['kubernetes'], ...ns.spec };
      ns.status = { phase: 'Active' };
      break;
    }
  }
}

function defaultPod(pod: Pod): void {
  defaultPodSpec(pod.spec);
  pod.status = { phase: 'Pending', ...pod.status };
}

function defaultPodSpec(spec: Pod['spec']): void {
  spec.restartPolicy ??= 'Always';
  spec.schedulerName ??= 'default-scheduler';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  for (const c of spec.containers ?? []) c.imagePullPolicy ??= defaultPullPolicy(c);
}

/** `:latest` (or no tag) pulls every time; a fixed tag only when the image is missing. */
export function defaultPullPolicy(c: Readonly<Container>): 'Always' | 'IfNotPresent' {
  const image = c.image ?? '';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  if (image.includes('@')) return 'IfNotPresent';
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}
