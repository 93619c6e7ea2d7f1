import { NAME_SUFFIX_ALPHABET } from '../../api/names';
import type { Container, Pod, PodSpec, ServiceAccount, Volume } from '../../api/types';
import type { AdmissionContext, AdmissionPlugin, AdmissionRequest } from '../pipeline-types';
import { forbiddenByAdmission } from './chain';

/**
 * ServiceAccount admission: every pod runs as a service account, and gets that account's API
 * token mounted unless it opts out. On CREATE of a pod:
 *
 *   mutate:   spec.serviceAccountName '' => 'default'
 *             the account must exist, else 403 'pods "web" is forbidden: error looking up service
 *               account dev/builder: serviceaccount "builder" not found'
 *             unless automountServiceAccountToken is false (the pod's setting wins over the
 *               account's), add the projected volume kube-api-access-<5 chars> (token, ca.crt,
 *               namespace) and mount it read-only at /var/run/secrets/kubernetes.io/serviceaccount
 *               in every container and init container that has nothing mounted there yet
 *             copy the account's imagePullSecrets when the pod has none
 *   validate: the account must (still) exist; mirror pods (the kubelet's copies of static pods)
 *             may reference no service account, no secret and no token projection
 *
 * Mirror pods are left unchanged: the kubelet deletes a mirror pod whose spec differs from its
 * static pod.
 *
 * Simplified: the volume name's suffix is not random but a hash of the pod's namespace and
 * name (or generateName), so runs repeat; kube-apiserver also waits and asks etcd before
 * refusing a pod whose `default` account is not in its cache yet, and can enforce the
 * kubernetes.io/enforce-mountable-secrets annotation, which the lab leaves out.
 */
export const DEFAULT_SERVICE_ACCOUNT = 'default';
export const TOKEN_VOLUME_PREFIX = 'kube-api-access-';
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds: an hour and 7 seconds. */
const TOKEN_EXPIRATION_SECONDS = 3607;

export function serviceAccountPlugin(): AdmissionPlugin {
  return {
    name: 'ServiceAccount',
    operations: ['CREATE'],
    mayMutate: (req) => podOf(req) !== undefined,
    mutate(req, ctx) {
      const pod = podOf(req);
      if (pod === undefined || isMirrorPod(pod)) return validateServiceAccount(req, ctx);
      pod.spec.serviceAccountName ||= DEFAULT_SERVICE_ACCOUNT;
      const account = ctx.get('serviceaccounts', req.namespace, pod.spec.serviceAccountName) as Readonly<ServiceAccount> | undefined;
      if (account === undefined) return accountNotFound(req, pod.spec.serviceAccountName);
      if (pod.spec.automountServiceAccountToken ?? account.automountServiceAccountToken ?? true) mountToken(pod);
      if ((pod.spec.imagePullSecrets ?? []).length === 0 && (account.imagePullSecrets ?? []).length > 0) {
        pod.spec.imagePullSecrets = account.imagePullSecrets!.map((s) => ({ name: s.name }));
      }
      return validateServiceAccount(req, ctx);
    },
    validate: validateServiceAccount,
  };
}

function validateServiceAccount(req: Readonly<AdmissionRequest>, ctx: AdmissionContext) {
  const pod = podOf(req);
  if (pod === undefined) return undefined;
  if (isMirrorPod(pod)) {
    if (pod.spec.serviceAccountName) return forbiddenByAdmission(req, 'a mirror pod may not reference service accounts');
    if (referencesSecrets(pod.spec)) return forbiddenByAdmission(req, 'a mirror pod may not reference secrets');
    if ((pod.spec.volumes ?? []).some((v) => v.projected?.sources.some((s) => (s as { serviceAccountToken?: unknown }).serviceAccountToken !== undefined))) {
      return forbiddenByAdmission(req, 'a mirror pod may not use ServiceAccountToken volume projections');
    }
    return undefined;
  }
  const name = pod.spec.serviceAccountName ?? '';
  if (ctx.get('serviceaccounts', req.namespace, name) === undefined) return accountNotFound(req, name);
  return undefined;
}

/** The pod being created through the main endpoint, or undefined for anything else (subresources included). */
function podOf(req: Readonly<AdmissionRequest>): Pod | undefined {
  if (req.info.group !== '' || req.info.resource !== 'pods' || req.subresource !== '') return undefined;
  return req.object?.kind === 'Pod' ? (req.object as Pod) : undefined;
}

function isMirrorPod(pod: Readonly<Pod>): boolean {
  return pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined;
}

function accountNotFound(req: Readonly<AdmissionRequest>, name: string) {
  return forbiddenByAdmission(req, `error looking up service account ${req.namespace}/${name}: serviceaccount "${name}" not found`);
}

/** Secret volumes, secret env references and image pull secrets (podutil.VisitPodSecretNames). */
function referencesSecrets(spec: Readonly<PodSpec>): boolean {
  const containers = [...(spec.initContainers ?? []), ...spec.containers];
  return (
    (spec.imagePullSecrets ?? []).length > 0 ||
    (spec.volumes ?? []).some((v) => v.secret !== undefined) ||
    containers.some((c) => (c.env ?? []).some((e) => e.valueFrom?.secretKeyRef !== undefined) || (c.envFrom ?? []).some((e) => e.secretRef !== undefined))
  );
}

/**
 * Mounts the API token in every container that has nothing at the token path yet, adding the
 * projected volume once (or reusing a kube-api-access-* volume the pod already has).
 */
function mountToken(pod: Pod): void {
  const existing = (pod.spec.volumes ?? []).find((v) => v.name.startsWith(TOKEN_VOLUME_PREFIX));
  const volumeName = existing?.name ?? TOKEN_VOLUME_PREFIX + nameSuffix(`${pod.metadata.namespace}/${pod.metadata.name || pod.metadata.generateName || ''}`);
  let mounted = false;
  const containers: Container[] = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  for (const c of containers) {
    if ((c.volumeMounts ?? []).some((m) => m.mountPath === TOKEN_MOUNT_PATH)) continue;
    c.volumeMounts = [...(c.volumeMounts ?? []), { name: volumeName, readOnly: true, mountPath: TOKEN_MOUNT_PATH }];
    mounted = true;
  }
  if (mounted && existing === undefined) pod.spec.volumes = [...(pod.spec.volumes ?? []), tokenVolume(volumeName)];
}

/** The projected volume kube-apiserver adds (TokenVolumeSource): a bound token, the cluster CA, the namespace. */
export function tokenVolume(name: string): Volume {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

/**
 * Five characters from the alphabet Kubernetes uses for generated names (no vowels, so no
 * words; no 0/1/3, so nothing to misread), here taken from a hash of `seed` (FNV-1a):
 *   nameSuffix('default/web')  // => the same 5 characters every run
 */
export function nameSuffix(seed: string): string {
  const alphabet = NAME_SUFFIX_ALPHABET;
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) hash = Math.imul(hash ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += alphabet[hash % alphabet.length];
    hash = Math.floor(hash / alphabet.length);
  }
  return suffix;
}
