import { canonicalJson, fnv32a } from '../api/object-hash';
import type { Container, Pod } from '../api/types';

/**
 * What the kubelet writes on each sandbox and container it asks the runtime for, so that it
 * can find them again after a restart of its own: the runtime holds the truth, the kubelet
 * keeps no list of its own (pkg/kubelet/kuberuntime/labels.go).
 *
 *   labels       io.kubernetes.pod.name / .namespace / .uid, io.kubernetes.container.name
 *   annotations  io.kubernetes.container.hash (of the container's spec), .restartCount
 *
 *   containerHash({ name: 'web', image: 'nginx:1.27' })   // => '1a2b3c4d' (8 hex digits)
 */
export const POD_NAME_LABEL = 'io.kubernetes.pod.name';
export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const POD_UID_LABEL = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';
export const CONTAINER_HASH_ANNOTATION = 'io.kubernetes.container.hash';
export const RESTART_COUNT_ANNOTATION = 'io.kubernetes.container.restartCount';

export function podLabels(pod: Readonly<Pod>): Record<string, string> {
  return { [POD_NAME_LABEL]: pod.metadata.name!, [POD_NAMESPACE_LABEL]: pod.metadata.namespace!, [POD_UID_LABEL]: pod.metadata.uid! };
}

/**
 * The hash of the fields that make a container what it is (HashContainer): a change to one of
 * them restarts the container. Resources are left out (they may change in place).
 */
export function containerHash(c: Readonly<Container>): string {
  // A frozen container (an informer's pod, shared and never changed) is hashed once: every sync of its pod asks.
  const known = Object.isFrozen(c) ? hashes.get(c) : undefined;
  if (known !== undefined) return known;
  const { name, image, command, args, workingDir, ports, envFrom, env, volumeMounts } = c;
  const fields = { name, image, command, args, workingDir, ports, envFrom, env, volumeMounts };
  const hash = fnv32a(new TextEncoder().encode(canonicalJson(fields))).toString(16).padStart(8, '0');
  if (Object.isFrozen(c)) hashes.set(c, hash);
  return hash;
}

const hashes = new WeakMap<Readonly<Container>, string>();
