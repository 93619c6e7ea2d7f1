import { deepFreeze } from '../sim/deep-freeze';
import type { Timer } from '../sim/simulation';
import type { Container, ContainerConfig, ContainerFilter, ContainerStatus, CriCallback, ExecSyncResponse, Mount, PodSandboxConfig } from './cri';
import { containerUsage } from './sandbox-stats';
import { answerAfter, answerNow } from './cri-call';
import {
  containerNotFound, CriError, execContainerNotFound, execNotFound, execNotRunning, execTimeout, executableNotFound,
  imageNotPresent, nameReserved, notCreated, sandboxIdNotFound, sandboxNotRunning, sandboxTaskGone,
} from './cri-error';
import { criLogLine } from './container-log';
import { FileTable } from './file-table';
import { planProcess } from './container-process';
import { HOST_NAMESPACES, NO_LABELS, shortId, type ContainerRecord, type RuntimeState } from './runtime-state';
import { runAddOnWhileRunning } from './add-on-process';
import { listenWhileRunning } from './container-listener';
import type { ProcessPlan } from './container-process';
import { runCommand } from './shell';
import { runOverNetwork } from './shell-network';
import { Task } from './task';

/**
 * CRI's container calls, as containerd 1.7 serves them (pkg/cri/server/container_*.go).
 *
 *   createContainer  => CONTAINER_CREATED: name <container>_<pod>_<namespace>_<uid>_<attempt> reserved, cgroup
 *                       <cgroupParent>/<id>, the pod's network, IPC and UTS namespaces joined, its own PID and mount ones
 *   startContainer   => CONTAINER_RUNNING: its process starts (container-process.ts, task.ts)
 *   the process ends => CONTAINER_EXITED with its exit code; reason Completed (0), Error, or OOMKilled (137)
 *   stopContainer(timeout 2) => the image's stop signal (SIGTERM, nginx's SIGQUIT); SIGKILL after 2 s if it still runs
 *   removeContainer  => gone, its name free again (a running one is SIGKILLed first)
 *
 * A start that fails — the sandbox is not ready, the command is not in the image — leaves the
 * container EXITED with code 128 and reason StartError, as containerd does. Stop and remove
 * of an unknown ID are no error.
 */
export function createContainer(
  state: RuntimeState,
  req: { podSandboxId: string; config: ContainerConfig; sandboxConfig: PodSandboxConfig },
  done: CriCallback<{ containerId: string }>,
): void {
  // The runtime's own frozen copy: answers share its parts instead of copying them each time.
  const config = deepFreeze(structuredClone(req.config));
  answerAfter(state.sim, state.rng.between(20, 60), done, () => {
    const sandbox = state.sandboxes.get(req.podSandboxId);
    if (sandbox === undefined) throw sandboxIdNotFound(req.podSandboxId);
    if (sandbox.pause.state !== 'running') throw sandboxTaskGone(sandbox.id);
    const m = sandbox.config.metadata;
    const name = `${config.metadata.name}_${m.name}_${m.namespace}_${m.uid}_${config.metadata.attempt}`;
    const holder = state.names.get(name);
    if (holder !== undefined) throw nameReserved('container', name, holder);
    const image = state.images.resolve(config.image.image);
    if (image === undefined) throw imageNotPresent(config.image.image);
    const id = state.newId();
    const pidMode = config.linux?.securityContext?.namespaceOptions?.pid ?? 'CONTAINER';
    const pid = pidMode === 'POD' ? sandbox.namespaces.pid : pidMode === 'NODE' ? HOST_NAMESPACES.pid : state.newNamespace();
    const logDirectory = sandbox.config.logDirectory ?? '';
    const record: ContainerRecord = {
      id, name, sandboxId: sandbox.id, config, image, createdAt: state.sim.now(),
      logPath: logDirectory !== '' && config.logPath ? `${logDirectory}/${config.logPath}` : '',
      resources: config.linux?.resources ?? { cpuPeriod: 0, cpuQuota: 0, cpuShares: 0, memoryLimitInBytes: 0 },
      namespaces: { net: sandbox.namespaces.net, ipc: sandbox.namespaces.ipc, uts: sandbox.namespaces.uts, pid, mnt: state.newNamespace() },
      cgroupPath: sandbox.config.linux?.cgroupParent ? `${sandbox.config.linux.cgroupParent}/${id}` : '',
      stopSignal: image.registry.stopSignal ?? 'SIGTERM',
      files: new FileTable(),
    };
    state.containers.set(id, record);
    state.names.set(name, id);
    return { containerId: id };
  });
}

