import { addQuantities, compareQuantities, formatQuantity, milliValue, parseQuantity, value, ZERO_QUANTITY, type Quantity } from '../../api/quantity';
import { age, virtualMs } from '../../api/time';
import type { KubeEvent, Lease, Node, Pod, ResourceList } from '../../api/types';
import { describeEvents } from './events-section';
import { annotationsMultiline, describeTime, labelsMultiline, PrefixWriter } from './writer';

/**
 * NodeDescriber (describe.go, 1.32): roles, labels, taints, the node's Lease in
 * kube-node-lease, conditions, addresses, capacity and allocatable, system info, pod CIDR,
 * the pods on it that have not finished with their requests and limits as shares of
 * allocatable, the totals, and the Events.
 *
 *   describeNode(node1, lease, podsOnNode1, events, now)
 *   // Name:               node-1
 *   // Roles:              <none>
 *   // ...
 *   // Non-terminated Pods:          (2 in total)
 *   //   Namespace                   Name                 CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
 *   //   ---------                   ----                 ------------  ----------  ---------------  -------------  ---
 *   //   default                     nginx-deployment-... 0 (0%)        0 (0%)      0 (0%)           0 (0%)         2m
 *
 * The lab's nodes carry no machine ID, system UUID, boot ID, kernel version, operating system,
 * architecture, pod CIDRs list or provider ID: those lines print empty (or are left out), as
 * kubectl prints them for a node without them. Pod overhead and sidecar init containers are
 * not counted in the requests (the lab models neither).
 */
