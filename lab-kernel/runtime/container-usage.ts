import { fnv32a } from '../api/object-hash';
import type { ProcessPlan } from './container-process';
import type { LinuxContainerResources } from './cri';
import type { ImageBehaviour } from './image-registry';
import type { CpuLoad } from './resource-consumer';

/**
 * What a running container uses, as its cgroup's counters would say (what cAdvisor and
 * containerd read on a real node): CPU as a steady rate in nanocores (1e9 = one core) and
 * the cumulative CPU time it adds up to, and its memory working set in bytes.
 *
 * Each container's rate is fixed when it starts, from its image's behaviour and its process
 * plan (container-process.ts), so nothing ticks: usage is worked out when someone reads it,
 * from the start time and the rate. A small per-container spread (±15 %, from the hash of
 * the container's ID, itself from the node's seeded stream) keeps two replicas of one image
 * from printing the same numbers, and the same seed gives the same numbers every run.
 *
 *   usageRate({ behaviour: nginx, plan, resources, id })
 *   // => { nanoCores: ~1_000_000 (1m, idle), workingSetBytes: ~5 MiB }
 *   usageRate({ behaviour: perl, plan, resources: { cpuQuota: 0, ... }, id })
 *   // => { nanoCores: 1_000_000_000 (one core, computing pi), workingSetBytes: ~12 MiB }
 *   usageAt(rate, { startedAtMs: 0, nowMs: 10_000 })
 *   // => { usageNanoCores: rate.nanoCores, usageCoreNanoSeconds: rate.nanoCores * 10, workingSetBytes }
 *
 * What each behaviour uses (typical numbers of the real programs, idle):
 *
 *   server             1m,  5 MiB (nginx: a master and its workers waiting on epoll)
 *   shell              0,   256 KiB (busybox sleep, sh waiting)
 *   compute            one core, or its CFS quota if lower (perl computing pi); 12 MiB
 *   stress             one core per --vm worker spinning over its memory, ~0 with --vm-hang;
 *                      the bytes it holds (capped at its limit: past it the kernel kills it)
 *   run-until-stopped  by program: pause 0 and 256 KiB, the control-plane components theirs
 *
 *   resource-consumer  a server's 1m, and what its consume-cpu processes burn (usageWithLoads)
 *
 * Left out: a server's CPU does not rise with the requests it answers (the lab's pod network
 * carries no traffic yet), and memory does not grow over time. Only the resource-consumer's
 * CPU changes while it runs, as the requests sent to it ask.
 */
export interface UsageRate {
  /** CPU in nanocores: 1_000_000 is 1m, 1_000_000_000 one core. */
  nanoCores: number;
  /** Memory the kernel counts as in use and not reclaimable, a whole number of 4 KiB pages. */
  workingSetBytes: number;
}

export interface UsageInput {
  behaviour: ImageBehaviour;
  plan: Pick<ProcessPlan, 'argv' | 'memoryBytes'>;
  resources: Pick<LinuxContainerResources, 'cpuQuota' | 'cpuPeriod' | 'memoryLimitInBytes'>;
  /** The container's ID: the seed of its spread. */
  id: string;
}

export interface Usage {
  usageNanoCores: number;
  /** CPU time used since the container started, in core-nanoseconds. */
  usageCoreNanoSeconds: number;
  workingSetBytes: number;
}

const MILLICORE = 1_000_000;
const CORE = 1_000_000_000;
const KIB = 1024;
const MIB = 1024 * KIB;
const PAGE = 4 * KIB;

/** run-until-stopped programs and add-ons, idle: [millicores, MiB]. */
const PROGRAMS: Readonly<Record<string, [number, number]>> = {
  pause: [0, 0.25],
  etcd: [20, 40],
  'kube-apiserver': [45, 250],
  'kube-controller-manager': [15, 50],
  'kube-scheduler': [3, 22],
  fluentd: [4, 80],
  coredns: [3, 14],
  'ingress-nginx': [4, 95],
};

/**
 * The spread of a container (or a node) around its typical usage, from its ID: 0.85 to 1.15.
 *   usageSpread('a') // => 1.117... (the same every time)
 */
export function usageSpread(id: string): number {
  // Asked for every node's Summary every 10 s: remembered (a pure function of the id).
  let spread = spreads.get(id);
  if (spread === undefined) {
    if (spreads.size >= 10_000) spreads.clear();
    spreads.set(id, (spread = 0.85 + (fnv32a(new TextEncoder().encode(id)) / 0xffff_ffff) * 0.3));
  }
  return spread;
}

const spreads = new Map<string, number>();

/** The container's steady usage, from what its image does and how it was started. */
export function usageRate(input: UsageInput): UsageRate {
  const spread = usageSpread(input.id);
  const { cpuQuota, cpuPeriod, memoryLimitInBytes } = input.resources;
  const quotaCores = cpuQuota > 0 ? cpuQuota / cpuPeriod : Infinity;
  const [cores, bytes] = baseUsage(input.behaviour, input.plan);
  // A CFS quota caps the CPU; a busy program runs at its cap, with no spread.
  const nanoCores = cores >= 1 || cores * spread > quotaCores ? Math.round(Math.min(cores, quotaCores) * CORE) : Math.round(cores * spread * CORE);
  const heldBytes = input.behaviour.kind === 'stress' ? bytes : bytes * spread;
  const limited = memoryLimitInBytes > 0 ? Math.min(heldBytes, memoryLimitInBytes) : heldBytes;
  return { nanoCores, workingSetBytes: Math.ceil(limited / PAGE) * PAGE };
}

