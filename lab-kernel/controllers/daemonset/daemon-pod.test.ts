import { describe, expect, it } from 'vitest';
import type { DaemonSet, Pod, Toleration } from '../../api/types';
import { CONTROLLER_REVISION_HASH_LABEL } from '../history/controller-revisions';
import { daemonPodTolerations, newDaemonPod, nodeNameAffinity, POD_TEMPLATE_GENERATION_LABEL, targetNodeName } from './daemon-pod';

const shown = (ts: Toleration[]) => ts.map((t) => `${t.key ?? '*'} ${t.operator ?? 'Equal'} ${t.effect ?? '*'}${t.tolerationSeconds !== undefined ? ` ${t.tolerationSeconds}s` : ''}`);

describe('a daemon pod', () => {
  it("tolerates the docs' table of node conditions: not-ready and unreachable NoExecute forever, the pressures and unschedulable NoSchedule", () => {
    expect(shown(daemonPodTolerations({ tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] }))).toEqual([
      'node-role.kubernetes.io/control-plane Exists NoSchedule',
      'node.kubernetes.io/not-ready Exists NoExecute',
      'node.kubernetes.io/unreachable Exists NoExecute',
      'node.kubernetes.io/disk-pressure Exists NoSchedule',
      'node.kubernetes.io/memory-pressure Exists NoSchedule',
      'node.kubernetes.io/pid-pressure Exists NoSchedule',
      'node.kubernetes.io/unschedulable Exists NoSchedule',
    ]);
  });

  it('tolerates network-unavailable only with hostNetwork, and replaces a not-ready toleration that had a time limit', () => {
    const mine: Toleration = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
    const ts = shown(daemonPodTolerations({ hostNetwork: true, tolerations: [mine] }));
    expect(ts[0], 'in its place, without tolerationSeconds').toBe('node.kubernetes.io/not-ready Exists NoExecute');
    expect(ts.filter((t) => t.startsWith('node.kubernetes.io/not-ready'))).toHaveLength(1);
    expect(ts.at(-1)).toBe('node.kubernetes.io/network-unavailable Exists NoSchedule');
  });

  it("gets the docs' node affinity naming its node, replacing the template's required terms and keeping its preferred ones", () => {
    const preferred = [{ weight: 1, preference: { matchExpressions: [{ key: 'zone', operator: 'In' as const, values: ['a'] }] } }];
    const affinity = nodeNameAffinity({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'Exists' }] }] }, preferredDuringSchedulingIgnoredDuringExecution: preferred } }, 'target-host-name');
    expect(affinity.nodeAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['target-host-name'] }] }] },
      preferredDuringSchedulingIgnoredDuringExecution: preferred,
    });
  });

  it('is named after its DaemonSet, labelled with the revision hash and template generation, and owned by it', () => {
    const ds: DaemonSet = {
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system', uid: 'ds-uid' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'busybox:1.36' }] } } },
    };
    const pod = newDaemonPod(ds, 'node-1', '5d4f9c7b8', '3');
    expect(pod.metadata).toMatchObject({
      generateName: 'agent-', namespace: 'kube-system',
      labels: { app: 'agent', [CONTROLLER_REVISION_HASH_LABEL]: '5d4f9c7b8', [POD_TEMPLATE_GENERATION_LABEL]: '3' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(targetNodeName(pod), 'before it is bound: the node its affinity names').toBe('node-1');
    expect(targetNodeName({ ...pod, spec: { ...pod.spec, nodeName: 'node-2' } } as Pod), 'once bound: spec.nodeName').toBe('node-2');
    expect(ds.spec.template.spec!.tolerations, 'the template is left as it was').toBeUndefined();
  });
});
