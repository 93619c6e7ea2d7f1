import type { ContainerStatus as CriContainerStatus, CriCallback, ImageService, PodSandboxStatus, RuntimeService } from '../runtime/cri';
import { CONTAINER_HASH_ANNOTATION, CONTAINER_NAME_LABEL, POD_UID_LABEL } from './cri-labels';
import type { RuntimeContainer, RuntimeContainerState, RuntimePodStatus } from './pod-actions-contract';

export type CriRuntime = RuntimeService & ImageService;

/**
 * What the runtime holds of one pod, read through CRI as the kubelet's GetPodStatus does:
 * its sandboxes (ListPodSandbox by the pod uid label, then PodSandboxStatus of each) and its
 * containers (ListContainers by the same label, then ContainerStatus of each), newest first.
 *
 *   readPodStatus(runtime, 'a1b2', (status) => ...)
 *   // => { decision: { sandboxes: [{ id, ready: true, attempt: 0, network: 'POD', ip: '10.244.1.2' }],
 *   //                  containers: [{ id, name: 'web', state: 'running', hash, attempt: 0, ... }] },
 *   //      containers: the CRI statuses by id (times, exit codes, image refs, for the API status) }
 *
 * A call that fails (the runtime lost a container between the list and the status) leaves
 * that one out; the next read sees the runtime as it is then.
 */
export interface PodRuntimeView {
  decision: RuntimePodStatus;
  /** The CRI statuses of the pod's containers, by container id. */
  containers: ReadonlyMap<string, CriContainerStatus>;
  /** The newest sandbox's IP ('' if none). */
  ip: string;
}

export function readPodStatus(runtime: CriRuntime, uid: string, done: (view: PodRuntimeView) => void): void {
  const selector = { labelSelector: { [POD_UID_LABEL]: uid } };
  runtime.listPodSandbox({ filter: selector }, (err, res) => {
    const sandboxIds = err ? [] : res!.items.map((s) => s.id);
    gather<{ status: PodSandboxStatus }>(sandboxIds.map((id) => (cb) => runtime.podSandboxStatus({ podSandboxId: id }, cb)), (sandboxes) => {
      runtime.listContainers({ filter: selector }, (err2, res2) => {
        const ids = err2 ? [] : res2!.containers.map((c) => c.id);
        gather<{ status: CriContainerStatus }>(ids.map((id) => (cb) => runtime.containerStatus({ containerId: id }, cb)), (statuses) => {
          const sandboxList = sandboxes.map((s) => s.status).sort((a, b) => b.createdAt - a.createdAt || b.metadata.attempt - a.metadata.attempt);
          const containerList = statuses.map((s) => s.status).sort((a, b) => b.createdAt - a.createdAt || b.metadata.attempt - a.metadata.attempt);
          done({
            decision: {
              sandboxes: sandboxList.map((s) => ({
                id: s.id, ready: s.state === 'SANDBOX_READY', attempt: s.metadata.attempt,
                network: s.linux.namespaces.options.network === 'NODE' ? 'NODE' : 'POD', ip: s.network.ip,
              })),
              containers: containerList.map(toRuntimeContainer),
            },
            containers: new Map(containerList.map((c) => [c.id, c])),
            ip: sandboxList[0]?.network.ip ?? '',
          });
        });
      });
    });
  });
}

function toRuntimeContainer(s: CriContainerStatus): RuntimeContainer {
  const states: Record<string, RuntimeContainerState> = { CONTAINER_CREATED: 'created', CONTAINER_RUNNING: 'running', CONTAINER_EXITED: 'exited' };
  return {
    id: s.id, name: s.labels[CONTAINER_NAME_LABEL] ?? s.metadata.name, state: states[s.state] ?? 'unknown',
    hash: s.annotations?.[CONTAINER_HASH_ANNOTATION] ?? '', attempt: s.metadata.attempt,
    exitCode: s.exitCode, reason: s.reason, createdAt: s.createdAt, startedAt: s.startedAt, finishedAt: s.finishedAt,
  };
}

/** Runs CRI calls side by side and hands over the answers that succeeded, in call order. */
function gather<T>(calls: ((cb: CriCallback<T>) => void)[], done: (answers: T[]) => void): void {
  const answers: (T | undefined)[] = new Array(calls.length);
  let left = calls.length;
  if (left === 0) return done([]);
  calls.forEach((call, i) =>
    call((err, res) => {
      answers[i] = err ? undefined : res;
      if (--left === 0) done(answers.filter((a): a is T => a !== undefined));
    }),
  );
}