/** [cores, bytes] before the spread. */
function baseUsage(behaviour: ImageBehaviour, plan: UsageInput['plan']): [number, number] {
  switch (behaviour.kind) {
    case 'server':
    case 'resource-consumer':
    case 'agnhost':
      return [MILLICORE / CORE, 5 * MIB];
    case 'shell':
      return [0, 256 * KIB];
    case 'compute':
      return [1, 12 * MIB];
    case 'stress': {
      const workers = Number(optionOf(plan.argv, '--vm') ?? '0');
      const spinning = optionOf(plan.argv, '--vm-hang') === undefined ? workers : 0;
      return [spinning, plan.memoryBytes + 512 * KIB];
    }
    case 'run-until-stopped':
    case 'add-on': {
      const [milli, mib] = PROGRAMS[behaviour.kind === 'add-on' ? behaviour.name : behaviour.what] ?? [1, 10];
      return [(milli * MILLICORE) / CORE, mib * MIB];
    }
  }
}

function optionOf(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
}

/**
 * The usage at `nowMs` of a container started at `startedAtMs` with `rate`; one that has
 * exited (`finishedAtMs`) keeps the CPU time it used and uses nothing more.
 *
 *   usageAt({ nanoCores: 2_000_000, workingSetBytes: 4096 }, { startedAtMs: 1_000, nowMs: 11_000 })
 *   // => { usageNanoCores: 2_000_000, usageCoreNanoSeconds: 20_000_000, workingSetBytes: 4096 }
 */
export function usageAt(rate: UsageRate, times: { startedAtMs: number; nowMs: number; finishedAtMs?: number }): Usage {
  const running = times.finishedAtMs === undefined;
  const endMs = Math.min(times.nowMs, times.finishedAtMs ?? times.nowMs);
  const seconds = Math.max(0, endMs - times.startedAtMs) / 1000;
  return {
    usageNanoCores: running ? rate.nanoCores : 0,
    usageCoreNanoSeconds: Math.round(rate.nanoCores * seconds),
    workingSetBytes: running ? rate.workingSetBytes : 0,
  };
}

/**
 * usageAt for a container whose CPU changes over time: its steady rate plus the loads running
 * at each moment (consume-cpu processes, resource-consumer.ts), capped by its CFS quota; the
 * cumulative CPU time integrates that piecewise, so a reader (the Summary API, metrics-server's
 * rate over a window) sees what was used between its two reads. Without loads it is usageAt.
 *
 *   usageWithLoads({ nanoCores: 1_000_000, workingSetBytes }, [{ millicores: 250, fromMs: 10_000, untilMs: 40_000 }],
 *                  { cpuQuota: 0, cpuPeriod: 100_000 }, { startedAtMs: 0, nowMs: 20_000 })
 *   // => { usageNanoCores: 251_000_000, usageCoreNanoSeconds: 1_000_000 × 20 + 250_000_000 × 10, workingSetBytes }
 *   the same with cpuQuota 10_000 (a 100m limit) => usageNanoCores 100_000_000
 */
export function usageWithLoads(
  rate: UsageRate,
  loads: readonly CpuLoad[],
  cgroup: Pick<LinuxContainerResources, 'cpuQuota' | 'cpuPeriod'>,
  times: { startedAtMs: number; nowMs: number; finishedAtMs?: number },
): Usage {
  const steady = usageAt(rate, times);
  if (loads.length === 0) return steady;
  const capNanoCores = cgroup.cpuQuota > 0 ? (cgroup.cpuQuota / cgroup.cpuPeriod) * CORE : Infinity;
  const endMs = Math.min(times.nowMs, times.finishedAtMs ?? times.nowMs);
  const rateAt = (ms: number) => Math.min(capNanoCores, rate.nanoCores + loads.reduce((sum, l) => (l.fromMs <= ms && ms < l.untilMs ? sum + l.millicores * MILLICORE : sum), 0));
  const edges = [...new Set([times.startedAtMs, endMs, ...loads.flatMap((l) => [l.fromMs, l.untilMs])])].filter((ms) => ms >= times.startedAtMs && ms <= endMs).sort((a, b) => a - b);
  let coreNanoSeconds = 0;
  for (let i = 0; i + 1 < edges.length; i++) coreNanoSeconds += (rateAt(edges[i]) * (edges[i + 1] - edges[i])) / 1000;
  return Object.assign({}, steady, {
    usageNanoCores: times.finishedAtMs === undefined ? Math.round(rateAt(times.nowMs)) : 0,
    usageCoreNanoSeconds: Math.round(coreNanoSeconds),
  });
}
