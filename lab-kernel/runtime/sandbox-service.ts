import { renderResolvConf } from '../dns/resolv-conf';
import { deepFreeze } from '../sim/deep-freeze';
import { netnsName } from './cni-bridge';
import { addNetworkList, CniPluginError, delNetworkList, podCniArgs, type CniEnv } from './cni';
import { podKey, type CriCallback, type DnsConfig, type NamespaceOption, type PodSandbox, type PodSandboxConfig, type PodSandboxFilter, type PodSandboxStatus } from './cri';
import { answerAfter, answerNow } from './cri-call';
import { nameReserved, networkSetupFailed, sandboxNotFound } from './cri-error';
import { planProcess } from './container-process';
import { SANDBOX_IMAGE } from './image-service';
import { HOST_NAMESPACES, NO_LABELS, sandboxResolvConf, shortId, type NamespaceIds, type RuntimeState, type SandboxRecord } from './runtime-state';
import { Task } from './task';

/**
 * CRI's pod sandbox calls, as containerd 1.7 serves them (pkg/cri/server/sandbox_*.go).
 *
 * RunPodSandbox reserves the name <pod>_<namespace>_<uid>_<attempt>, pulls the pause image if
 * the node lacks it, makes a network namespace (/var/run/netns/cni-<uuid>), runs CNI ADD in it
 * (the pod's IP), and starts the pause container, which holds the pod's network, IPC and UTS
 * namespaces for the app containers to join. With network NODE (hostNetwork) there is no
 * namespace, no CNI and no IP: the pod uses the node's. The namespace is one of the node's packet
 * network (lab-kernel/net), named as its file: /var/run/netns/cni-<uuid> is namespace cni-<uuid>.
 *
 *   runPodSandbox(state, { config }, done)   // ~100 ms later: done(undefined, { podSandboxId }), and the trace says
 *   // 'sandbox web_default_a1b2_0 (3f2a9c1b7d4e5) ready: 10.244.0.2 in /var/run/netns/cni-1b2c...'
 *   stopPodSandbox(state, { podSandboxId }, done)
 *   // SIGKILLs every running container of the pod at once (exit 137) — the kubelet stops them
 *   // gracefully with StopContainer first — then the pause container; CNI DEL frees the IP.
 *
 * Stop and remove are idempotent: an unknown ID is no error.
 */
/**
 * The file containerd writes from CRI's DNSConfig (its parseDNSOptions): search, nameservers, options.
 *   resolvConfText({ servers: ['10.96.0.10'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] })
 *   // => 'search default.svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n'
 */
function resolvConfText(dns: DnsConfig): string {
  return renderResolvConf({ nameservers: dns.servers, searches: dns.searches, options: dns.options });
}

export function runPodSandbox(state: RuntimeState, req: { config: PodSandboxConfig }, done: CriCallback<{ podSandboxId: string }>): void {
  // The runtime's own frozen copy: answers share its parts instead of copying them each time.
  const config = deepFreeze(structuredClone(req.config));
  const m = config.metadata;
  const name = `${m.name}_${m.namespace}_${m.uid}_${m.attempt}`;
  const holder = state.names.get(name);
  if (holder !== undefined) {
    return answerAfter(state.sim, 1, done, () => {
      throw nameReserved('sandbox', name, holder);
    });
  }
  const id = state.newId();
  state.names.set(name, id);
  const setup = () => {
    state.sim.after(state.rng.between(80, 150), () =>
      answerNow(done, () => {
        try {
          state.sandboxes.set(id, startSandbox(state, id, name, config));
          if (config.dnsConfig !== undefined) state.hostFs.write(sandboxResolvConf(id), resolvConfText(config.dnsConfig));
        } catch (e) {
          state.names.delete(name);
          throw e;
        }
        return { podSandboxId: id };
      }),
    );
  };
  if (state.images.resolve(SANDBOX_IMAGE) !== undefined) return setup();
  state.images.pull(SANDBOX_IMAGE, setup, podKey(config)); // the registry always has the pause image
}

