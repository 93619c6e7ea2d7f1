import type { ClusterRoleBinding, Container, CronJob, DaemonSet, Deployment, EndpointSlice, Endpoints, HorizontalPodAutoscaler, Job, KubeObject, LimitRange, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, PodSpec, PodTemplateSpec, Probe, ReplicaSet, ReplicationController, RoleBinding, Secret, Service, StatefulSet, StorageClass, Subject, Volume } from './types';

/**
 * Defaulting: the values the API server fills in when a manifest leaves them out, the same
 * ones Kubernetes' pkg/apis/<group>/v1/defaults.go sets.
 *
 *   applyDefaults({ kind: 'Pod', spec: { containers: [{ name: 'web', image: 'nginx' }] } })
 *   // spec.restartPolicy 'Always', schedulerName 'default-scheduler', terminationGracePeriodSeconds 30,
 *   // dnsPolicy 'ClusterFirst', enableServiceLinks true, securityContext {}; the container's
 *   // imagePullPolicy 'Always' (no tag means :latest), terminationMessagePath '/dev/termination-log';
 *   // status.phase 'Pending'
 *
 *   applyDefaults({ kind: 'Deployment', spec: { selector, template } })
 *   // spec.replicas 1, strategy RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600
 *
 * Like kube-apiserver, defaults are filled before validation. Only the fields the lab types
 * are defaulted; a field the manifest already sets is never touched. Defaulting must not
 * throw on malformed input: validation reports that.
 */
export function applyDefaults(obj: KubeObject): void {
  const defaulter = DEFAULTERS[obj.kind];
  if (defaulter !== undefined) defaulter(obj);
}

const DEFAULTERS: Record<string, (obj: KubeObject) => void> = {
  Pod: (o) => defaultPod(o as Pod),
  // NodeSpec is a struct, not a pointer: a Node read back always has a spec, empty or not.
  Node: (o) => void ((o as Node).spec ??= {}),
  Namespace: (o) => defaultNamespace(o as Namespace),
  Service: (o) => defaultService(o as Service),
  Endpoints: (o) => defaultEndpoints(o as Endpoints),
  EndpointSlice: (o) => defaultEndpointSlice(o as EndpointSlice),
  Secret: (o) => defaultSecret(o as Secret),
  PersistentVolume: (o) => defaultPersistentVolume(o as PersistentVolume),
  PersistentVolumeClaim: (o) => defaultPersistentVolumeClaim(o as PersistentVolumeClaim),
  StorageClass: (o) => defaultStorageClass(o as StorageClass),
  LimitRange: (o) => defaultLimitRange(o as LimitRange),
  ReplicationController: (o) => defaultReplicationController(o as ReplicationController),
  ReplicaSet: (o) => defaultReplicaSet(o as ReplicaSet),
  Deployment: (o) => defaultDeployment(o as Deployment),
  StatefulSet: (o) => defaultStatefulSet(o as StatefulSet),
  DaemonSet: (o) => defaultDaemonSet(o as DaemonSet),
  Job: (o) => defaultJob(o as Job),
  CronJob: (o) => defaultCronJob(o as CronJob),
  HorizontalPodAutoscaler: (o) => defaultHorizontalPodAutoscaler(o as HorizontalPodAutoscaler),
  RoleBinding: (o) => defaultBinding(o as RoleBinding),
  ClusterRoleBinding: (o) => defaultBinding(o as ClusterRoleBinding),
};

const isObject = <T>(v: T): v is NonNullable<T> & object => v !== null && typeof v === 'object' && !Array.isArray(v);
const arrayOf = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v.filter(isObject) : []);

function defaultPod(pod: Pod): void {
  if (!isObject(pod.spec)) return;
  defaultPodSpec(pod.spec);
  pod.status = { phase: 'Pending', ...(isObject(pod.status) ? pod.status : {}) };
}

/** Pod spec defaults, shared by pods and every workload's pod template (SetDefaults_PodSpec and friends). */
function defaultPodSpec(spec: PodSpec): void {
  spec.restartPolicy ??= 'Always';
  spec.schedulerName ??= 'default-scheduler';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  if (spec.serviceAccountName !== undefined) spec.serviceAccount ??= spec.serviceAccountName;
  for (const c of [...arrayOf(spec.containers), ...arrayOf(spec.initContainers)]) defaultContainer(c);
  for (const v of arrayOf(spec.volumes)) defaultVolume(v);
}

