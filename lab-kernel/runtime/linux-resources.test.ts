import { describe, expect, it } from 'vitest';
import { linuxResources, milliCpuToQuota, milliCpuToShares } from './linux-resources';

describe("a container's cgroup settings, as the kubelet computes them", () => {
  it.each([
    ['no requests or limits: the minimum weight, no quota, no memory limit', {}, { cpuShares: 2, cpuQuota: 0, cpuPeriod: 100000, memoryLimitInBytes: 0 }],
    ['250m/500m cpu, 64Mi/128Mi memory', { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } }, { cpuShares: 256, cpuQuota: 50000, cpuPeriod: 100000, memoryLimitInBytes: 134217728 }],
    ['a limit without a request: the limit sets the weight', { limits: { cpu: '1' } }, { cpuShares: 1024, cpuQuota: 100000, cpuPeriod: 100000, memoryLimitInBytes: 0 }],
    ['2 CPUs requested, none limited', { requests: { cpu: '2' } }, { cpuShares: 2048, cpuQuota: 0, cpuPeriod: 100000, memoryLimitInBytes: 0 }],
    ['1m of CPU: shares and quota at their minimums', { requests: { cpu: '1m' }, limits: { cpu: '1m' } }, { cpuShares: 2, cpuQuota: 1000, cpuPeriod: 100000, memoryLimitInBytes: 0 }],
    ['memory in decimal units', { limits: { memory: '1G' } }, { cpuShares: 2, cpuQuota: 0, cpuPeriod: 100000, memoryLimitInBytes: 1_000_000_000 }],
  ])('%s', (_, resources, expected) => {
    expect(linuxResources(resources)).toEqual(expected);
  });

  it('caps cpu.shares at 262144 (256 CPUs) and rounds down', () => {
    expect(milliCpuToShares(300_000)).toBe(262_144);
    expect(milliCpuToShares(100)).toBe(102);
    expect(milliCpuToQuota(1500, 100_000)).toBe(150_000);
  });
});
