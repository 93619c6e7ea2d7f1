import { describe, expect, it } from 'vitest';
import { planProcess } from './container-process';
import { usageAt, usageRate, usageSpread, usageWithLoads } from './container-usage';
import { findImage } from './image-registry';

const MIB = 1024 * 1024;
const NO_LIMITS = { cpuQuota: 0, cpuPeriod: 100_000, memoryLimitInBytes: 0 };

/** The rate of a container of `image` run with `spec` and `resources`, for a given ID. */
function rate(image: string, spec: { command?: string[]; args?: string[] } = {}, resources = NO_LIMITS, id = 'c1') {
  const registry = findImage(image)!;
  return usageRate({ behaviour: registry.behaviour, plan: planProcess(registry, spec, resources), resources, id });
}

describe("a container's CPU and memory, from its image's behaviour", () => {
  it.each([
    // [what, image, spec, millicores from, to, MiB from, to]
    ['an idle nginx: about 1m and 5 MiB', 'nginx:1.27', {}, 0.85, 1.15, 4.2, 5.8],
    ['busybox sleeping: no CPU, a quarter MiB', 'busybox:1.36', { command: ['sleep', '3600'] }, 0, 0, 0.2, 0.3],
    ['the pause container: no CPU, a quarter MiB', 'registry.k8s.io/pause:3.10', {}, 0, 0, 0.2, 0.3],
    ['perl computing pi: one core', 'perl:5.34.0', { command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] }, 1000, 1000, 10, 14],
    ['stress holding 150M (--vm-hang): the memory, no CPU', 'polinux/stress', { args: ['--vm', '1', '--vm-bytes', '150M', '--vm-hang', '1'] }, 0, 0, 150.5, 150.5],
    ['stress spinning over its memory: one core per worker', 'polinux/stress', { args: ['--vm', '2', '--vm-bytes', '10M'] }, 2000, 2000, 20.5, 20.5],
    ['kube-apiserver: tens of millicores and hundreds of MiB', 'registry.k8s.io/kube-apiserver:v1.32.0', {}, 38, 52, 212, 288],
  ])('%s', (_what, image, spec, minMilli, maxMilli, minMib, maxMib) => {
    const r = rate(image, spec);
    expect(r.nanoCores / 1e6).toBeGreaterThanOrEqual(minMilli);
    expect(r.nanoCores / 1e6).toBeLessThanOrEqual(maxMilli);
    expect(r.workingSetBytes / MIB).toBeGreaterThanOrEqual(minMib);
    expect(r.workingSetBytes / MIB).toBeLessThanOrEqual(maxMib);
    expect(r.workingSetBytes % 4096).toBe(0);
  });

  it('holds a busy program to its CFS quota: perl under a 500m limit uses half a core', () => {
    expect(rate('perl:5.34.0', {}, { cpuQuota: 50_000, cpuPeriod: 100_000, memoryLimitInBytes: 0 }).nanoCores).toBe(500_000_000);
  });

  it('caps the working set at the memory limit (past it the kernel kills the process)', () => {
    const limited = rate('polinux/stress', { args: ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'] }, { cpuQuota: 0, cpuPeriod: 100_000, memoryLimitInBytes: 100 * MIB });
    expect(limited.workingSetBytes).toBe(100 * MIB);
  });

  it('spreads replicas of one image apart, the same way on every run', () => {
    const [a, b] = [rate('nginx:1.27', {}, NO_LIMITS, 'aaaa'), rate('nginx:1.27', {}, NO_LIMITS, 'bbbb')];
    expect(a).not.toEqual(b);
    expect(rate('nginx:1.27', {}, NO_LIMITS, 'aaaa')).toEqual(a);
    expect(usageSpread('aaaa')).toBeGreaterThanOrEqual(0.85);
    expect(usageSpread('aaaa')).toBeLessThanOrEqual(1.15);
  });
});

describe('usage read at a moment, from the start time and the rate', () => {
  const r = { nanoCores: 2_000_000, workingSetBytes: 8192 };

  it('adds up CPU time as the rate times the time running', () => {
    expect(usageAt(r, { startedAtMs: 1_000, nowMs: 11_000 })).toEqual({ usageNanoCores: 2_000_000, usageCoreNanoSeconds: 20_000_000, workingSetBytes: 8192 });
    expect(usageAt(r, { startedAtMs: 1_000, nowMs: 1_000 }).usageCoreNanoSeconds).toBe(0);
  });

  it('keeps the CPU time of a container that exited, with no CPU or memory in use', () => {
    expect(usageAt(r, { startedAtMs: 0, finishedAtMs: 5_000, nowMs: 60_000 })).toEqual({ usageNanoCores: 0, usageCoreNanoSeconds: 10_000_000, workingSetBytes: 0 });
  });
});

describe('usageWithLoads', () => {
  const rate = { nanoCores: 1_000_000, workingSetBytes: 4096 };
  const load = [{ millicores: 250, fromMs: 10_000, untilMs: 40_000 }];

  it('adds a running load to the steady rate, and integrates the CPU time over when it ran', () => {
    const during = usageWithLoads(rate, load, { cpuQuota: 0, cpuPeriod: 100_000 }, { startedAtMs: 0, nowMs: 20_000 });
    expect(during).toEqual({ usageNanoCores: 251_000_000, usageCoreNanoSeconds: 1_000_000 * 20 + 250_000_000 * 10, workingSetBytes: 4096 });
    const after = usageWithLoads(rate, load, { cpuQuota: 0, cpuPeriod: 100_000 }, { startedAtMs: 0, nowMs: 60_000 });
    expect(after).toEqual({ usageNanoCores: 1_000_000, usageCoreNanoSeconds: 1_000_000 * 60 + 250_000_000 * 30, workingSetBytes: 4096 });
  });

  it('caps the sum at the CFS quota of a container with a CPU limit (100m)', () => {
    const capped = usageWithLoads(rate, load, { cpuQuota: 10_000, cpuPeriod: 100_000 }, { startedAtMs: 0, nowMs: 20_000 });
    expect(capped.usageNanoCores).toBe(100_000_000);
    expect(capped.usageCoreNanoSeconds).toBe(1_000_000 * 10 + 100_000_000 * 10);
  });

  it('is usageAt without loads', () => {
    const times = { startedAtMs: 0, nowMs: 20_000 };
    expect(usageWithLoads(rate, [], { cpuQuota: 0, cpuPeriod: 100_000 }, times)).toEqual(usageAt(rate, times));
  });
});
