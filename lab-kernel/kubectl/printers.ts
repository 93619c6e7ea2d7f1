import { canonicalQuantity, isQuantity } from '../api/quantity';
import { isDefaultClass } from '../api/storage-class';
import { age, virtualMs } from '../api/time';
import type {
  AccessMode,
  ClusterRoleBinding,
  ComponentStatus,
  ConfigMap,
  Container,
  ControllerRevision,
  CronJob,
  DaemonSet,
  Deployment,
  EndpointSlice,
  Endpoints,
  HorizontalPodAutoscaler,
  Ingress,
  Job,
  KubeObject,
  LabelSelector,
  Lease,
  LoadBalancerStatus,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  StorageClass,
  Pod,
  PodTemplateSpec,
  ReplicaSet,
  ReplicationController,
  ResourceQuota,
  RoleBinding,
  Secret,
  Service,
  ServiceAccount,
  StatefulSet, PriorityClass } from '../api/types';
import { printEvents } from './events-printer';
import type { PrintOptions } from './print-options';
import { Table } from './table';

/**
 * kubectl's default columns for each kind (`kubectl get <kind>`, and `-o wide`), as kubectl
 * v1.32 prints them (pkg/printers/internalversion/printers.go).
 *
 *   printTable('Pod', pods, now, { wide: false })
 *   // NAME        READY   STATUS    RESTARTS   AGE
 *   // web-7bqzx   1/1     Running   0          12s
 *   printTable('Service', services, now)
 *   // NAME         TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)   AGE
 *   // my-service   ClusterIP   10.96.0.12    <none>        80/TCP    5s
 */
type Printer = (obj: KubeObject, now: number) => { cells: string[]; wide: string[] };

const ageOf = (obj: KubeObject, now: number) => (obj.metadata.creationTimestamp ? age(virtualMs(obj.metadata.creationTimestamp), now) : '<unknown>');
const since = (ts: string | undefined, now: number) => (ts ? age(virtualMs(ts), now) : '<none>');
/** The CREATED AT column of roles and limit ranges: the creation time itself, in UTC. */
const createdAt = (obj: KubeObject) => obj.metadata.creationTimestamp ?? '';
const orNone = (s: string | undefined) => (s === undefined || s === '' ? '<none>' : s);
const count = (map: object | undefined) => Object.keys(map ?? {}).length;

/**
 * labels.FormatLabels / metav1.FormatLabelSelector: `app=web,tier in (be,fe)`, `<none>` when
 * empty. The selector's String(): its requirements sorted by key, each one's values sorted.
 */
function formatSelector(selector: LabelSelector | Record<string, string> | undefined): string {
  if (selector === undefined) return '<none>';
  const asSelector = 'matchLabels' in selector || 'matchExpressions' in selector ? (selector as LabelSelector) : { matchLabels: selector as Record<string, string> };
  const parts: [string, string][] = Object.entries(asSelector.matchLabels ?? {}).map(([k, v]) => [k, `${k}=${v}`]);
  for (const e of asSelector.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push([e.key, `${e.key} in (${values})`]);
    else if (e.operator === 'NotIn') parts.push([e.key, `${e.key} notin (${values})`]);
    else if (e.operator === 'Exists') parts.push([e.key, e.key]);
    else parts.push([e.key, `!${e.key}`]);
  }
  // A stable sort by key, as labels.ByKey sorts an internalSelector.
  parts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return parts.length === 0 ? '<none>' : parts.map(([, text]) => text).join(',');
}

/** printControllerRevision's CONTROLLER: `daemonset.apps/fluentd-elasticsearch` (kind.group/name, lower case), `<none>` without one. */
function controllerOf(obj: KubeObject): string {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller);
  if (ref === undefined) return '<none>';
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  return `${ref.kind.toLowerCase()}${group ? `.${group}` : ''}/${ref.name}`;
}

/** The wide CONTAINERS and IMAGES columns of every workload. */
function containersAndImages(template: PodTemplateSpec | undefined): string[] {
  const containers: Container[] = template?.spec?.containers ?? [];
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image).join(',')];
}

