/**
 * The Kubernetes objects the lab knows, as plain JSON-shaped TypeScript types.
 *
 * Only the fields the lab and its chapters use are typed; unknown fields in a manifest are
 * kept as they are (the API server stores the whole JSON), like a real cluster does. Field
 * names and optionality follow the real API (k8s.io/api core/v1, apps/v1, batch/v1, ...):
 *
 *   const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'my-service' },
 *     spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 9376 }] } };
 */
export type Labels = Record<string, string>;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  /** Seconds the object was given to go when deletion started; set with deletionTimestamp. */
  deletionGracePeriodSeconds?: number;
  labels?: Labels;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  /** Keys that must be removed (by their controllers) before a deleted object really goes. */
  finalizers?: string[];
}

/** Any object the API server stores: apiVersion, kind, metadata, and whatever else it has. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface ResourceList {
  cpu?: string;
  memory?: string;
  pods?: string;
  [name: string]: string | undefined;
}

export interface ContainerPort {
  containerPort: number;
  name?: string;
  /** Defaults to TCP. */
  protocol?: Protocol;
  hostPort?: number;
  /** The host address a hostPort binds to (default all: 0.0.0.0). */
  hostIP?: string;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string; apiVersion?: string };
  };
}

export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

/** How the kubelet checks a container: one handler (httpGet, tcpSocket, grpc or exec) and timings. */
export interface Probe {
  httpGet?: { path?: string; port: number | string; scheme?: 'HTTP' | 'HTTPS' };
  tcpSocket?: { port: number | string };
  /** The gRPC health check on a port (by number only); `service` names the service it asks about. */
  grpc?: { port: number; service?: string };
  exec?: { command: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

/** A lifecycle hook: one handler (exec, httpGet, or sleep: waits, PodLifecycleSleepAction, beta and on since 1.30). */
export interface LifecycleHandler {
  exec?: { command: string[] };
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: 'HTTP' | 'HTTPS' };
  sleep?: { seconds: number };
}

export interface Container {
  name: string;
  image: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  ports?: ContainerPort[];
  resources?: { requests?: ResourceList; limits?: ResourceList };
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  volumeMounts?: VolumeMount[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  /** Hooks the kubelet runs right after the container starts and before it stops it. */
  lifecycle?: { postStart?: LifecycleHandler; preStop?: LifecycleHandler };
  /** Init containers only: Always makes it a sidecar, started in order and kept running beside the pod's containers. */
  restartPolicy?: 'Always';
  /** Defaults to /dev/termination-log. */
  terminationMessagePath?: string;
  /** Defaults to File. */
  terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError';
  securityContext?: { runAsUser?: number; runAsNonRoot?: boolean; privileged?: boolean; readOnlyRootFilesystem?: boolean };
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

/** Where a volume's data comes from; one source per volume. */
export interface Volume {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: string };
  hostPath?: { path: string; type?: string };
  configMap?: { name: string; items?: { key: string; path: string }[]; defaultMode?: number; optional?: boolean };
  secret?: { secretName: string; items?: { key: string; path: string }[]; defaultMode?: number; optional?: boolean };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  projected?: { sources: unknown[]; defaultMode?: number };
}

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface PodAffinityTerm {
  labelSelector?: LabelSelector;
  namespaces?: string[];
  topologyKey: string;
}

export interface Affinity {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
    preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
  };
  podAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
    preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; podAffinityTerm: PodAffinityTerm }[];
  };
  podAntiAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
    preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; podAffinityTerm: PodAffinityTerm }[];
  };
}

export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector?: LabelSelector;
  minDomains?: number;
}

/** A pod's own DNS settings (core/v1 PodDNSConfig). */
export interface PodDNSConfig {
  nameservers?: string[];
  searches?: string[];
  options?: { name: string; value?: string }[];
}