export function startContainer(state: RuntimeState, req: { containerId: string }, done: CriCallback<Record<string, never>>): void {
  answerAfter(state.sim, state.rng.between(40, 100), done, () => {
    const c = state.containers.get(req.containerId);
    if (c === undefined) throw containerNotFound(req.containerId);
    const current = state.containerState(c);
    if (current !== 'CONTAINER_CREATED') throw notCreated(c.id, current);
    const sandbox = state.sandboxes.get(c.sandboxId)!;
    if (sandbox.state !== 'SANDBOX_READY') throw startFailed(state, c, sandboxNotRunning(sandbox.id));
    const hostname = sandbox.config.hostname ?? '';
    const env = Object.fromEntries([...(c.config.envs ?? []).map((e) => [e.key, e.value]), ['HOSTNAME', hostname]]);
    const context = state.shellContext(c, hostname, env);
    let task: Task | undefined;
    runOverNetwork(state.sim, state.sim.now(), (fetch) => planProcess(c.image.registry, c.config, c.resources, Object.assign({}, context, { fetch })), state.netClients(sandbox), (plan) => {
      if (task === undefined) task = startTask(state, c, plan);
      else task.continueWith(plan);
    });
    listenWhileRunning(state, c, state.podNamespace(sandbox)!);
    runAddOnWhileRunning(state, c, state.podNamespace(sandbox)!, env);
    return {};
  });
}

/** The container's process, started: its plan played by a Task, its output to its log, its files to its layer. */
function startTask(state: RuntimeState, c: ContainerRecord, plan: ProcessPlan): Task {
  if (plan.notFound !== undefined) throw startFailed(state, c, executableNotFound(plan.notFound));
  const what = `container ${c.config.metadata.name} (${shortId(c.id)})`;
  c.task = new Task(state.sim, plan, { pid: state.newPid(), memoryLimitBytes: c.resources.memoryLimitInBytes, shutdownMs: state.rng.between(5, 50) }, {
    output: (line) => c.logPath !== '' && state.logs.append(c.logPath, criLogLine(line.time, line.stream, line.line)),
    file: (change) => state.writeFile(c, change.path, change.content, change.bytes),
    exited: (code, oomKilled) => {
      c.finishedAt = state.sim.now();
      c.exitCode = code;
      c.reason = oomKilled ? 'OOMKilled' : code === 0 ? 'Completed' : 'Error';
      if (oomKilled) state.action(`OOM-killed ${what}: it needs ${plan.memoryBytes} bytes, its memory limit is ${c.resources.memoryLimitInBytes}`, { container: c.id, oom: true });
      state.action(`${what} exited with code ${code}${oomKilled ? ' (OOMKilled)' : ''}`, { container: c.id, exitCode: code });
    },
  });
  c.startedAt = state.sim.now();
  c.task.start();
  state.action(`started ${what}: pid ${c.task.pid}, ${plan.argv.join(' ')}`, { container: c.id, pid: c.task.pid });
  return c.task;
}

/** containerd's deferred handler of a failed start: the container is EXITED, 128, StartError, with the error's text. */
function startFailed(state: RuntimeState, c: ContainerRecord, error: CriError): CriError {
  c.finishedAt = state.sim.now();
  c.exitCode = 128;
  c.reason = 'StartError';
  c.message = error.desc;
  return error;
}

