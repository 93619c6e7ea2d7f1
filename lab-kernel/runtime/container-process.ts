import { agnhostCommand } from './agnhost';
import type { LinuxContainerResources } from './cri';
import type { AddOnName, RegistryImage } from './image-registry';
import { BAD_REQUEST } from './resource-consumer';
import { runCommand, type FileChange, type OutputLine, type PendingFetch, type ShellContext } from './shell';

/**
 * What a container's first process (PID 1 of its PID namespace) will do, worked out when it
 * starts from its image's behaviour (image-registry.ts), its command and arguments, and its
 * cgroup: the lines it prints, when it exits by itself and with which code, what the stop
 * signal does to it, the port it listens on, the memory it needs.
 *
 *   planProcess(nginx, {})                        // => listens on 80, runs until stopped, exits 0 on its stop signal
 *   planProcess(busybox, { command: ['sh', '-c', 'touch /tmp/healthy; sleep 600'] })
 *   // => files: [{ atMs: 0, path: '/tmp/healthy', content: '' }], exits 0 after 600 s
 *   planProcess(busybox, { command: ['sleep', '3600'] })
 *   // => { exitAtMs: 3_600_000, exitCode: 0, onStopSignal: undefined } — sleep has no handler, and PID 1
 *   //    ignores a signal it does not handle, so only SIGKILL ends it before its hour
 *   planProcess(perl, { command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] }, { cpuQuota: 50000, cpuPeriod: 100000 })
 *   // => exits 0 after 20 s (10 s of CPU at half a CPU), printing pi
 *   planProcess(stress, { args: ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'] })  // => memoryBytes 262_144_000
 *
 * The argv follows Kubernetes' rule: `command` replaces the image's ENTRYPOINT and `args` its
 * CMD (`args` alone keep the ENTRYPOINT). Only the shell image reads them; the others do what
 * they do whatever they are given. The stop signal of a process with a handler (nginx, pause,
 * the control-plane components) ends it with 0; perl, stress, and busybox's sleep and sh have
 * none.
 */
export interface ProcessPlan {
  argv: string[];
  output: OutputLine[];
  /** ms after start; undefined = runs until killed or stopped. */
  exitAtMs?: number;
  exitCode: number;
  /** What the stop signal does: undefined = ignored (no handler, and PID 1 ignores what it does not handle). */
  onStopSignal?: { exitCode: number };
  listensOn?: { port: number; answer: string };
  /** The files it writes or removes in its container, each at its time (shell.ts). */
  files?: FileChange[];
  /** Memory the process allocates; over the cgroup's limit, the kernel OOM-kills it. */
  memoryBytes: number;
  /** Set when argv[0] is no program of the image: the container cannot start. */
  notFound?: string;
  /** Set when its shell command stopped at a wget waiting for the network (shell-network.ts). */
  pending?: PendingFetch;
}

export interface ProcessSpec {
  command?: string[];
  args?: string[];
}