export interface PodSpec {
  containers: Container[];
  /** Resources the pod's sandbox itself uses (set from its RuntimeClass); the scheduler adds them to its requests. */
  overhead?: ResourceList;
  initContainers?: Container[];
  volumes?: Volume[];
  nodeName?: string;
  schedulerName?: string;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  terminationGracePeriodSeconds?: number;
  activeDeadlineSeconds?: number;
  dnsPolicy?: string;
  /** Added to what dnsPolicy gives the pod's resolv.conf (all of it under dnsPolicy None). */
  dnsConfig?: PodDNSConfig;
  tolerations?: Toleration[];
  nodeSelector?: Labels;
  affinity?: Affinity;
  topologySpreadConstraints?: TopologySpreadConstraint[];
  hostNetwork?: boolean;
  hostname?: string;
  subdomain?: string;
  serviceAccountName?: string;
  /** The old name of serviceAccountName, still kept in step with it. */
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  priorityClassName?: string;
  /** Set from the PriorityClass by admission; 0 when there is none. */
  priority?: number;
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
  enableServiceLinks?: boolean;
  securityContext?: { runAsUser?: number; runAsGroup?: number; fsGroup?: number; runAsNonRoot?: boolean };
  imagePullSecrets?: { name: string }[];
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  /** A node's conditions only: when the kubelet last reported them. */
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID?: string;
  containerID?: string;
  started?: boolean;
  state?: ContainerState;
  /** The state of the container's previous instance, once it has restarted. */
  lastState?: ContainerState;
}

/** One of the three: waiting (to start or restart), running, or terminated (with its exit code). */
export interface ContainerState {
  running?: { startedAt: string };
  waiting?: { reason: string; message?: string };
  terminated?: { exitCode: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string; containerID?: string };
}

export interface PodStatus {
  phase?: PodPhase;
  conditions?: Condition[];
  /** Why the pod is in its phase, when the kubelet says (Evicted, ...). */
  reason?: string;
  message?: string;
  hostIP?: string;
  /** Every address of the node (the first is hostIP). */
  hostIPs?: { ip: string }[];
  podIP?: string;
  /** Every address of the pod (the first is podIP). */
  podIPs?: { ip: string }[];
  startTime?: string;
  qosClass?: 'Guaranteed' | 'Burstable' | 'BestEffort';
  initContainerStatuses?: ContainerStatus[];
  containerStatuses?: ContainerStatus[];
}

export interface Pod extends KubeObject {
  spec: PodSpec;
  status?: PodStatus;
}

export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec: PodSpec;
}

export interface ReplicaSetSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
}

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
}

export interface ReplicaSet extends KubeObject {
  spec: ReplicaSetSpec;
  status?: ReplicaSetStatus;
}

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /** NoExecute taints only: when the taint was added. */
  timeAdded?: string;
}

export interface NodeSpec {
  podCIDR?: string;
  /** The node's pod CIDRs (one per IP family; the lab is IPv4 only): podCIDRs[0] is podCIDR. */
  podCIDRs?: string[];
  unschedulable?: boolean;
  taints?: Taint[];
}

export interface NodeStatus {
  capacity?: ResourceList;
  allocatable?: ResourceList;
  conditions?: Condition[];
  addresses?: { type: string; address: string }[];
  nodeInfo?: { kubeletVersion: string; containerRuntimeVersion: string; osImage: string };
  /** Images the node holds (ImageLocality scores by them). */
  images?: { names: string[]; sizeBytes: number }[];
}

export interface Node extends KubeObject {
  spec: NodeSpec;
  status?: NodeStatus;
}

export interface Namespace extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: 'Active' | 'Terminating' };
}

/** The body of POST .../pods/<name>/binding: how a scheduler assigns a pod to a node. */
export interface Binding extends KubeObject {
  target: { apiVersion?: string; kind: 'Node'; name: string };
}

export interface ComponentStatus extends KubeObject {
  conditions: { type: 'Healthy'; status: 'True' | 'False'; message?: string; error?: string }[];
}

// ---- core/v1: services and networking ----

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

export interface ServicePort {
  /** Required when a Service has more than one port. */
  name?: string;
  /** Defaults to TCP. */
  protocol?: Protocol;
  port: number;
  /** A number or a container port's name; defaults to `port`. */
  targetPort?: number | string;
  nodePort?: number;
  appProtocol?: string;
}

