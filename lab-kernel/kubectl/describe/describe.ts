import type { ResourceInfo } from '../../api/resources';
import type { Status } from '../../api/status';
import type { CronJob, DaemonSet, Deployment, Endpoints, Job, KubeList, KubeObject, Lease, Node, Pod, ReplicaSet, Service, StatefulSet } from '../../api/types';
import { deploymentReplicaSets } from '../deployment-replica-sets';
import { checked, displayName, KubectlError, type Send } from '../kubectl-error';
import { podsStatus } from './controller-pods';
import { describeCronJob } from './cronjob';
import { describeDaemonSet } from './daemonset';
import { describeDeployment } from './deployment';
import { searchEvents } from './events-section';
import { describeJob } from './job';
import { describeNode } from './node';
import { describePod } from './pod';
import { describeReplicaSet } from './replicaset';
import { describeService } from './service';
import { describeStatefulSet } from './statefulset';

/**
 * `kubectl describe <resource> <name>`: GETs the object, then asks the API server for what its
 * kind's describer shows beside it (the pods of a controller, a Deployment's ReplicaSets, a
 * Service's Endpoints, a node's Lease and pods, and the Events of each), and prints it as
 * kubectl 1.32 does (describe.go). One file per kind in this folder.
 *
 *   describeObject(send, now, resourceFor('Pod'), 'default', 'web-x7k2p')
 *   // Name:             web-x7k2p
 *   // Namespace:        default
 *   // ...
 *   // Events:
 *   //   Type    Reason     Age   From               Message
 *   //   ----    ------     ----  ----               -------
 *   //   Normal  Scheduled  12s   default-scheduler  Successfully assigned default/web-x7k2p to node-1
 *
 * The lab describes Pods, Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs,
 * Services and Nodes; for any other kind it says so (kubectl would fall back to its generic
 * describer, which the lab does not model).
 */
export function describeObject(send: Send, now: number, info: ResourceInfo, namespace: string, name: string): string {
  const ns = info.namespaced ? namespace : undefined;
  if (!DESCRIBED.includes(info.kind)) throw new KubectlError(`error: the lab's kubectl describe does not cover ${displayName(info)} (it describes ${DESCRIBED.join(', ')})`);
  const obj = checked(send({ verb: 'get', resource: info.resource, namespace: ns, name })).body as KubeObject;
  const m = obj.metadata;
  const events = (kind: string | undefined) => searchEvents(send, { namespace: m.namespace, name: m.name ?? '', kind, uid: m.uid });
  switch (info.kind) {
    case 'Pod':
      // kubectl leaves the kind out of a pod's reference, so that a mirror pod's events match too.
      return describePod(obj as Pod, events(undefined), now);
    case 'Deployment':
      return describeDeployment(obj as Deployment, deploymentReplicaSets(send, obj as Deployment), events('Deployment'), now);
    case 'ReplicaSet': {
      const rs = obj as ReplicaSet;
      return describeReplicaSet(rs, podsStatus(send, m, rs.spec.selector), events('ReplicaSet'), now);
    }
    case 'StatefulSet': {
      const ss = obj as StatefulSet;
      return describeStatefulSet(ss, podsStatus(send, m, ss.spec.selector), events('StatefulSet'), now);
    }
    case 'DaemonSet': {
      const ds = obj as DaemonSet;
      return describeDaemonSet(ds, podsStatus(send, m, ds.spec.selector), events('DaemonSet'), now);
    }
    case 'Job':
      return describeJob(obj as Job, events('Job'), now);
    case 'CronJob':
      return describeCronJob(obj as CronJob, events('CronJob'), now);
    case 'Service': {
      const eps = send({ verb: 'get', resource: 'endpoints', namespace: ns, name });
      return describeService(obj as Service, eps.code === 200 ? (eps.body as Endpoints) : undefined, events('Service'), now);
    }
    default:
      return describeNodeObject(send, now, obj as Node);
  }
}

const DESCRIBED = ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Service', 'Node'];

/**
 * A node's extras: its Lease, the pods on it that have not finished, and its Events twice
 * over, by its uid (what controllers record) and by its name as uid (what the kubelet records).
 */
function describeNodeObject(send: Send, now: number, node: Node): string {
  const name = node.metadata.name ?? '';
  const leaseRes = send({ verb: 'get', resource: 'leases', namespace: 'kube-node-lease', name });
  const lease = leaseRes.code === 200 ? (leaseRes.body as Lease) : (leaseRes.body as Status).message ?? String(leaseRes.code);
  const fieldSelector = `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed`;
  const pods = (checked(send({ verb: 'list', resource: 'pods', fieldSelector })).body as KubeList<Pod>).items;
  const byUid = searchEvents(send, { name, kind: 'Node', uid: node.metadata.uid });
  const byName = searchEvents(send, { name, kind: 'Node', uid: name });
  return describeNode(node, lease, pods, [...byUid, ...byName], now);
}
