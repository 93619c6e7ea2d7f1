import { milliValue, parseQuantity, value } from '../api/quantity';
import type { Container } from '../api/types';
import type { LinuxContainerResources } from './cri';

/**
 * A container's cgroup settings, computed from its requests and limits as the kubelet does
 * before CreateContainer (1.32: calculateLinuxResources in
 * pkg/kubelet/kuberuntime/kuberuntime_container_linux.go, MilliCPUToShares and
 * MilliCPUToQuota in pkg/kubelet/cm/helpers_linux.go):
 *
 *   linuxResources({ requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } })
 *   // => { cpuShares: 256, cpuQuota: 50000, cpuPeriod: 100000, memoryLimitInBytes: 134217728 }
 *   linuxResources({})                        // => { cpuShares: 2, cpuQuota: 0, cpuPeriod: 100000, memoryLimitInBytes: 0 }
 *   linuxResources({ limits: { cpu: '1' } })  // => cpuShares 1024 (no request: the limit counts), cpuQuota 100000
 *
 * cpu.shares = milliCPU * 1024 / 1000, at least 2 and at most 262144; the CFS quota is the
 * limit's milliCPU * period / 1000, at least 1000 µs, over a period of 100000 µs (100 ms);
 * the memory limit is limits.memory in bytes. 0 means "no limit".
 */
export const CPU_PERIOD_US = 100_000;
export const MIN_SHARES = 2;
export const MAX_SHARES = 262_144;
const MIN_QUOTA_US = 1000;

export function linuxResources(resources: Container['resources'] = {}): LinuxContainerResources {
  const cpuRequest = milliOf(resources.requests?.cpu);
  const cpuLimit = milliOf(resources.limits?.cpu);
  const memoryLimit = resources.limits?.memory === undefined ? 0 : value(parseQuantity(resources.limits.memory));
  return {
    cpuShares: milliCpuToShares(cpuRequest === 0 && cpuLimit !== 0 ? cpuLimit : cpuRequest),
    cpuQuota: milliCpuToQuota(cpuLimit, CPU_PERIOD_US),
    cpuPeriod: CPU_PERIOD_US,
    memoryLimitInBytes: memoryLimit,
  };
}

export function milliCpuToShares(milliCpu: number): number {
  if (milliCpu === 0) return MIN_SHARES;
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, Math.floor((milliCpu * 1024) / 1000)));
}

export function milliCpuToQuota(milliCpu: number, periodUs: number): number {
  if (milliCpu === 0) return 0;
  return Math.max(MIN_QUOTA_US, Math.floor((milliCpu * periodUs) / 1000));
}

function milliOf(text: string | undefined): number {
  return text === undefined ? 0 : milliValue(parseQuantity(text));
}