export interface ServiceSpec {
  /** Defaults to ClusterIP. */
  type?: ServiceType;
  selector?: Labels;
  ports?: ServicePort[];
  /** Allocated by the API server (or 'None' for a headless Service); immutable once set. */
  clusterIP?: string;
  clusterIPs?: string[];
  externalName?: string;
  externalIPs?: string[];
  /** Defaults to None. */
  sessionAffinity?: 'None' | 'ClientIP';
  externalTrafficPolicy?: 'Cluster' | 'Local';
  internalTrafficPolicy?: 'Cluster' | 'Local';
  ipFamilies?: ('IPv4' | 'IPv6')[];
  ipFamilyPolicy?: 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';
  publishNotReadyAddresses?: boolean;
  /** A LoadBalancer's node ports: allocated unless false (defaults to true for a LoadBalancer). */
  allocateLoadBalancerNodePorts?: boolean;
}

export interface LoadBalancerStatus {
  ingress?: { ip?: string; hostname?: string }[];
}

export interface Service extends KubeObject {
  spec: ServiceSpec;
  status?: { loadBalancer?: LoadBalancerStatus };
}

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; name: string; namespace?: string; uid?: string };
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: { name?: string; port: number; protocol?: Protocol }[];
}

export interface Endpoints extends KubeObject {
  subsets?: EndpointSubset[];
}

/** One backend of an EndpointSlice: a pod's address, whether it takes traffic, and where it runs. */
export interface SliceEndpoint {
  addresses: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef?: { kind: string; name: string; namespace?: string; uid?: string };
}

/** discovery.k8s.io/v1: the scalable successor of Endpoints (at most 100 endpoints a slice by default). */
export interface EndpointSlice extends KubeObject {
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints: SliceEndpoint[];
  ports?: { name?: string; port?: number; protocol?: Protocol }[];
}

export interface IngressBackend {
  service?: { name: string; port: { number?: number; name?: string } };
}

