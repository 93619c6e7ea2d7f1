import { describe, expect, it } from 'vitest';
import type { Pod, Toleration } from '../../api/types';
import { admissionRequestFor, fixedAdmissionContext, runAdmission } from './chain';
import { defaultTolerationSecondsPlugin } from './default-toleration-seconds';

function admitted(tolerations?: Toleration[], plugin = defaultTolerationSecondsPlugin()): Toleration[] | undefined {
  const p: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'dev' }, spec: { containers: [{ name: 'web', image: 'nginx' }], tolerations } };
  const req = admissionRequestFor('CREATE', p);
  runAdmission([plugin], req, fixedAdmissionContext([]), 'mutating');
  return (req.object as Pod).spec.tolerations;
}

describe('DefaultTolerationSeconds admission', () => {
  it('every pod tolerates not-ready and unreachable nodes for 300 s', () => {
    expect(admitted()).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });

  it("a pod's own toleration for one of the taints is kept and only the other is added", () => {
    const own: Toleration = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 };
    expect(admitted([own])).toEqual([own, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]);
  });

  it('a toleration with no key, or no effect, already covers the taints (a DaemonSet pod tolerates forever)', () => {
    const everything: Toleration = { operator: 'Exists' };
    expect(admitted([everything])).toEqual([everything]);
    const anyEffect: Toleration = { key: 'node.kubernetes.io/not-ready', operator: 'Exists' };
    expect(admitted([anyEffect])).toHaveLength(2);
  });

  it('a NoSchedule toleration for the same key does not count', () => {
    expect(admitted([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }])).toHaveLength(3);
  });

  it('the durations are the --default-*-toleration-seconds flags', () => {
    const seconds = admitted(undefined, defaultTolerationSecondsPlugin({ notReadySeconds: 60, unreachableSeconds: 120 }))?.map((t) => t.tolerationSeconds);
    expect(seconds).toEqual([60, 120]);
  });
});