export function stopContainer(state: RuntimeState, req: { containerId: string; timeout: number }, done: CriCallback<Record<string, never>>): void {
  const c = state.containers.get(req.containerId);
  const task = c?.task;
  if (c === undefined || task === undefined || task.state !== 'running') return answerAfter(state.sim, 1, done, () => ({}));
  const what = `container ${c.config.metadata.name} (${shortId(c.id)})`;
  const kill = () => {
    if (task.state !== 'running') return;
    state.action(`sent SIGKILL to ${what}${req.timeout > 0 ? ` after ${req.timeout}s` : ''}`, { container: c.id, signal: 'SIGKILL' });
    task.signal('SIGKILL');
  };
  if (req.timeout > 0) {
    if (!c.stopSignalSent) {
      c.stopSignalSent = true;
      state.action(`sent ${c.stopSignal} to ${what}`, { container: c.id, signal: c.stopSignal });
      task.signal(c.stopSignal);
    }
    const timer = state.sim.after(req.timeout * 1000, kill);
    task.whenExited(() => state.sim.cancel(timer));
  } else kill();
  task.whenExited(() => answerAfter(state.sim, 1, done, () => ({})));
}

export function removeContainer(state: RuntimeState, req: { containerId: string }, done: CriCallback<Record<string, never>>): void {
  const c = state.containers.get(req.containerId);
  if (c === undefined) return answerAfter(state.sim, 1, done, () => ({}));
  const remove = () =>
    answerAfter(state.sim, state.rng.between(5, 20), done, () => {
      if (c.startedAt !== undefined) state.removedCpuCoreNanoSeconds += containerUsage(c, state.sim.now()).usageCoreNanoSeconds;
      state.containers.delete(c.id);
      state.names.delete(c.name);
      return {};
    });
  if (c.task?.state !== 'running') return remove();
  c.task.signal('SIGKILL');
  c.task.whenExited(remove);
}

export function containerStatus(state: RuntimeState, req: { containerId: string }, done: CriCallback<{ status: ContainerStatus }>): void {
  answerAfter(state.sim, 1, done, () => {
    const c = state.containers.get(req.containerId);
    if (c === undefined) throw containerNotFound(req.containerId);
    const kept = state.images.resolve(c.image.image.id);
    const s = state.containerState(c);
    // Field by field, in the order crictl shows them; asked at every sync of every pod.
    const status = { id: c.id, metadata: c.config.metadata, state: s, createdAt: c.createdAt } as ContainerStatus;
    if (s !== 'CONTAINER_CREATED' && c.startedAt !== undefined) status.startedAt = c.startedAt;
    if (s === 'CONTAINER_EXITED') {
      status.finishedAt = c.finishedAt;
      status.exitCode = c.exitCode;
      status.reason = c.reason;
    }
    if (c.message !== undefined) status.message = c.message;
    status.image = kept === undefined ? c.config.image : { image: kept.image.repoTags[0] };
    status.imageRef = kept === undefined ? c.image.image.id : kept.image.repoDigests[0];
    status.labels = c.config.labels ?? NO_LABELS;
    status.annotations = c.config.annotations ?? NO_LABELS;
    status.mounts = c.config.mounts ?? NO_MOUNTS;
    status.logPath = c.logPath;
    status.resources = { linux: { ...c.resources } };
    return { status };
  });
}

/** What a container without mounts answers: one frozen empty list. */
const NO_MOUNTS: Mount[] = Object.freeze([]) as unknown as Mount[];

