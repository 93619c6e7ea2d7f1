import { notSupported } from '../../api/status';
import type { Container, Pod } from '../../api/types';
import type { AdmissionPlugin, AdmissionRequest } from '../pipeline-types';
import { forbiddenByAdmission } from './chain';

/**
 * AlwaysPullImages (off by default): in a cluster shared by teams, a node that has pulled a
 * private image would run it for anyone who names it; forcing a pull on every start makes the
 * registry check each pod's credentials. On CREATE and UPDATE of a pod:
 *
 *   mutate:   every container's and init container's imagePullPolicy => 'Always'
 *   validate: a container whose policy is not Always (a later mutating plugin changed it back)
 *             => 403 'pods "web" is forbidden: spec.containers[0].imagePullPolicy: Unsupported
 *                value: "IfNotPresent": supported values: "Always"'
 *
 * An UPDATE that brings no image the pod did not already have is left alone (editing a label
 * must not force pulls), as are subresources (status, binding).
 *
 * Simplified: Kubernetes reports every offending container at once; the lab the first.
 */
export function alwaysPullImagesPlugin(): AdmissionPlugin {
  return {
    name: 'AlwaysPullImages',
    operations: ['CREATE', 'UPDATE'],
    mayMutate: (req) => podToCheck(req) !== undefined,
    mutate(req) {
      const pod = podToCheck(req);
      for (const { container } of containersOf(pod)) container.imagePullPolicy = 'Always';
      return undefined;
    },
    validate(req) {
      const offending = containersOf(podToCheck(req)).find(({ container }) => container.imagePullPolicy !== 'Always');
      if (offending === undefined) return undefined;
      const cause = notSupported(`${offending.path}.imagePullPolicy`, offending.container.imagePullPolicy ?? '', ['Always']);
      return forbiddenByAdmission(req, `${cause.field}: ${cause.message}`);
    },
  };
}

/** The pod the plugin must look at, or undefined: not a pod, a subresource, or an update with no new image. */
function podToCheck(req: Readonly<AdmissionRequest>): Pod | undefined {
  if (req.info.group !== '' || req.info.resource !== 'pods' || req.subresource !== '' || req.object?.kind !== 'Pod') return undefined;
  const pod = req.object as Pod;
  if (req.operation === 'UPDATE' && req.oldObject !== undefined) {
    const oldImages = new Set(containersOf(req.oldObject as Pod).map(({ container }) => container.image));
    if (containersOf(pod).every(({ container }) => oldImages.has(container.image))) return undefined;
  }
  return pod;
}

/** Init containers first, then containers, each with its field path (pods.VisitContainersWithPath). */
function containersOf(pod: Pod | undefined): { container: Container; path: string }[] {
  if (pod === undefined) return [];
  return [
    ...(pod.spec.initContainers ?? []).map((container, i) => ({ container, path: `spec.initContainers[${i}]` })),
    ...(pod.spec.containers ?? []).map((container, i) => ({ container, path: `spec.containers[${i}]` })),
  ];
}