/** The image's ENTRYPOINT and CMD, as their Dockerfiles set them. */
function imageArgv(image: RegistryImage): { entrypoint: string[]; cmd: string[] } {
  const b = image.behaviour;
  if (b.kind === 'shell') return { entrypoint: [], cmd: ['sh'] };
  if (b.kind === 'server' && image.reference.includes('/nginx:')) return { entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'] };
  if (b.kind === 'stress') return { entrypoint: [], cmd: ['stress'] };
  if (b.kind === 'run-until-stopped') return { entrypoint: [`/${b.what}`], cmd: [] };
  if (b.kind === 'resource-consumer') return { entrypoint: ['/consumer'], cmd: [] };
  if (b.kind === 'add-on') return ADD_ON_ARGV[b.name];
  if (b.kind === 'agnhost') return { entrypoint: ['/agnhost'], cmd: [] };
  const name = image.reference.slice(image.reference.lastIndexOf('/') + 1).split(':')[0];
  return { entrypoint: [], cmd: [name] };
}

/**
 * The add-ons' Dockerfiles: coredns's ENTRYPOINT ["/coredns"]; ingress-nginx's dumb-init in front
 * of the controller; metrics-server's ENTRYPOINT ["/metrics-server"]; kube-proxy's binary
 * (kubeadm's DaemonSet names it in its command anyway).
 */
const ADD_ON_ARGV: Record<AddOnName, { entrypoint: string[]; cmd: string[] }> = {
  coredns: { entrypoint: ['/coredns'], cmd: [] },
  'ingress-nginx': { entrypoint: ['/usr/bin/dumb-init', '--'], cmd: ['/nginx-ingress-controller'] },
  'metrics-server': { entrypoint: ['/metrics-server'], cmd: [] },
  'kube-proxy': { entrypoint: ['/usr/local/bin/kube-proxy'], cmd: [] },
};

export function containerArgv(image: RegistryImage, spec: ProcessSpec): string[] {
  const { entrypoint, cmd } = imageArgv(image);
  if (spec.command !== undefined && spec.command.length > 0) return [...spec.command, ...(spec.args ?? [])];
  return [...entrypoint, ...(spec.args !== undefined && spec.args.length > 0 ? spec.args : cmd)];
}

export function planProcess(
  image: RegistryImage,
  spec: ProcessSpec,
  cgroup: Pick<LinuxContainerResources, 'cpuQuota' | 'cpuPeriod'> = { cpuQuota: 0, cpuPeriod: 100_000 },
  shell: ShellContext = {},
): ProcessPlan {
  const argv = containerArgv(image, spec);
  const b = image.behaviour;
  switch (b.kind) {
    case 'shell': {
      const run = runCommand(argv, shell);
      return {
        argv, output: run.output, exitAtMs: run.exitAtMs, exitCode: run.exitCode, memoryBytes: 0,
        ...(run.notFound !== undefined ? { notFound: run.notFound } : {}), ...(run.files !== undefined ? { files: run.files } : {}),
        ...(run.pending !== undefined ? { pending: run.pending } : {}),
      };
    }
    case 'server':
      return {
        argv,
        output: (b.log ?? []).map((line) => ({ atMs: 0, stream: 'stdout' as const, line })),
        exitCode: 0,
        onStopSignal: { exitCode: 0 },
        listensOn: { port: b.port, answer: b.answer },
        memoryBytes: 0,
      };
    case 'compute': {
      // A single-threaded program at a CFS quota below one CPU runs for quota/period of each period.
      const share = cgroup.cpuQuota > 0 ? Math.min(1, cgroup.cpuQuota / cgroup.cpuPeriod) : 1;
      const exitAtMs = Math.ceil((b.seconds * 1000) / share);
      return { argv, output: [{ atMs: exitAtMs, stream: 'stdout', line: b.output }], exitAtMs, exitCode: 0, memoryBytes: 0 };
    }
    case 'stress': {
      const workers = Number(optionOf(argv, '--vm') ?? '0');
      const bytes = stressBytes(optionOf(argv, '--vm-bytes') ?? '256M');
      const line = `stress: info: [1] dispatching hogs: 0 cpu, 0 io, ${workers} vm, 0 hdd`;
      return { argv, output: [{ atMs: 0, stream: 'stdout', line }], exitCode: 0, memoryBytes: workers * bytes };
    }
    case 'run-until-stopped':
      return { argv, output: [], exitCode: 0, onStopSignal: { exitCode: 0 }, memoryBytes: 0 };
    case 'agnhost': {
      const run = agnhostCommand(argv.slice(1));
      if ('error' in run) return { argv, output: [{ atMs: 0, stream: 'stderr', line: run.error }], exitAtMs: 0, exitCode: 1, memoryBytes: 0 };
      const listensOn = 'port' in run ? { listensOn: { port: run.port, answer: '' } } : {};
      return { argv, output: [], exitCode: 0, onStopSignal: { exitCode: 0 }, ...listensOn, memoryBytes: 0 };
    }
    case 'add-on':
      // What it serves is the cluster's program (add-on-process.ts); the process itself prints its banner and runs until stopped.
      return { argv, output: (b.log ?? []).map((line) => ({ atMs: 0, stream: 'stdout' as const, line })), exitCode: 0, onStopSignal: { exitCode: 0 }, memoryBytes: 0 };
    case 'resource-consumer':
      // Its HTTP handler answers by path (resource-consumer.ts); a bare connection gets this.
      return { argv, output: [], exitCode: 0, onStopSignal: { exitCode: 0 }, listensOn: { port: b.port, answer: BAD_REQUEST }, memoryBytes: 0 };
  }
}

function optionOf(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
}

/** stress reads sizes with B, K, M, G suffixes in powers of 1024: '250M' => 262_144_000. */
function stressBytes(text: string): number {
  const m = /^(\d+)([bBkKmMgG]?)$/.exec(text);
  if (m === null) return 0;
  const power = { '': 0, b: 0, k: 1, m: 2, g: 3 }[m[2].toLowerCase() as '' | 'b' | 'k' | 'm' | 'g'];
  return Number(m[1]) * 1024 ** power;
}