export interface Ingress extends KubeObject {
  spec: {
    ingressClassName?: string;
    defaultBackend?: IngressBackend;
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: {
      host?: string;
      http?: { paths: { path?: string; pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific'; backend: IngressBackend }[] };
    }[];
  };
  status?: { loadBalancer?: LoadBalancerStatus };
}

// ---- core/v1: configuration, identity and storage ----

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  /** Once true, data can no longer change (and immutable cannot be unset). */
  immutable?: boolean;
}

export interface Secret extends KubeObject {
  /** Values are base64; stringData (write-only) is merged into data by the API server. */
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  /** Defaults to Opaque. */
  type?: string;
  immutable?: boolean;
}

export interface ServiceAccount extends KubeObject {
  secrets?: { name: string }[];
  imagePullSecrets?: { name: string }[];
  automountServiceAccountToken?: boolean;
}

export type AccessMode = 'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod';

export interface PersistentVolumeSpec {
  capacity?: ResourceList;
  accessModes?: AccessMode[];
  storageClassName?: string;
  /** Defaults to Retain for a PV created by hand. */
  persistentVolumeReclaimPolicy?: 'Retain' | 'Delete' | 'Recycle';
  /** Defaults to Filesystem. */
  volumeMode?: 'Filesystem' | 'Block';
  claimRef?: { kind?: string; namespace?: string; name?: string; uid?: string };
  hostPath?: { path: string; type?: string };
  nfs?: { server: string; path: string; readOnly?: boolean };
  local?: { path: string };
  csi?: { driver: string; volumeHandle: string };
  nodeAffinity?: { required?: { nodeSelectorTerms: NodeSelectorTerm[] } };
  mountOptions?: string[];
}

export interface PersistentVolume extends KubeObject {
  spec: PersistentVolumeSpec;
  status?: { phase?: 'Pending' | 'Available' | 'Bound' | 'Released' | 'Failed'; message?: string };
}

export interface PersistentVolumeClaimSpec {
  accessModes?: AccessMode[];
  resources?: { requests?: ResourceList; limits?: ResourceList };
  storageClassName?: string;
  volumeMode?: 'Filesystem' | 'Block';
  volumeName?: string;
  selector?: LabelSelector;
}

export interface PersistentVolumeClaim extends KubeObject {
  spec: PersistentVolumeClaimSpec;
  status?: { phase?: 'Pending' | 'Bound' | 'Lost'; accessModes?: AccessMode[]; capacity?: ResourceList };
}

/** storage.k8s.io/v1 StorageClass: how volumes of a class are provisioned (no spec: its fields are top-level). */
export interface StorageClass extends KubeObject {
  provisioner: string;
  parameters?: Record<string, string>;
  /** Defaults to Delete (Recycle is not allowed for a class). */
  reclaimPolicy?: 'Delete' | 'Retain';
  /** Defaults to Immediate. */
  volumeBindingMode?: 'Immediate' | 'WaitForFirstConsumer';
  allowVolumeExpansion?: boolean;
  mountOptions?: string[];
}

// ---- core/v1: policy and events ----

export interface ResourceQuota extends KubeObject {
  spec?: { hard?: ResourceList; scopes?: string[] };
  status?: { hard?: ResourceList; used?: ResourceList };
}

export interface LimitRangeItem {
  type: 'Container' | 'Pod' | 'PersistentVolumeClaim';
  default?: ResourceList;
  defaultRequest?: ResourceList;
  min?: ResourceList;
  max?: ResourceList;
  maxLimitRequestRatio?: ResourceList;
}

export interface LimitRange extends KubeObject {
  spec: { limits: LimitRangeItem[] };
}

export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** A core/v1 Event (named KubeEvent here so it does not hide the DOM's Event type). */
export interface KubeEvent extends KubeObject {
  involvedObject: ObjectReference;
  reason?: string;
  message?: string;
  type?: 'Normal' | 'Warning';
  source?: { component?: string; host?: string };
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  reportingComponent?: string;
  reportingInstance?: string;
}

// ---- workloads: ReplicationController, apps/v1 and batch/v1 ----

export interface ReplicationController extends KubeObject {
  spec: {
    replicas?: number;
    minReadySeconds?: number;
    /** A plain label map (not a LabelSelector); defaults to the template's labels. */
    selector?: Labels;
    template?: PodTemplateSpec;
  };
  status?: ReplicaSetStatus;
}

/** maxSurge / maxUnavailable: a number of pods or a percentage such as '25%'. */
export type IntOrString = number | string;

export interface DeploymentStrategy {
  type?: 'RollingUpdate' | 'Recreate';
  rollingUpdate?: { maxUnavailable?: IntOrString; maxSurge?: IntOrString };
}

export interface DeploymentSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
  strategy?: DeploymentStrategy;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
}

/** A Deployment's condition also says when it was last confirmed (Progressing: the last progress seen). */
export interface DeploymentCondition extends Condition {
  lastUpdateTime?: string;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
  collisionCount?: number;
}

export interface Deployment extends KubeObject {
  spec: DeploymentSpec;
  status?: DeploymentStatus;
}

export interface StatefulSetSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
  /** The headless Service that gives each pod its DNS name (web-0.nginx...). */
  serviceName?: string;
  volumeClaimTemplates?: PersistentVolumeClaim[];
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { partition?: number; maxUnavailable?: IntOrString } };
  revisionHistoryLimit?: number;
  minReadySeconds?: number;
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: 'Retain' | 'Delete'; whenScaled?: 'Retain' | 'Delete' };
  ordinals?: { start?: number };
}

export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  /** Bumped when the name of the revision of a new template is taken by another template (a hash collision). */
  collisionCount?: number;
}

export interface StatefulSet extends KubeObject {
  spec: StatefulSetSpec;
  status?: StatefulSetStatus;
}

export interface DaemonSetSpec {
  selector: LabelSelector;
  template: PodTemplateSpec;
  updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { maxUnavailable?: IntOrString; maxSurge?: IntOrString } };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
}

export interface DaemonSetStatus {
  currentNumberScheduled: number;
  numberMisscheduled: number;
  desiredNumberScheduled: number;
  numberReady: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  observedGeneration?: number;
  /** Bumped when the name of the revision of a new template is taken by another template (a hash collision). */
  collisionCount?: number;
}

export interface DaemonSet extends KubeObject {
  spec: DaemonSetSpec;
  status?: DaemonSetStatus;
}