function startSandbox(state: RuntimeState, id: string, name: string, config: PodSandboxConfig): SandboxRecord {
  const ns = config.linux?.securityContext?.namespaceOptions ?? {};
  const hostNetwork = ns.network === 'NODE';
  const namespaces: NamespaceIds = {
    net: hostNetwork ? HOST_NAMESPACES.net : state.newNamespace(),
    uts: hostNetwork ? HOST_NAMESPACES.uts : state.newNamespace(),
    ipc: ns.ipc === 'NODE' ? HOST_NAMESPACES.ipc : state.newNamespace(),
    pid: ns.pid === 'NODE' ? HOST_NAMESPACES.pid : state.newNamespace(),
    mnt: state.newNamespace(),
  };
  let netnsPath = '';
  let ip = '';
  let cni: SandboxRecord['cni'];
  if (!hostNetwork) {
    // netns.NewNetNS: a namespace on the node's packet network, then the CNI plugins set it up.
    const netns = `cni-${uuid(state)}`;
    netnsPath = `/var/run/netns/${netns}`;
    state.network.node.net.addNamespace(netns);
    try {
      cni = addNetworkList(state.network.list(), state.network.plugins, cniEnv(state, 'ADD', id, netnsPath, config));
    } catch (e) {
      state.network.node.net.deleteNamespace(netns);
      if (e instanceof CniPluginError) throw networkSetupFailed(id, e.message);
      throw e;
    }
    ip = (cni.ips.find((c) => cni!.interfaces[c.interface]?.name === 'eth0') ?? cni.ips[0])?.address.split('/')[0] ?? '';
  }
  const pauseImage = state.images.resolve(SANDBOX_IMAGE)!;
  const pause = new Task(state.sim, planProcess(pauseImage.registry, {}), { pid: state.newPid(), memoryLimitBytes: 0, shutdownMs: 1 }, {
    output: () => undefined,
    exited: (code) => {
      sandbox.state = 'SANDBOX_NOTREADY';
      state.action(`sandbox ${name} (${shortId(id)}): pause container exited with code ${code}`, { sandbox: id, exitCode: code });
    },
  });
  const cgroupParent = config.linux?.cgroupParent ?? '';
  const sandbox: SandboxRecord = {
    id, name, config, state: 'SANDBOX_READY', createdAt: state.sim.now(), ip, netnsPath, namespaces, pause,
    cgroupPath: cgroupParent === '' ? '' : `${cgroupParent}/${id}`,
    ...(cni !== undefined ? { cni } : {}),
  };
  pause.start();
  state.action(`sandbox ${name} (${shortId(id)}) ready: ${hostNetwork ? 'host network' : `${ip} in ${netnsPath}`}`, { sandbox: id, ip, pod: podKey(config) });
  return sandbox;
}

export function stopPodSandbox(state: RuntimeState, req: { podSandboxId: string }, done: CriCallback<Record<string, never>>): void {
  const sandbox = state.sandboxes.get(req.podSandboxId);
  if (sandbox === undefined) return answerAfter(state.sim, 1, done, () => ({}));
  stopSandbox(state, sandbox, () => done(undefined, {}));
}

/** Kills the pod's containers and its pause container, then tears its network down. */
export function stopSandbox(state: RuntimeState, sandbox: SandboxRecord, then: () => void): void {
  const running = state.containersOf(sandbox.id).flatMap((c) => (c.task?.state === 'running' ? [c.task] : []));
  let waiting = running.length;
  const afterContainers = () => {
    sandbox.pause.signal('SIGKILL');
    sandbox.pause.whenExited(() => teardownNetwork(state, sandbox, then));
  };
  if (waiting === 0) return afterContainers();
  for (const task of running) {
    task.signal('SIGKILL');
    task.whenExited(() => --waiting === 0 && afterContainers());
  }
}