function defaultTemplate(template: PodTemplateSpec | undefined): void {
  if (isObject(template) && isObject(template.spec)) defaultPodSpec(template.spec);
}

function defaultContainer(c: Container): void {
  c.imagePullPolicy ??= defaultPullPolicy(c);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  for (const p of arrayOf(c.ports)) p.protocol ??= 'TCP';
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (isObject(probe)) defaultProbe(probe);
  for (const e of arrayOf(c.env)) if (isObject(e.valueFrom?.fieldRef)) e.valueFrom!.fieldRef!.apiVersion ??= 'v1';
  // Limits without requests: the request is the limit (SetDefaults_Pod copies them over).
  const resources = c.resources;
  if (isObject(resources) && isObject(resources.limits)) {
    resources.requests = Object.assign({}, resources.limits, isObject(resources.requests) ? resources.requests : {});
  }
}

/** A probe as the API server stores it: its timings and its httpGet's path and scheme filled in. */
export type DefaultedProbe = Omit<Probe, 'httpGet'> & {
  timeoutSeconds: number;
  periodSeconds: number;
  successThreshold: number;
  failureThreshold: number;
  httpGet?: NonNullable<Probe['httpGet']> & { path: string; scheme: 'HTTP' | 'HTTPS' };
};

/**
 * A copy of the probe with the defaults of SetDefaults_Probe and SetDefaults_HTTPGetAction:
 *   withProbeDefaults({ exec: { command: ['cat', '/tmp/healthy'] } })
 *   // => { exec, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 }
 */
export function withProbeDefaults(probe: Readonly<Probe>): DefaultedProbe {
  const copy = structuredClone(probe) as Probe;
  defaultProbe(copy);
  return copy as DefaultedProbe;
}

function defaultProbe(probe: Probe): void {
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (isObject(probe.httpGet)) {
    probe.httpGet.path ??= '/';
    probe.httpGet.scheme ??= 'HTTP';
  }
}

function defaultVolume(v: Volume): void {
  const sources = ['emptyDir', 'hostPath', 'configMap', 'secret', 'persistentVolumeClaim', 'projected'] as const;
  if (!sources.some((s) => v[s] !== undefined)) v.emptyDir = {};
  if (isObject(v.configMap)) v.configMap.defaultMode ??= 0o644;
  if (isObject(v.secret)) v.secret.defaultMode ??= 0o644;
  if (isObject(v.hostPath)) v.hostPath.type ??= '';
  if (isObject(v.projected)) v.projected.defaultMode ??= 0o644;
}