/**
 * A snapshot of a workload's pod template (apps/v1 ControllerRevision): a DaemonSet keeps one
 * per template it has run, named <daemonset>-<hash>, so a rollback can find an old template
 * again. `data` is the DaemonSet's strategic merge patch back to that template; `revision`
 * orders them (the newest is the highest).
 */
export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision: number;
}

export interface JobSpec {
  parallelism?: number;
  completions?: number;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  ttlSecondsAfterFinished?: number;
  completionMode?: 'NonIndexed' | 'Indexed';
  suspend?: boolean;
  /** Generated by the API server from the Job's uid unless manualSelector is set. */
  selector?: LabelSelector;
  manualSelector?: boolean;
  template: PodTemplateSpec;
  podReplacementPolicy?: 'TerminatingOrFailed' | 'Failed';
}

export interface JobStatus {
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  ready?: number;
  terminating?: number;
  /** Indexed Jobs: the completion indexes that succeeded, as intervals: '0-2,4'. */
  completedIndexes?: string;
  /** Finished pods the controller has seen but not counted yet (it is removing their tracking finalizer). */
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
  conditions?: Condition[];
}

export interface Job extends KubeObject {
  spec: JobSpec;
  status?: JobStatus;
}

export interface CronJobSpec {
  /** Five cron fields (minute hour day-of-month month day-of-week) or a macro such as @hourly. */
  schedule: string;
  timeZone?: string;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  suspend?: boolean;
  jobTemplate: { metadata?: ObjectMeta; spec: JobSpec };
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
}

export interface CronJob extends KubeObject {
  spec: CronJobSpec;
  status?: { active?: ObjectReference[]; lastScheduleTime?: string; lastSuccessfulTime?: string };
}

// ---- autoscaling/v1 ----

/** The scale subresource's object (deployments/web/scale): the parent's replicas and selector, nothing else. */
export interface Scale extends KubeObject {
  /** spec.replicas is omitted when 0 (omitempty). */
  spec: { replicas?: number };
  /** selector: the parent's label selector as a string ('app=web'). */
  status: { replicas: number; selector?: string };
}

// ---- autoscaling/v2 ----

export interface MetricTarget {
  type: 'Utilization' | 'Value' | 'AverageValue';
  averageUtilization?: number;
  averageValue?: string;
  value?: string;
}

export interface MetricSpec {
  type: 'Resource' | 'Pods' | 'Object' | 'External' | 'ContainerResource';
  resource?: { name: string; target: MetricTarget };
  pods?: { metric: { name: string }; target: MetricTarget };
}

export interface HorizontalPodAutoscaler extends KubeObject {
  spec: {
    scaleTargetRef: { apiVersion?: string; kind: string; name: string };
    /** Defaults to 1. */
    minReplicas?: number;
    maxReplicas: number;
    metrics?: MetricSpec[];
    behavior?: unknown;
  };
  status?: {
    currentReplicas?: number;
    desiredReplicas?: number;
    lastScaleTime?: string;
    currentMetrics?: { type: string; resource?: { name: string; current: { averageUtilization?: number; averageValue?: string } } }[];
    conditions?: Condition[];
  };
}

// ---- coordination.k8s.io/v1 ----

export interface Lease extends KubeObject {
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

// ---- rbac.authorization.k8s.io/v1 ----

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Role extends KubeObject {
  rules?: PolicyRule[];
}

export interface ClusterRole extends KubeObject {
  rules?: PolicyRule[];
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] };
}

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: 'Role' | 'ClusterRole';
  name: string;
}

export interface RoleBinding extends KubeObject {
  subjects?: Subject[];
  /** Which role is granted; it can never change after creation. */
  roleRef: RoleRef;
}

export interface ClusterRoleBinding extends KubeObject {
  subjects?: Subject[];
  roleRef: RoleRef;
}

export interface ListMeta {
  resourceVersion: string;
  /** Set when a list with `limit` has more items: pass it back as `continue` for the next page. */
  continue?: string;
  remainingItemCount?: number;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}

/**
 * scheduling.k8s.io/v1 PriorityClass: a named priority pods refer to by priorityClassName.
 * The Priority admission plugin copies its value into each new pod's spec.priority.
 */
export interface PriorityClass extends KubeObject {
  value: number;
  globalDefault?: boolean;
  description?: string;
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
}
