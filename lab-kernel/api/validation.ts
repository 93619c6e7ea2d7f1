import { jsonEqual } from './json-equal';
import type { ResourceInfo } from './resources';
import { forbidden, type StatusCause } from './status';
import type {
  ClusterRole,
  ClusterRoleBinding,
  ConfigMap,
  ControllerRevision,
  CronJob,
  DaemonSet,
  Deployment,
  HorizontalPodAutoscaler,
  Ingress,
  Job,
  KubeObject,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  ReplicaSet,
  ReplicationController,
  Role,
  RoleBinding,
  Secret,
  Service,
  StatefulSet,
  StorageClass,
} from './types';
import { validateControllerRevision, validateDaemonSet, validateDeployment, validateReplicaSet, validateReplicationController, validateStatefulSet } from './validation/apps';
import { validateHorizontalPodAutoscaler } from './validation/autoscaling';
import { validateCronJob, validateJob } from './validation/batch';
import { validateConfigMap, validateSecret } from './validation/config';
import { validateIngress } from './validation/ingress';
import { validateObjectMeta, validateObjectMetaUpdate } from './validation/meta';
import { validatePodSpec, validatePodSpecUpdate } from './validation/pod';
import { validateBinding, validateRole } from './validation/rbac';
import { validateService } from './validation/service';
import { validatePersistentVolume, validatePersistentVolumeClaim } from './validation/storage';
import { validateStorageClass } from './validation/storage-class';

/**
 * Validation: the API server's last check before an object is stored. Each problem becomes
 * a cause naming the field, with Kubernetes' own wording (pkg/apis/<group>/validation):
 *
 *   validate(pods, { metadata: { name: 'Web_1', namespace: 'default' }, spec: { containers: [] } })
 *   // => [ { field: 'metadata.name', message: 'Invalid value: "Web_1": a lowercase RFC 1123 subdomain must ...' },
 *   //      { field: 'spec.containers', message: 'Required value' } ]
 *   validate(deployments, changedSelector, stored)
 *   // => [ { field: 'spec.selector', message: 'Invalid value: {...}: field is immutable' } ]
 *
 * `old` is the stored object on update: then the fields that may not change are checked too.
 * Like kube-apiserver, validation expects a defaulted object (applyDefaults first); a field
 * still unset is read as its default would make it. The rules of each kind live in
 * api/validation/<topic>.ts; what the decoder refuses before validation (wrong JSON types,
 * bad base64, malformed quantities: 400, not 422) is decodeError in api/validation/decode.ts.
 */
export function validate(info: ResourceInfo, obj: Readonly<KubeObject>, old?: Readonly<KubeObject>): StatusCause[] {
  const causes = validateObjectMeta(info, obj);
  if (old !== undefined) causes.push(...validateObjectMetaUpdate(obj.metadata ?? {}, old.metadata ?? {}));
  const rules = KIND_RULES[info.kind];
  if (rules !== undefined) causes.push(...rules(obj, old));
  return causes;
}

type KindRules = (obj: Readonly<KubeObject>, old?: Readonly<KubeObject>) => StatusCause[];

const KIND_RULES: Record<string, KindRules> = {
  Pod: (o, old) => {
    const spec = (o as Pod).spec;
    // A spec an update leaves as stored (a status update, a new label) was validated when it was
    // stored, and changes nothing: the kubelets' status updates skip the spec's rules.
    if (old !== undefined && jsonEqual(spec, (old as Pod).spec)) return [];
    return [...validatePodSpec(spec, 'spec'), ...(old !== undefined ? validatePodSpecUpdate(spec, (old as Pod).spec) : [])];
  },
  Service: (o, old) => validateService(o as Service, old as Service | undefined),
  ConfigMap: (o, old) => validateConfigMap(o as ConfigMap, old as ConfigMap | undefined),
  Secret: (o, old) => validateSecret(o as Secret, old as Secret | undefined),
  PersistentVolume: (o) => validatePersistentVolume(o as PersistentVolume),
  PersistentVolumeClaim: (o, old) => validatePersistentVolumeClaim(o as PersistentVolumeClaim, old as PersistentVolumeClaim | undefined),
  StorageClass: (o, old) => validateStorageClass(o as StorageClass, old as StorageClass | undefined),
  ReplicationController: (o) => validateReplicationController(o as ReplicationController),
  ReplicaSet: (o, old) => validateReplicaSet(o as ReplicaSet, old as ReplicaSet | undefined),
  Deployment: (o, old) => validateDeployment(o as Deployment, old as Deployment | undefined),
  StatefulSet: (o, old) => validateStatefulSet(o as StatefulSet, old as StatefulSet | undefined),
  DaemonSet: (o, old) => validateDaemonSet(o as DaemonSet, old as DaemonSet | undefined),
  ControllerRevision: (o, old) => validateControllerRevision(o as ControllerRevision, old as ControllerRevision | undefined),
  Job: (o, old) => validateJob(o as Job, old as Job | undefined),
  CronJob: (o) => validateCronJob(o as CronJob),
  Ingress: (o) => validateIngress(o as Ingress),
  HorizontalPodAutoscaler: (o) => validateHorizontalPodAutoscaler(o as HorizontalPodAutoscaler),
  Role: (o) => validateRole(o as Role),
  ClusterRole: (o) => validateRole(o as ClusterRole),
  RoleBinding: (o, old) => validateBinding(o as RoleBinding, old as RoleBinding | undefined),
  ClusterRoleBinding: (o, old) => validateBinding(o as ClusterRoleBinding, old as ClusterRoleBinding | undefined),
};

/** Fields a client may never set itself on create. */
export function validateCreateMeta(obj: Readonly<KubeObject>): StatusCause[] {
  return obj.metadata?.deletionTimestamp !== undefined ? [forbidden('metadata.deletionTimestamp', 'may only be set by the API server')] : [];
}

export { validateLabels } from './validation/meta';
export { DNS1035_LABEL_ERROR, DNS1123_LABEL_ERROR, DNS1123_SUBDOMAIN_ERROR } from './validation/rules';
export { decodeError } from './validation/decode';
