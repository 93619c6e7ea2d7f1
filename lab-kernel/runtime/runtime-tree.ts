import type { ContainerState, PodSandboxState } from './cri';
import { SANDBOX_IMAGE } from './image-service';
import type { ContainerRecord, NamespaceIds, RuntimeState, SandboxRecord } from './runtime-state';

/**
 * What runs on a node, as plain data a chapter can draw: each pod sandbox with its pause
 * container and its app containers, their PIDs, their namespaces (as `ls -l /proc/<pid>/ns`
 * names them) and their cgroups.
 *
 *   runtimeTree(state).pods[0]
 *   // => { name: 'default/web', sandboxId: '3f2a...', state: 'SANDBOX_READY', ip: '10.244.0.2', hostname: 'web',
 *   //      cgroupParent: '/kubepods/burstable/poda1b2', processes: [
 *   //        { role: 'pause', name: 'POD', pid: 4211, namespaces: { net: 'net:[4026532165]', ipc: ..., uts: ..., pid: ..., mnt: ... },
 *   //          cgroup: { path: '/kubepods/burstable/poda1b2/3f2a...', cpuShares: 2, ... } },
 *   //        { role: 'container', name: 'nginx', pid: 4230, namespaces: { net: 'net:[4026532165]', ... (the same net, ipc, uts) },
 *   //          cgroup: { path: '/kubepods/burstable/poda1b2/9d0c...', cpuShares: 256, cpuQuota: 50000, ... }, listens: 80 } ] }
 *
 * The pause container's cgroup has containerd's default sandbox weight (2 shares) and no limits.
 */
export interface CgroupView {
  path: string;
  cpuShares: number;
  cpuQuota: number;
  cpuPeriod: number;
  memoryLimitBytes: number;
}

export interface ProcessView {
  role: 'pause' | 'container';
  /** The container's name; 'POD' for the pause container, as the kubelet's old docker names had it. */
  name: string;
  id: string;
  image: string;
  state: ContainerState;
  pid?: number;
  argv: string[];
  namespaces: Record<keyof NamespaceIds, string>;
  cgroup: CgroupView;
  listens?: number;
  exitCode?: number;
}

export interface PodView {
  /** <namespace>/<name> */
  name: string;
  sandboxId: string;
  state: PodSandboxState;
  ip: string;
  hostname: string;
  netns: string;
  cgroupParent: string;
  processes: ProcessView[];
}

export interface RuntimeTree {
  node: string;
  pods: PodView[];
}

export function runtimeTree(state: RuntimeState): RuntimeTree {
  return { node: state.node, pods: [...state.sandboxes.values()].map((s) => podView(state, s)) };
}

function podView(state: RuntimeState, s: SandboxRecord): PodView {
  const m = s.config.metadata;
  const pause: ProcessView = {
    role: 'pause',
    name: 'POD',
    id: s.id,
    image: SANDBOX_IMAGE,
    state: s.pause.state === 'running' ? 'CONTAINER_RUNNING' : 'CONTAINER_EXITED',
    pid: s.pause.pid,
    argv: s.pause.plan.argv,
    namespaces: names(s.namespaces),
    cgroup: { path: s.cgroupPath, cpuShares: 2, cpuQuota: 0, cpuPeriod: 0, memoryLimitBytes: 0 },
    ...(s.pause.exitCode !== undefined ? { exitCode: s.pause.exitCode } : {}),
  };
  return {
    name: `${m.namespace}/${m.name}`,
    sandboxId: s.id,
    state: s.state,
    ip: s.ip,
    hostname: s.config.hostname ?? '',
    netns: s.netnsPath,
    cgroupParent: s.config.linux?.cgroupParent ?? '',
    processes: [pause, ...state.containersOf(s.id).map((c) => containerView(state, c))],
  };
}

function containerView(state: RuntimeState, c: ContainerRecord): ProcessView {
  const r = c.resources;
  const listens = c.task?.state === 'running' ? c.task.plan.listensOn?.port : undefined;
  return {
    role: 'container',
    name: c.config.metadata.name,
    id: c.id,
    image: c.image.image.repoTags[0],
    state: state.containerState(c),
    ...(c.task !== undefined ? { pid: c.task.pid, argv: c.task.plan.argv } : { argv: [] }),
    namespaces: names(c.namespaces),
    cgroup: { path: c.cgroupPath, cpuShares: r.cpuShares, cpuQuota: r.cpuQuota, cpuPeriod: r.cpuPeriod, memoryLimitBytes: r.memoryLimitInBytes },
    ...(listens !== undefined ? { listens } : {}),
    ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
  };
}

function names(ns: NamespaceIds): Record<keyof NamespaceIds, string> {
  return { net: `net:[${ns.net}]`, ipc: `ipc:[${ns.ipc}]`, uts: `uts:[${ns.uts}]`, pid: `pid:[${ns.pid}]`, mnt: `mnt:[${ns.mnt}]` };
}