function teardownNetwork(state: RuntimeState, sandbox: SandboxRecord, then: () => void): void {
  if (sandbox.netnsPath === '') return void state.sim.after(1, then);
  state.sim.after(state.rng.between(10, 30), () => {
    if (sandbox.netnsPath !== '') {
      delNetworkList(state.network.list(), state.network.plugins, cniEnv(state, 'DEL', sandbox.id, sandbox.netnsPath, sandbox.config));
      state.network.node.net.deleteNamespace(netnsName(sandbox.netnsPath));
      state.action(`sandbox ${sandbox.name} (${shortId(sandbox.id)}) stopped: released ${sandbox.ip}, removed ${sandbox.netnsPath}`, { sandbox: sandbox.id, ip: sandbox.ip });
      sandbox.netnsPath = '';
      sandbox.ip = '';
    }
    then();
  });
}

export function removePodSandbox(state: RuntimeState, req: { podSandboxId: string }, done: CriCallback<Record<string, never>>): void {
  const sandbox = state.sandboxes.get(req.podSandboxId);
  if (sandbox === undefined) return answerAfter(state.sim, 1, done, () => ({}));
  stopSandbox(state, sandbox, () =>
    answerAfter(state.sim, state.rng.between(5, 20), done, () => {
      for (const c of state.containersOf(sandbox.id)) {
        state.containers.delete(c.id);
        state.names.delete(c.name);
      }
      state.sandboxes.delete(sandbox.id);
      state.names.delete(sandbox.name);
      state.hostFs.write(sandboxResolvConf(sandbox.id), undefined);
      return {};
    }),
  );
}

export function podSandboxStatus(state: RuntimeState, req: { podSandboxId: string }, done: CriCallback<{ status: PodSandboxStatus }>): void {
  answerAfter(state.sim, 1, done, () => {
    const s = state.sandboxes.get(req.podSandboxId);
    if (s === undefined) throw sandboxNotFound();
    const options = s.config.linux?.securityContext?.namespaceOptions ?? NO_OPTIONS;
    return { status: Object.assign({}, summary(s), { network: { ip: s.ip }, linux: { namespaces: { options } } }) };
  });
}

/** The namespace options of a sandbox that sets none (each namespace the pod's own). */
const NO_OPTIONS: NamespaceOption = Object.freeze({});

export function listPodSandbox(state: RuntimeState, req: { filter?: PodSandboxFilter }, done: CriCallback<{ items: PodSandbox[] }>): void {
  answerAfter(state.sim, 1, done, () => {
    const f = req.filter ?? {};
    const items: PodSandbox[] = [];
    for (const s of state.sandboxes.withLabels(Object.entries(f.labelSelector ?? {}))) {
      if (f.id !== undefined && s.id !== f.id) continue;
      if (f.state !== undefined && s.state !== f.state) continue;
      // Every relist of every node lists them all: an entry is made again only when its state changed.
      if (s.listed?.state !== s.state) s.listed = Object.freeze(summary(s));
      items.push(s.listed);
    }
    return { items };
  });
}

function summary(s: SandboxRecord): PodSandbox {
  return {
    id: s.id,
    metadata: s.config.metadata,
    state: s.state,
    createdAt: s.createdAt,
    labels: s.config.labels ?? NO_LABELS,
    annotations: s.config.annotations ?? NO_LABELS,
  };
}

function cniEnv(state: RuntimeState, command: CniEnv['CNI_COMMAND'], id: string, netns: string, config: PodSandboxConfig): CniEnv {
  const m = config.metadata;
  return { CNI_COMMAND: command, CNI_CONTAINERID: id, CNI_NETNS: netns, CNI_IFNAME: 'eth0', CNI_ARGS: podCniArgs(m.namespace, m.name, id, m.uid), CNI_PATH: '/opt/cni/bin' };
}

/** A random UUID-shaped name, as containerd's netns.NewNetNS. */
function uuid(state: RuntimeState): string {
  const hex = state.newId().slice(0, 32);
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}