export function describeNode(node: Readonly<Node>, lease: Readonly<Lease> | string, pods: readonly Pod[], events: readonly KubeEvent[], now: number): string {
  const w = new PrefixWriter();
  const status = node.status ?? {};
  w.write(0, `Name:\t${node.metadata.name}\n`);
  w.write(0, `Roles:\t${rolesOf(node).join(',') || '<none>'}\n`);
  w.write(0, labelsMultiline('Labels', node.metadata.labels));
  w.write(0, annotationsMultiline('Annotations', node.metadata.annotations));
  w.write(0, `CreationTimestamp:\t${describeTime(node.metadata.creationTimestamp)}\n`);
  const taints = [...(node.spec.taints ?? [])].sort((a, b) => (`${a.effect},${a.key}` < `${b.effect},${b.key}` ? -1 : 1));
  w.write(0, taints.length === 0 ? 'Taints:\t<none>\n' : taints.map((t, i) => `${i === 0 ? 'Taints:\t' : '\t'}${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}\n`).join(''));
  w.write(0, `Unschedulable:\t${node.spec.unschedulable ?? false}\n`);
  if (typeof lease === 'string') w.write(0, `Lease:\tFailed to get lease: ${lease}\n`);
  else {
    const time = (ts: string | undefined) => (ts ? describeTime(ts) : '<unset>');
    w.write(0, `Lease:\n`);
    w.write(1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
    w.write(1, `AcquireTime:\t${time(lease.spec?.acquireTime)}\n`);
    w.write(1, `RenewTime:\t${time(lease.spec?.renewTime)}\n`);
  }
  if ((status.conditions ?? []).length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    const time = describeTime;
    for (const c of status.conditions!) w.write(1, `${c.type} \t${c.status} \t${time(c.lastHeartbeatTime)} \t${time(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
  }
  w.write(0, 'Addresses:\n');
  for (const a of status.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  for (const [title, list] of [['Capacity', status.capacity], ['Allocatable', status.allocatable]] as const) {
    if (Object.keys(list ?? {}).length === 0) continue;
    w.write(0, `${title}:\n`);
    for (const name of Object.keys(list!).sort()) w.write(0, `  ${name}:\t${formatQuantity(parseQuantity(list![name] ?? '0'))}\n`);
  }
  const info = status.nodeInfo;
  w.write(0, 'System Info:\n');
  for (const [label, v] of [['Machine ID', ''], ['System UUID', ''], ['Boot ID', ''], ['Kernel Version', ''], ['OS Image', info?.osImage], ['Operating System', ''], ['Architecture', ''], ['Container Runtime Version', info?.containerRuntimeVersion], ['Kubelet Version', info?.kubeletVersion]]) {
    w.write(0, `  ${label}:\t${v ?? ''}\n`);
  }
  if (node.spec.podCIDR) w.write(0, `PodCIDR:\t${node.spec.podCIDR}\n`);
  w.write(0, nodeResources(node, pods, now));
  w.write(0, describeEvents(events, now));
  return w.toString();
}

/** findNodeRoles: the suffixes of node-role.kubernetes.io/<role> labels and the kubernetes.io/role value, sorted. */
function rolesOf(node: Readonly<Node>): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return [...roles].sort();
}

/** describeNodeResource: the pods table and the Allocated resources totals, shares of allocatable truncated to whole percent. */
function nodeResources(node: Readonly<Node>, pods: readonly Pod[], now: number): string {
  const allocatable = Object.keys(node.status?.allocatable ?? {}).length > 0 ? node.status!.allocatable! : (node.status?.capacity ?? {});
  const total = (name: string) => parseQuantity(allocatable[name] ?? '0');
  const share = (q: Quantity, name: string) => {
    const of = name === 'cpu' ? milliValue(total(name)) : value(total(name));
    return of === 0 ? 0 : Math.trunc(((name === 'cpu' ? milliValue(q) : value(q)) / of) * 100);
  };
  const cell = (q: Quantity, name: string) => `${formatQuantity(q)} (${share(q, name)}%)`;
  let s = `Non-terminated Pods:\t(${pods.length} in total)\n`;
  s += '  Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n';
  s += '  ---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n';
  const sums = { requests: new Map<string, Quantity>(), limits: new Map<string, Quantity>() };
  for (const pod of pods) {
    const req = podResources(pod, 'requests');
    const lim = podResources(pod, 'limits');
    const get = (m: Map<string, Quantity>, n: string) => m.get(n) ?? ZERO_QUANTITY;
    s += `  ${pod.metadata.namespace}\t${pod.metadata.name}\t\t${cell(get(req, 'cpu'), 'cpu')}\t${cell(get(lim, 'cpu'), 'cpu')}\t${cell(get(req, 'memory'), 'memory')}\t${cell(get(lim, 'memory'), 'memory')}\t${age(virtualMs(pod.metadata.creationTimestamp!), now)}\n`;
    for (const [m, from] of [[sums.requests, req], [sums.limits, lim]] as const) for (const [n, q] of from) m.set(n, addQuantities(get(m, n), q));
  }
  s += 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n';
  s += '  Resource\tRequests\tLimits\n  --------\t--------\t------\n';
  for (const name of ['cpu', 'memory', 'ephemeral-storage']) {
    s += `  ${name}\t${cell(sums.requests.get(name) ?? ZERO_QUANTITY, name)}\t${cell(sums.limits.get(name) ?? ZERO_QUANTITY, name)}\n`;
  }
  return s;
}

/** PodRequests / PodLimits without overhead: the containers' sum, raised to any init container's own amount. */
function podResources(pod: Readonly<Pod>, kind: 'requests' | 'limits'): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  const each = (list: ResourceList | undefined, combine: (a: Quantity, b: Quantity) => Quantity) => {
    for (const [n, text] of Object.entries(list ?? {})) out.set(n, combine(out.get(n) ?? ZERO_QUANTITY, parseQuantity(text ?? '0')));
  };
  for (const c of pod.spec.containers) each(c.resources?.[kind], addQuantities);
  for (const c of pod.spec.initContainers ?? []) each(c.resources?.[kind], (a, b) => (compareQuantities(b, a) > 0 ? b : a));
  return out;
}
