import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../api/types';
import { podCgroupParent, qosClass } from './qos-class';

const pod = (containers: Partial<Container>[], initContainers: Partial<Container>[] = []): Pick<Pod, 'spec' | 'metadata'> => ({
  metadata: { uid: 'a1b2' },
  spec: {
    containers: containers.map((c, i) => ({ name: `c${i}`, image: 'busybox', ...c })),
    ...(initContainers.length > 0 ? { initContainers: initContainers.map((c, i) => ({ name: `i${i}`, image: 'busybox', ...c })) } : {}),
  },
});
const full = { requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '500m', memory: '128Mi' } };

describe('the QoS class of a pod, as the kubelet decides it', () => {
  it.each([
    ['BestEffort: no requests or limits anywhere', [{}], [], 'BestEffort'],
    ['Guaranteed: cpu and memory requests equal to limits in every container', [{ resources: full }, { resources: full }], [], 'Guaranteed'],
    ['Guaranteed: the same quantity written differently (0.5 and 500m)', [{ resources: { requests: { cpu: '0.5', memory: '128Mi' }, limits: { cpu: '500m', memory: '134217728' } } }], [], 'Guaranteed'],
    ['Burstable: a request below its limit', [{ resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '500m', memory: '128Mi' } } }], [], 'Burstable'],
    ['Burstable: a memory limit only (the API server would have copied it into the request, but the cpu limit is missing)', [{ resources: { requests: { memory: '64Mi' }, limits: { memory: '64Mi' } } }], [], 'Burstable'],
    ['Burstable: one Guaranteed container beside a BestEffort one', [{ resources: full }, {}], [], 'Burstable'],
    ['Burstable: an init container without limits spoils a Guaranteed pod', [{ resources: full }], [{ resources: { requests: { cpu: '100m' } } }], 'Burstable'],
    ['BestEffort: only other resources (ephemeral-storage) do not count', [{ resources: { requests: { 'ephemeral-storage': '1Gi' } } }], [], 'BestEffort'],
    ['BestEffort: zero requests count as none', [{ resources: { requests: { cpu: '0' } } }], [], 'BestEffort'],
  ])('%s', (_, containers, initContainers, expected) => {
    expect(qosClass(pod(containers, initContainers))).toBe(expected);
  });

  it('puts a Guaranteed pod right under /kubepods, the others under their class', () => {
    expect(podCgroupParent(pod([{ resources: full }]))).toBe('/kubepods/poda1b2');
    expect(podCgroupParent(pod([{ resources: { requests: { cpu: '1' } } }]))).toBe('/kubepods/burstable/poda1b2');
    expect(podCgroupParent(pod([{}]))).toBe('/kubepods/besteffort/poda1b2');
  });
});