export function listContainers(state: RuntimeState, req: { filter?: ContainerFilter }, done: CriCallback<{ containers: Container[] }>): void {
  answerAfter(state.sim, 1, done, () => {
    const f = req.filter ?? {};
    const containers: Container[] = [];
    for (const c of state.containers.withLabels(Object.entries(f.labelSelector ?? {}))) {
      if (f.id !== undefined && c.id !== f.id) continue;
      if (f.podSandboxId !== undefined && c.sandboxId !== f.podSandboxId) continue;
      const s = state.containerState(c);
      if (f.state !== undefined && s !== f.state) continue;
      // Every relist of every node lists them all: an entry is made again only when its state changed.
      if (c.listed?.state !== s) {
        c.listed = Object.freeze({
          id: c.id,
          podSandboxId: c.sandboxId,
          metadata: c.config.metadata,
          image: c.config.image,
          imageRef: c.image.image.id,
          state: s,
          createdAt: c.createdAt,
          labels: c.config.labels ?? NO_LABELS,
          annotations: c.config.annotations ?? NO_LABELS,
        });
      }
      containers.push(c.listed);
    }
    return { containers };
  });
}

/**
 * Runs a command in a running container and answers its output and exit code once it ends:
 * the same small shell (shell.ts) in the container's namespaces, so `hostname` is the pod's,
 * `wget -qO- http://<ip>:<port>/` goes over the packet network from the pod's namespace
 * (shell-network.ts), and `cat /tmp/healthy` reads the container's files (what it writes lands
 * in them as it runs). With a timeout (seconds) a command still running is
 * killed and the call fails DeadlineExceeded; without one, a command that never ends never answers.
 */
export function execSync(state: RuntimeState, req: { containerId: string; cmd: string[]; timeout?: number }, done: CriCallback<ExecSyncResponse>): void {
  const overheadMs = state.rng.between(10, 30);
  const c = state.containers.get(req.containerId);
  if (c === undefined) return answerAfter(state.sim, 1, done, () => {
    throw execContainerNotFound(req.containerId);
  });
  const current = state.containerState(c);
  if (current !== 'CONTAINER_RUNNING') return answerAfter(state.sim, 1, done, () => {
    throw execNotRunning(current);
  });
  const sandbox = state.sandboxes.get(c.sandboxId)!;
  const hostname = sandbox.config.hostname ?? '';
  const env = Object.fromEntries([...(c.config.envs ?? []).map((e) => [e.key, e.value]), ['HOSTNAME', hostname]]);
  const context = state.shellContext(c, hostname, env);
  const timeoutMs = (req.timeout ?? 0) * 1000;
  const startAt = state.sim.now() + overheadMs;
  let filesPlayed = 0;
  let timer: Timer | undefined;
  let finished = false;
  const finish = (answer: () => ExecSyncResponse) => {
    if (finished) return;
    finished = true;
    if (timer !== undefined) state.sim.cancel(timer);
    answerNow(done, answer);
  };
  const timedOut = () => {
    throw execTimeout(req.timeout!);
  };
  runOverNetwork(state.sim, startAt, (fetch) => runCommand(req.cmd, Object.assign({}, context, { fetch })), state.netClients(sandbox), (run) => {
    if (run.notFound !== undefined) return answerAfter(state.sim, overheadMs, done, () => {
      throw execNotFound(state.newId(), run.notFound!);
    });
    const at = (ms: number) => Math.max(0, startAt + ms - state.sim.now());
    for (const change of (run.files ?? []).slice(filesPlayed)) {
      if (timeoutMs === 0 || change.atMs <= timeoutMs) state.sim.after(at(change.atMs), () => state.writeFile(c, change.path, change.content, change.bytes));
    }
    filesPlayed = run.files?.length ?? 0;
    if (run.pending !== undefined) {
      if (timeoutMs > 0) timer ??= state.sim.after(at(timeoutMs), () => finish(timedOut));
      return;
    }
    if (run.exitAtMs === undefined || (timeoutMs > 0 && run.exitAtMs > timeoutMs)) {
      if (timeoutMs > 0 && timer === undefined) answerAfter(state.sim, at(timeoutMs), done, timedOut);
      return;
    }
    const text = (stream: 'stdout' | 'stderr') => run.output.filter((l) => l.stream === stream).map((l) => `${l.line}\n`).join('');
    state.sim.after(at(run.exitAtMs), () => finish(() => ({ stdout: text('stdout'), stderr: text('stderr'), exitCode: run.exitCode })));
  });
}