/** `:latest` (or no tag) pulls every time; a fixed tag or a digest only when the image is missing. */
export function defaultPullPolicy(c: Readonly<Container>): 'Always' | 'IfNotPresent' {
  const image = typeof c.image === 'string' ? c.image : '';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  if (image.includes('@')) return 'IfNotPresent';
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultNamespace(ns: Namespace): void {
  ns.spec = { finalizers: ['kubernetes'], ...(isObject(ns.spec) ? ns.spec : {}) };
  ns.status = { phase: 'Active' };
  // Since v1.21 every namespace carries its own name as a label, so selectors can pick it.
  if (typeof ns.metadata.name === 'string') ns.metadata.labels = Object.assign({}, ns.metadata.labels, { 'kubernetes.io/metadata.name': ns.metadata.name });
}

/**
 * Type ClusterIP, sessionAffinity None, each port TCP with targetPort = port, and a
 * LoadBalancer's allocateLoadBalancerNodePorts true. The clusterIP and node ports themselves
 * are allocated by the API server (apiserver/allocation/service-allocators.ts).
 */
function defaultService(svc: Service): void {
  if (!isObject(svc.spec)) return;
  const spec = svc.spec;
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  for (const p of arrayOf(spec.ports)) {
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

function defaultEndpoints(ep: Endpoints): void {
  for (const subset of arrayOf(ep.subsets)) for (const p of arrayOf(subset.ports)) p.protocol ??= 'TCP';
}

function defaultEndpointSlice(slice: EndpointSlice): void {
  for (const p of arrayOf(slice.ports)) {
    p.name ??= '';
    p.protocol ??= 'TCP';
  }
}

/**
 * Type Opaque. stringData is write-only: each value is base64-encoded into data (winning over
 * a data key of the same name) and stringData itself is not stored. kube-apiserver does this
 * while decoding the request, before defaulting; the lab does it here.
 */
function defaultSecret(secret: Secret): void {
  secret.type ??= 'Opaque';
  if (isObject(secret.stringData)) {
    const encoded = Object.entries(secret.stringData).map(([k, v]) => [k, Buffer.from(String(v), 'utf8').toString('base64')]);
    // A spread, not Object.assign: a data key may be "__proto__", which Object.assign would take for the prototype.
    secret.data = { ...(isObject(secret.data) ? secret.data : {}), ...Object.fromEntries(encoded) };
  }
  delete secret.stringData;
}

function defaultPersistentVolume(pv: PersistentVolume): void {
  if (!isObject(pv.spec)) return;
  pv.spec.persistentVolumeReclaimPolicy ??= 'Retain';
  pv.spec.volumeMode ??= 'Filesystem';
  if (isObject(pv.spec.hostPath)) pv.spec.hostPath.type ??= '';
  pv.status = { phase: 'Pending', ...(isObject(pv.status) ? pv.status : {}) };
}

function defaultPersistentVolumeClaim(pvc: PersistentVolumeClaim): void {
  if (isObject(pvc.spec)) pvc.spec.volumeMode ??= 'Filesystem';
  pvc.status = { phase: 'Pending', ...(isObject(pvc.status) ? pvc.status : {}) };
}

/** SetDefaults_StorageClass: reclaimPolicy Delete, volumeBindingMode Immediate. */
function defaultStorageClass(sc: StorageClass): void {
  sc.reclaimPolicy ??= 'Delete';
  sc.volumeBindingMode ??= 'Immediate';
}

/** For containers: default limit = max, default request = default limit, else min. */
function defaultLimitRange(lr: LimitRange): void {
  for (const item of arrayOf(lr.spec?.limits)) {
    if (item.type !== 'Container') continue;
    const limit = Object.assign({}, item.max, item.default);
    const request = Object.assign({}, item.min, limit, item.defaultRequest);
    if (Object.keys(limit).length > 0) item.default = limit;
    if (Object.keys(request).length > 0) item.defaultRequest = request;
  }
}

/** Like a ReplicaSet, but the plain selector (and the labels) default to the template's labels. */
function defaultReplicationController(rc: ReplicationController): void {
  if (!isObject(rc.spec)) return;
  const templateLabels = rc.spec.template?.metadata?.labels;
  if (isObject(templateLabels)) {
    if (!isObject(rc.spec.selector) || Object.keys(rc.spec.selector).length === 0) rc.spec.selector = { ...templateLabels };
    if (!isObject(rc.metadata.labels) || Object.keys(rc.metadata.labels).length === 0) rc.metadata.labels = { ...templateLabels };
  }
  rc.spec.replicas ??= 1;
  defaultTemplate(rc.spec.template);
}

function defaultReplicaSet(rs: ReplicaSet): void {
  if (!isObject(rs.spec)) return;
  rs.spec.replicas ??= 1;
  defaultTemplate(rs.spec.template);
}

function defaultDeployment(d: Deployment): void {
  if (!isObject(d.spec)) return;
  const spec = d.spec;
  spec.replicas ??= 1;
  spec.strategy ??= {};
  if (isObject(spec.strategy)) {
    spec.strategy.type ??= 'RollingUpdate';
    if (spec.strategy.type === 'RollingUpdate') spec.strategy.rollingUpdate ??= {};
    if (isObject(spec.strategy.rollingUpdate)) {
      spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
      spec.strategy.rollingUpdate.maxSurge ??= '25%';
    }
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultTemplate(spec.template);
}

function defaultStatefulSet(sts: StatefulSet): void {
  if (!isObject(sts.spec)) return;
  const spec = sts.spec;
  spec.replicas ??= 1;
  spec.podManagementPolicy ??= 'OrderedReady';
  spec.updateStrategy ??= {};
  if (isObject(spec.updateStrategy)) {
    spec.updateStrategy.type ??= 'RollingUpdate';
    if (spec.updateStrategy.type === 'RollingUpdate') spec.updateStrategy.rollingUpdate ??= { partition: 0 };
  }
  spec.revisionHistoryLimit ??= 10;
  spec.persistentVolumeClaimRetentionPolicy ??= {};
  if (isObject(spec.persistentVolumeClaimRetentionPolicy)) {
    spec.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
    spec.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
  }
  for (const claim of arrayOf(spec.volumeClaimTemplates)) defaultPersistentVolumeClaim(claim);
  defaultTemplate(spec.template);
}

function defaultDaemonSet(ds: DaemonSet): void {
  if (!isObject(ds.spec)) return;
  const spec = ds.spec;
  spec.updateStrategy ??= {};
  if (isObject(spec.updateStrategy)) {
    spec.updateStrategy.type ??= 'RollingUpdate';
    if (spec.updateStrategy.type === 'RollingUpdate') spec.updateStrategy.rollingUpdate ??= {};
    if (isObject(spec.updateStrategy.rollingUpdate)) {
      spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
      spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
    }
  }
  spec.revisionHistoryLimit ??= 10;
  defaultTemplate(spec.template);
}

/**
 * Neither completions nor parallelism: both 1; parallelism alone: completions stays unset
 * (a work queue). backoffLimit 6, NonIndexed, not suspended, and the Job takes its template's
 * labels when it has none of its own.
 */
function defaultJob(job: Job): void {
  if (!isObject(job.spec)) return;
  const spec = job.spec;
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= 'TerminatingOrFailed';
  const templateLabels = spec.template?.metadata?.labels;
  if (isObject(templateLabels) && Object.keys(job.metadata.labels ?? {}).length === 0) job.metadata.labels = { ...templateLabels };
  defaultTemplate(spec.template);
}

/** The job template's pod template gets pod defaults; the job template's own spec does not get Job defaults. */
function defaultCronJob(cj: CronJob): void {
  if (!isObject(cj.spec)) return;
  const spec = cj.spec;
  spec.concurrencyPolicy ??= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  if (isObject(spec.jobTemplate) && isObject(spec.jobTemplate.spec)) defaultTemplate(spec.jobTemplate.spec.template);
}

/** minReplicas 1; no metrics means 80% average CPU utilization. */
function defaultHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): void {
  if (!isObject(hpa.spec)) return;
  hpa.spec.minReplicas ??= 1;
  if (!Array.isArray(hpa.spec.metrics) || hpa.spec.metrics.length === 0) {
    hpa.spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
}

/** roleRef.apiGroup defaults to the RBAC group, and so does a User or Group subject's (a ServiceAccount's stays ''). */
function defaultBinding(binding: RoleBinding | ClusterRoleBinding): void {
  if (isObject(binding.roleRef)) binding.roleRef.apiGroup ||= RBAC_GROUP;
  for (const s of arrayOf<Subject>(binding.subjects)) {
    if (!s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = RBAC_GROUP;
  }
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * The selector and labels kube-apiserver gives a new Job once it has a uid (the Job
 * strategy's generateSelector): its pods carry the Job's uid and name, and the selector
 * picks exactly them. A Job with `manualSelector: true` keeps its own selector.
 *
 *   generateJobSelector(pi)  // pi.metadata.uid 'a1b2'
 *   // spec.selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'a1b2' } }
 *   // spec.template.metadata.labels: { 'batch.kubernetes.io/controller-uid': 'a1b2', 'batch.kubernetes.io/job-name': 'pi',
 *   //                                  'controller-uid': 'a1b2', 'job-name': 'pi', ...its own }
 */
export function generateJobSelector(job: Job): void {
  const uid = job.metadata.uid;
  if (!isObject(job.spec) || job.spec.manualSelector === true || !uid) return;
  const name = job.metadata.name ?? '';
  job.spec.template = isObject(job.spec.template) ? job.spec.template : ({} as PodTemplateSpec);
  const meta = (job.spec.template.metadata = isObject(job.spec.template.metadata) ? job.spec.template.metadata : {});
  meta.labels = Object.assign({}, meta.labels, {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  });
  job.spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
}