/** GetAccessModesAsString: `RWO,RWX`, always in this order, whatever the order in the object. */
const ACCESS_MODE_SHORT: [AccessMode, string][] = [['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']];
const accessModes = (modes: AccessMode[] | undefined) => ACCESS_MODE_SHORT.filter(([m]) => (modes ?? []).includes(m)).map(([, short]) => short).join(',');
/** A quantity as Quantity.String() prints it (`1Gi`, `500m`); empty if there is none. */
const quantityString = (q: string | undefined) => (q !== undefined && isQuantity(String(q)) ? canonicalQuantity(String(q)) : '');

/** A Service's or Ingress's load-balancer addresses, comma-separated. */
const loadBalancerAddresses = (lb: LoadBalancerStatus | undefined) => (lb?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter((a) => a !== '');

function serviceExternalIP(svc: Service): string {
  const external = svc.spec.externalIPs ?? [];
  switch (svc.spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const addresses = [...loadBalancerAddresses(svc.status?.loadBalancer), ...external];
      return addresses.length > 0 ? addresses.join(',') : '<pending>';
    }
    default:
      return svc.spec.externalName ?? '<none>';
  }
}

function servicePorts(svc: Service): string {
  const ports = (svc.spec.ports ?? []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`);
  return ports.length > 0 ? ports.join(',') : '<none>';
}

/**
 * formatEndpoints: the ready addresses with each port, `10.244.1.5:80,10.244.2.7:80 + 3 more...`,
 * at most three shown; `<none>` only for no subsets (a subset of not-ready pods alone prints nothing).
 */
function formatEndpoints(ep: Endpoints): string {
  if ((ep.subsets ?? []).length === 0) return '<none>';
  const all: string[] = [];
  for (const subset of ep.subsets ?? []) {
    const ports = subset.ports?.length ? subset.ports : [undefined];
    for (const p of ports) for (const a of subset.addresses ?? []) all.push(p === undefined ? a.ip : `${a.ip}:${p.port}`);
  }
  return all.length === 0 ? '' : listWithMore(all);
}

/** listWithMoreString: at most three, then ` + N more...`; `<unset>` for none. */
function listWithMore(all: readonly string[]): string {
  if (all.length === 0) return '<unset>';
  return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',');
}

function jobStatus(job: Job): string {
  const has = (type: string) => (job.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function jobCompletions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec.completions !== undefined) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: Job, now: number): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = job.status?.completionTime;
  return age(virtualMs(start), end ? virtualMs(end) : now);
}

/** `cpu: 12%/50%` per metric (since kubectl v1.30 the metric is named), `<none>` without metrics. */
function hpaTargets(hpa: HorizontalPodAutoscaler): string {
  const targets = (hpa.spec.metrics ?? []).map((m, i) => {
    const name = m.resource?.name ?? m.pods?.metric.name ?? m.type;
    const target = m.resource?.target ?? m.pods?.target;
    const current = hpa.status?.currentMetrics?.[i]?.resource?.current;
    if (target?.type === 'Utilization') {
      const now = current?.averageUtilization !== undefined ? `${current.averageUtilization}%` : '<unknown>';
      return `${name}: ${now}/${target.averageUtilization}%`;
    }
    const now = current?.averageValue ?? '<unknown>';
    return `${name}: ${now}/${target?.averageValue ?? target?.value ?? '<unknown>'}`;
  });
  return targets.length > 0 ? targets.join(', ') : '<none>';
}

/** `pods: 1/10, requests.cpu: 500m/1`: used/hard per resource, limits.* in their own column. */
function quotaColumns(rq: ResourceQuota): [string, string] {
  const show = (q: string | undefined) => quantityString(q) || '0';
  const requests: string[] = [];
  const limits: string[] = [];
  for (const name of Object.keys(rq.spec?.hard ?? {}).sort()) {
    const text = `${name}: ${show(rq.status?.used?.[name])}/${show(rq.status?.hard?.[name])}`;
    (name.startsWith('limits.') ? limits : requests).push(text);
  }
  return [requests.join(', '), limits.join(', ')];
}

/** The wide USERS, GROUPS and SERVICEACCOUNTS columns of a binding. */
function bindingSubjects(b: RoleBinding | ClusterRoleBinding): string[] {
  const of = (kind: string) => (b.subjects ?? []).filter((s) => s.kind === kind);
  return [
    of('User').map((s) => s.name).join(', '),
    of('Group').map((s) => s.name).join(', '),
    of('ServiceAccount').map((s) => (s.namespace ? `${s.namespace}/${s.name}` : s.name)).join(', '),
  ];
}

function bindingRow(o: KubeObject, now: number) {
  const b = o as RoleBinding | ClusterRoleBinding;
  return { cells: [b.metadata.name!, `${b.roleRef?.kind}/${b.roleRef?.name}`, ageOf(b, now)], wide: bindingSubjects(b) };
}

/**
 * A pod's STATUS column as kubectl prints it (pkg/printers/internalversion printPod): the
 * phase (or the pod's reason); while init containers run, Init:<i>/<n> or Init:<reason>;
 * then a container's waiting or terminated reason (the first container's wins); Terminating
 * once it is being deleted, unless it has already finished.
 *   phase Pending, container web waiting ErrImagePull      => 'ErrImagePull'
 *   phase Pending, init container 0 of 2 running           => 'Init:0/2'
 *   phase Succeeded, container pi terminated Completed     => 'Completed'
 *   phase Running, container app waiting CrashLoopBackOff  => 'CrashLoopBackOff'
 */
function podStatusColumn(pod: Pod): string {
  const status = pod.status ?? {};
  let reason: string = status.reason || status.phase || 'Pending';
  const inits = pod.spec.initContainers ?? [];
  let initializing = false;
  for (const [i, c] of (status.initContainerStatuses ?? []).entries()) {
    const sidecar = inits.find((x) => x.name === c.name)?.restartPolicy === 'Always';
    const t = c.state?.terminated;
    if (t !== undefined && t.exitCode === 0) continue;
    if (sidecar && c.started) continue;
    if (t !== undefined) reason = t.reason ? `Init:${t.reason}` : `Init:ExitCode:${t.exitCode}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${inits.length}`;
    initializing = true;
    break;
  }
  const initialized = status.conditions?.some((c) => c.type === 'Initialized' && c.status === 'True') ?? false;
  if (!initializing || initialized) {
    let hasRunning = false;
    for (const c of [...(status.containerStatuses ?? [])].reverse()) {
      const t = c.state?.terminated;
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (t !== undefined) reason = t.reason ? t.reason : `ExitCode:${t.exitCode}`;
      else if (c.ready && c.state?.running !== undefined) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
  }
  if (pod.metadata.deletionTimestamp && status.phase !== 'Succeeded' && status.phase !== 'Failed') return 'Terminating';
  return reason;
}

const PRINTERS: Record<string, { columns: string[]; wide: string[]; row: Printer }> = {
  Pod: {
    columns: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
    wide: ['IP', 'NODE'],
    row: (o, now) => {
      const pod = o as Pod;
      const statuses = pod.status?.containerStatuses ?? [];
      const ready = statuses.filter((s) => s.ready).length;
      const restarts = statuses.reduce((n, s) => n + s.restartCount, 0);
      return {
        cells: [pod.metadata.name!, `${ready}/${pod.spec.containers.length}`, podStatusColumn(pod), String(restarts), ageOf(pod, now)],
        wide: [pod.status?.podIP ?? '<none>', pod.spec.nodeName ?? '<none>'],
      };
    },
  },
  Node: {
    columns: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
    wide: ['INTERNAL-IP', 'OS-IMAGE', 'CONTAINER-RUNTIME'],
    row: (o, now) => {
      const node = o as Node;
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? 'Ready' : 'NotReady';
      const roles = Object.keys(node.metadata.labels ?? {})
        .filter((l) => l.startsWith('node-role.kubernetes.io/'))
        .map((l) => l.slice('node-role.kubernetes.io/'.length));
      return {
        cells: [node.metadata.name!, node.spec.unschedulable ? `${ready},SchedulingDisabled` : ready, roles.join(',') || '<none>', ageOf(node, now), node.status?.nodeInfo?.kubeletVersion ?? ''],
        wide: [node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '<none>', node.status?.nodeInfo?.osImage ?? '', node.status?.nodeInfo?.containerRuntimeVersion ?? ''],
      };
    },
  },
  ReplicaSet: {
    columns: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o, now) => {
      const rs = o as ReplicaSet;
      const containers = rs.spec.template.spec.containers;
      return {
        cells: [rs.metadata.name!, String(rs.spec.replicas ?? 1), String(rs.status?.replicas ?? 0), String(rs.status?.readyReplicas ?? 0), ageOf(rs, now)],
        wide: [containers.map((c) => c.name).join(','), containers.map((c) => c.image).join(','), formatSelector(rs.spec.selector)],
      };
    },
  },
  Namespace: {
    columns: ['NAME', 'STATUS', 'AGE'],
    wide: [],
    row: (o, now) => ({ cells: [o.metadata.name!, (o as Namespace).status?.phase ?? '', ageOf(o, now)], wide: [] }),
  },
  ReplicationController: {
    columns: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o, now) => {
      const rc = o as ReplicationController;
      return {
        cells: [rc.metadata.name!, String(rc.spec.replicas ?? 1), String(rc.status?.replicas ?? 0), String(rc.status?.readyReplicas ?? 0), ageOf(rc, now)],
        wide: [...containersAndImages(rc.spec.template), formatSelector(rc.spec.selector)],
      };
    },
  },
  Deployment: {
    columns: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o, now) => {
      const d = o as Deployment;
      const st = d.status ?? {};
      return {
        cells: [d.metadata.name!, `${st.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`, String(st.updatedReplicas ?? 0), String(st.availableReplicas ?? 0), ageOf(d, now)],
        wide: [...containersAndImages(d.spec.template), formatSelector(d.spec.selector)],
      };
    },
  },
  StatefulSet: {
    columns: ['NAME', 'READY', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES'],
    row: (o, now) => {
      const sts = o as StatefulSet;
      return { cells: [sts.metadata.name!, `${sts.status?.readyReplicas ?? 0}/${sts.spec.replicas ?? 1}`, ageOf(sts, now)], wide: containersAndImages(sts.spec.template) };
    },
  },
  DaemonSet: {
    columns: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o, now) => {
      const ds = o as DaemonSet;
      const st = ds.status;
      const numbers = [st?.desiredNumberScheduled, st?.currentNumberScheduled, st?.numberReady, st?.updatedNumberScheduled, st?.numberAvailable].map((n) => String(n ?? 0));
      return {
        cells: [ds.metadata.name!, ...numbers, formatSelector(ds.spec.template?.spec?.nodeSelector ?? {}), ageOf(ds, now)],
        wide: [...containersAndImages(ds.spec.template), formatSelector(ds.spec.selector)],
      };
    },
  },
  ControllerRevision: {
    columns: ['NAME', 'CONTROLLER', 'REVISION', 'AGE'],
    wide: [],
    row: (o, now) => {
      const cr = o as ControllerRevision;
      return { cells: [cr.metadata.name!, controllerOf(cr), String(cr.revision), ageOf(cr, now)], wide: [] };
    },
  },
  Job: {
    columns: ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o, now) => {
      const job = o as Job;
      return {
        cells: [job.metadata.name!, jobStatus(job), jobCompletions(job), jobDuration(job, now), ageOf(job, now)],
        wide: [...containersAndImages(job.spec.template), formatSelector(job.spec.selector)],
      };
    },
  },
  CronJob: {
    columns: ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o, now) => {
      const cj = o as CronJob;
      const suspend = cj.spec.suspend === undefined ? '<unset>' : cj.spec.suspend ? 'True' : 'False';
      return {
        cells: [cj.metadata.name!, cj.spec.schedule, orNone(cj.spec.timeZone), suspend, String(cj.status?.active?.length ?? 0), since(cj.status?.lastScheduleTime, now), ageOf(cj, now)],
        wide: [...containersAndImages(cj.spec.jobTemplate?.spec?.template), formatSelector(cj.spec.jobTemplate?.spec?.selector)],
      };
    },
  },
  Service: {
    columns: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    wide: ['SELECTOR'],
    row: (o, now) => {
      const svc = o as Service;
      return {
        cells: [svc.metadata.name!, svc.spec.type ?? 'ClusterIP', orNone(svc.spec.clusterIPs?.[0]), serviceExternalIP(svc), servicePorts(svc), ageOf(svc, now)],
        wide: [formatSelector(svc.spec.selector ?? {})],
      };
    },
  },
  Endpoints: {
    columns: ['NAME', 'ENDPOINTS', 'AGE'],
    wide: [],
    row: (o, now) => ({ cells: [o.metadata.name!, formatEndpoints(o as Endpoints), ageOf(o, now)], wide: [] }),
  },
  EndpointSlice: {
    columns: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
    wide: [],
    row: (o, now) => {
      const slice = o as EndpointSlice;
      // formatDiscoveryPorts: a port's number, else its name, else `*`.
      const ports = listWithMore((slice.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : p.name !== undefined ? p.name : '*')));
      const addresses = listWithMore((slice.endpoints ?? []).flatMap((e) => e.addresses));
      return { cells: [slice.metadata.name!, slice.addressType, ports, addresses, ageOf(slice, now)], wide: [] };
    },
  },
  Ingress: {
    columns: ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'],
    wide: [],
    row: (o, now) => {
      const ing = o as Ingress;
      const hosts = (ing.spec.rules ?? []).map((r) => r.host).filter((h): h is string => !!h);
      const ports = (ing.spec.tls ?? []).length > 0 ? '80, 443' : '80';
      return { cells: [ing.metadata.name!, orNone(ing.spec.ingressClassName), hosts.join(',') || '*', loadBalancerAddresses(ing.status?.loadBalancer).join(','), ports, ageOf(ing, now)], wide: [] };
    },
  },
  HorizontalPodAutoscaler: {
    columns: ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'],
    wide: [],
    row: (o, now) => {
      const hpa = o as HorizontalPodAutoscaler;
      const ref = hpa.spec.scaleTargetRef;
      const min = hpa.spec.minReplicas === undefined ? '<unset>' : String(hpa.spec.minReplicas);
      return { cells: [hpa.metadata.name!, `${ref.kind}/${ref.name}`, hpaTargets(hpa), min, String(hpa.spec.maxReplicas), String(hpa.status?.currentReplicas ?? 0), ageOf(hpa, now)], wide: [] };
    },
  },
  ConfigMap: {
    columns: ['NAME', 'DATA', 'AGE'],
    wide: [],
    row: (o, now) => {
      const cm = o as ConfigMap;
      return { cells: [cm.metadata.name!, String(count(cm.data) + count(cm.binaryData)), ageOf(cm, now)], wide: [] };
    },
  },
  Secret: {
    columns: ['NAME', 'TYPE', 'DATA', 'AGE'],
    wide: [],
    row: (o, now) => {
      const secret = o as Secret;
      return { cells: [secret.metadata.name!, secret.type ?? 'Opaque', String(count(secret.data)), ageOf(secret, now)], wide: [] };
    },
  },
  ServiceAccount: {
    columns: ['NAME', 'SECRETS', 'AGE'],
    wide: [],
    row: (o, now) => ({ cells: [o.metadata.name!, String((o as ServiceAccount).secrets?.length ?? 0), ageOf(o, now)], wide: [] }),
  },
  PersistentVolume: {
    columns: ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE'],
    wide: ['VOLUMEMODE'],
    row: (o, now) => {
      const pv = o as PersistentVolume;
      const claim = pv.spec.claimRef?.name ? `${pv.spec.claimRef.namespace}/${pv.spec.claimRef.name}` : '';
      const capacity = quantityString(pv.spec.capacity?.storage);
      return {
        cells: [pv.metadata.name!, capacity, accessModes(pv.spec.accessModes), pv.spec.persistentVolumeReclaimPolicy ?? '', pv.status?.phase ?? '', claim, pv.spec.storageClassName ?? '', '<unset>', '', ageOf(pv, now)],
        wide: [pv.spec.volumeMode ?? '<unset>'],
      };
    },
  },
  PersistentVolumeClaim: {
    columns: ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'],
    wide: ['VOLUMEMODE'],
    row: (o, now) => {
      const pvc = o as PersistentVolumeClaim;
      const bound = pvc.spec.volumeName !== undefined && pvc.spec.volumeName !== '';
      return {
        cells: [
          pvc.metadata.name!,
          pvc.metadata.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? ''),
          pvc.spec.volumeName ?? '',
          bound ? quantityString(pvc.status?.capacity?.storage) : '',
          bound ? accessModes(pvc.status?.accessModes) : '',
          pvc.spec.storageClassName ?? '',
          '<unset>',
          ageOf(pvc, now),
        ],
        wide: [pvc.spec.volumeMode ?? '<unset>'],
      };
    },
  },
  StorageClass: {
    columns: ['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE'],
    wide: [],
    row: (o, now) => {
      const sc = o as StorageClass;
      // printStorageClass: the default class is marked, and unset fields print their defaults.
      const name = isDefaultClass(sc) ? `${sc.metadata.name} (default)` : sc.metadata.name!;
      return { cells: [name, sc.provisioner, sc.reclaimPolicy ?? 'Delete', sc.volumeBindingMode ?? 'Immediate', String(sc.allowVolumeExpansion ?? false), ageOf(sc, now)], wide: [] };
    },
  },
  ResourceQuota: {
    columns: ['NAME', 'AGE', 'REQUEST', 'LIMIT'],
    wide: [],
    row: (o, now) => ({ cells: [o.metadata.name!, ageOf(o, now), ...quotaColumns(o as ResourceQuota)], wide: [] }),
  },
  LimitRange: {
    columns: ['NAME', 'CREATED AT'],
    wide: [],
    row: (o) => ({ cells: [o.metadata.name!, createdAt(o)], wide: [] }),
  },
  PriorityClass: {
    columns: ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY'],
    wide: [],
    row: (o, now) => {
      const pc = o as PriorityClass;
      return { cells: [pc.metadata.name!, String(pc.value), String(pc.globalDefault ?? false), ageOf(pc, now), pc.preemptionPolicy ?? 'PreemptLowerPriority'], wide: [] };
    },
  },
  Lease: {
    columns: ['NAME', 'HOLDER', 'AGE'],
    wide: [],
    row: (o, now) => ({ cells: [o.metadata.name!, (o as Lease).spec?.holderIdentity ?? '', ageOf(o, now)], wide: [] }),
  },
  Role: {
    columns: ['NAME', 'CREATED AT'],
    wide: [],
    row: (o) => ({ cells: [o.metadata.name!, createdAt(o)], wide: [] }),
  },
  ClusterRole: {
    columns: ['NAME', 'CREATED AT'],
    wide: [],
    row: (o) => ({ cells: [o.metadata.name!, createdAt(o)], wide: [] }),
  },
  RoleBinding: { columns: ['NAME', 'ROLE', 'AGE'], wide: ['USERS', 'GROUPS', 'SERVICEACCOUNTS'], row: bindingRow },
  ClusterRoleBinding: { columns: ['NAME', 'ROLE', 'AGE'], wide: ['USERS', 'GROUPS', 'SERVICEACCOUNTS'], row: bindingRow },
  ComponentStatus: {
    columns: ['NAME', 'STATUS', 'MESSAGE', 'ERROR'],
    wide: [],
    row: (o) => {
      const c = (o as ComponentStatus).conditions[0];
      return { cells: [o.metadata.name!, c.status === 'True' ? 'Healthy' : 'Unhealthy', c.message ?? '', c.error ?? ''], wide: [] };
    },
  },
};

/** Every kind kubectl has columns for; Events have their own printer (events-printer.ts). */
export function printTable(kind: string, objects: readonly KubeObject[], now: number, options: PrintOptions = {}): Table {
  if (kind === 'Event') return printEvents(objects, now, options);
  const printer = PRINTERS[kind];
  const whenEmpty = options.namespace ? `No resources found in ${options.namespace} namespace.` : 'No resources found';
  if (printer === undefined) {
    return new Table(['NAME', 'AGE'], objects.map((o) => [o.metadata.name ?? '', ageOf(o, now)]), whenEmpty);
  }
  const columns = [...(options.withNamespace ? ['NAMESPACE'] : []), ...printer.columns, ...(options.wide ? printer.wide : [])];
  const rows = objects.map((o) => {
    const { cells, wide } = printer.row(o, now);
    return [...(options.withNamespace ? [o.metadata.namespace ?? ''] : []), ...cells, ...(options.wide ? wide : [])];
  });
  return new Table(columns, rows, whenEmpty);
}
