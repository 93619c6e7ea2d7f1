import { age, virtualMs } from '../api/time';
import type { ComponentStatus, KubeObject, Namespace, Node, Pod, ReplicaSet } from '../api/types';
import { Table } from './table';

/**
 * kubectl's default columns for each kind (`kubectl get <kind>`, and `-o wide`).
 *
 *   printTable('Pod', pods, now, { wide: false })
 *   // NAME        READY   STATUS    RESTARTS   AGE
 *   // web-7bqzx   1/1     Running   0          12s
 */
export interface PrintOptions {
  wide?: boolean;
  /** Prefix a NAMESPACE column (`-A`). */
  withNamespace?: boolean;
  /** The namespace listed, for the "No resources found in <ns> namespace." message. */
  namespace?: string;
}

type Printer = (obj: KubeObject, now: number) => { cells: string[]; wide: string[] };

const ageOf = (obj: KubeObject, now: number) => (obj.metadata.creationTimestamp ? age(virtualMs(obj.metadata.creationTimestamp), now) : '<unknown>');

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
        cells: [pod.metadata.name!, `${ready}/${pod.spec.containers.length}`, pod.status?.phase ?? 'Pending', String(restarts), ageOf(pod, now)],
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
      const selector = Object.entries(rs.spec.selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
      return {
        cells: [rs.metadata.name!, String(rs.spec.replicas ?? 1), String(rs.status?.replicas ?? 0), String(rs.status?.readyReplicas ?? 0), ageOf(rs, now)],
        wide: [containers.map((c) => c.name).join(','), containers.map((c) => c.image).join(','), selector],
      };
    },
  },
  Namespace: {
    columns: ['NAME', 'STATUS', 'AGE'],
    wide: [],
    row: (o, now) => ({ cells: [o.metadata.name!, (o as Namespace).status?.phase ?? '', ageOf(o, now)], wide: [] }),
  },
  ComponentStatus: {
    columns: ['NAME', 'STATUS', 'MESSAGE', 'ERROR'],
    wide: [],
    row: (o) => {
      const c = (o as ComponentStatus).conditions[0];
      return { cells: [o.metadata.name!, c.status === 'True' ? 'Healthy' : 'Unhealthy', c.message ?? '', c.error ?? ''], wide: [] };
    },
  },
};

export function printTable(kind: string, objects: readonly KubeObject[], now: number, options: PrintOptions = {}): Table {
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
